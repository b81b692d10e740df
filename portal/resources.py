"""What the JSON API serves of a kind of record: its resource (URL segment,
names, schema, the single QuerySet its endpoints read, its filters), and
the pieces every resource is built from (the schema's common fields and
the slug of a related record). Each app declares its kinds' resources in
its `facets` module (portal's own in shell/facets.py); the `api` package
builds its endpoints from them, in their declared positions."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

import django_filters
from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from ninja import Schema

from portal.models import Citation, citations_prefetch, may_show


@dataclass(frozen=True)
class Resource:
    """One record kind: its URL segment, names, schema, the single QuerySet
    its endpoints read (all select_related/prefetch_related in it) and its
    filters."""

    segment: str
    singular: str
    schema: type[Schema]
    queryset: Callable[[], QuerySet]
    filterset: type[django_filters.FilterSet] | None = None

    @property
    def model(self):
        return self.queryset().model


# Filled by declare(): segment → (position, resource, declaring module).
_DECLARED: dict[str, tuple[int, Resource, str]] = {}


def declare(position: int, *resources: Resource) -> None:
    """Add resources to the API, from `position` on (the first gets
    `position`, the next `position + 1`…)."""
    # The declaring module, for the message below and for the test that
    # each app declares its facets in one module.
    module = sys._getframe(1).f_globals["__name__"]
    for offset, resource in enumerate(resources):
        if resource.segment in _DECLARED:
            first = _DECLARED[resource.segment][2]
            raise ValueError(f"API resource {resource.segment!r} is declared twice (by {first} and {module})")
        _DECLARED[resource.segment] = (position + offset, resource, module)


def all_resources() -> list[Resource]:
    """Every API resource, in its declared position."""
    return [resource for _, resource, _ in sorted(_DECLARED.values(), key=lambda item: item[0])]


def declared_by(resource: Resource) -> str:
    """The module that declared the resource."""
    return _DECLARED[resource.segment][2]


def published(model, *related: str, prefetch: tuple = ()) -> Callable[[], QuerySet]:
    """A resource's QuerySet: the public records, with their citations, in
    the model's own order."""

    def queryset() -> QuerySet:
        queryset = model.objects.published()
        if related:
            queryset = queryset.select_related(*related)
        return queryset.prefetch_related(citations_prefetch(), *prefetch).order_by(*model._meta.ordering)

    return queryset


def by_slug(model, field_name: str | None = None) -> django_filters.ModelChoiceFilter:
    """A filter on a related public record, named by its slug."""
    return django_filters.ModelChoiceFilter(
        field_name=field_name, to_field_name="slug", queryset=model.objects.published()
    )


# What the API returns: one schema per record kind, with stable field
# names. Related records are given by their slug (null when the related
# record is not public); every record carries its citations.


def slug_of(related) -> str | None:
    return related.slug if may_show(related) else None


def slugs_of(manager) -> list[str]:
    return [item.slug for item in manager.all() if may_show(item)]


def page_url(record) -> str | None:
    """The record's page on the portal (the Chinese one; `/en` + the same
    path is the English one), whatever language the request asked for."""
    with translation.override(settings.LANGUAGE_CODE):
        return record.get_absolute_url()


class CitationOut(Schema):
    report: str
    paragraph: int
    excerpt: str
    url: str

    @staticmethod
    def resolve_report(citation: Citation) -> str:
        return citation.report.slug

    @staticmethod
    def resolve_url(citation: Citation) -> str:
        return page_url(citation)


class RecordOut(Schema):
    slug: str
    name: str
    name_en: str
    description: str
    description_en: str
    inferred_note: str
    inferred_note_en: str
    url: str | None
    citations: list[CitationOut]

    @staticmethod
    def resolve_url(record) -> str | None:
        return page_url(record)

    @staticmethod
    def resolve_citations(record) -> list[Citation]:
        return record.sorted_citations
