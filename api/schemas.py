"""What the API returns: one schema per record kind, with stable field
names. Related records are given by their slug (null when the related
record is not public); every record carries its citations."""

from datetime import date

from django.conf import settings
from django.utils import translation
from ninja import Schema

from portal.models import Citation, may_show, shown_related


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


class ExhibitOut(RecordOut):
    exhibition: str | None
    area: str | None
    kind: str | None
    organisation: str | None
    sectors: list[str]
    makers: list[str]
    makers_as_written: str
    makers_as_written_en: str
    problem: str
    problem_en: str
    how_it_works: str
    how_it_works_en: str

    @staticmethod
    def resolve_exhibition(exhibit) -> str | None:
        return slug_of(shown_related(exhibit, "exhibition"))

    @staticmethod
    def resolve_area(exhibit) -> str | None:
        return slug_of(exhibit.area)

    @staticmethod
    def resolve_kind(exhibit) -> str | None:
        return slug_of(exhibit.kind)

    @staticmethod
    def resolve_organisation(exhibit) -> str | None:
        return slug_of(exhibit.organisation)

    @staticmethod
    def resolve_sectors(exhibit) -> list[str]:
        return slugs_of(exhibit.sectors)

    @staticmethod
    def resolve_makers(exhibit) -> list[str]:
        return slugs_of(exhibit.makers)


class PersonOut(RecordOut):
    title: str
    title_en: str
    organisation: str | None
    tier: str | None
    tier_basis: str

    @staticmethod
    def resolve_organisation(person) -> str | None:
        return slug_of(person.organisation)

    @staticmethod
    def resolve_tier(person) -> str | None:
        return slug_of(person.tier)


class TierOut(RecordOut):
    scope: str
    rank: int
    is_trainee: bool
    ladder_role: str
    ladder_role_en: str
    region: str | None

    @staticmethod
    def resolve_region(tier) -> str | None:
        return slug_of(tier.region)


class TierCountOut(RecordOut):
    tier: str | None
    place: str | None
    event: str | None
    count: int
    unit: str
    phrase: str

    @staticmethod
    def resolve_tier(count) -> str | None:
        return slug_of(count.tier)

    @staticmethod
    def resolve_place(count) -> str | None:
        return slug_of(count.place)

    @staticmethod
    def resolve_event(count) -> str | None:
        return slug_of(count.event)


class PilotCategoryOut(RecordOut):
    count: int
    unit: str
    phrase: str


class PilotBatchOut(RecordOut):
    number: int
    categories: list[PilotCategoryOut]

    @staticmethod
    def resolve_categories(batch) -> list:
        return list(batch.categories.all())


class AcademyOut(RecordOut):
    academy_type: str | None
    groups: list[str]
    organisation: str | None
    recognition: str
    recognition_en: str
    recognised_by: str | None

    @staticmethod
    def resolve_academy_type(academy) -> str | None:
        return slug_of(academy.academy_type)

    @staticmethod
    def resolve_groups(academy) -> list[str]:
        return slugs_of(academy.groups)

    @staticmethod
    def resolve_organisation(academy) -> str | None:
        return slug_of(academy.organisation)

    @staticmethod
    def resolve_recognised_by(academy) -> str | None:
        return slug_of(academy.recognised_by)


class EventOut(RecordOut):
    kind: str
    parent: str | None
    date_as_written: str
    date_as_written_en: str
    start_date: date | None
    end_date: date | None
    date_is_inferred: bool
    place: str | None
    theme: str
    theme_en: str
    hosts: list[str]

    @staticmethod
    def resolve_parent(event) -> str | None:
        return slug_of(event.parent)

    @staticmethod
    def resolve_place(event) -> str | None:
        return slug_of(event.place)

    @staticmethod
    def resolve_hosts(event) -> list[str]:
        return slugs_of(event.hosts)


class OrganisationOut(RecordOut):
    kind: str
    short_names: str
    parent: str | None
    place: str | None

    @staticmethod
    def resolve_parent(organisation) -> str | None:
        return slug_of(organisation.parent)

    @staticmethod
    def resolve_place(organisation) -> str | None:
        return slug_of(organisation.place)


class FigureOut(RecordOut):
    topic: str
    value: float | None
    value_max: float | None
    unit: str
    precision: str
    phrase: str
    is_headline: bool
    event: str | None
    organisation: str | None
    printed: str
    unit_en: str

    @staticmethod
    def resolve_value(figure) -> float | None:
        return None if figure.value is None else float(figure.value)

    @staticmethod
    def resolve_value_max(figure) -> float | None:
        return None if figure.value_max is None else float(figure.value_max)

    @staticmethod
    def resolve_event(figure) -> str | None:
        return slug_of(figure.event)

    @staticmethod
    def resolve_organisation(figure) -> str | None:
        return slug_of(figure.organisation)


class ProgrammeOut(RecordOut):
    kind: str
    organisations: list[str]

    @staticmethod
    def resolve_organisations(programme) -> list[str]:
        return slugs_of(programme.organisations)


class PlaceOut(RecordOut):
    kind: str
    parent: str | None

    @staticmethod
    def resolve_parent(place) -> str | None:
        return slug_of(place.parent)


class CreditNameOut(Schema):
    name: str
    name_en: str


class CreditOut(Schema):
    """A credit line printed at the end of a report, its role as printed
    (文, 图, 责任编辑, 审稿, 终审, 编辑)."""

    role: str
    names: list[CreditNameOut]


class ReportOut(Schema):
    """A source report: what citations' `report` names."""

    slug: str
    file_name: str
    title: str
    title_is_ours: bool
    subtitle: str
    title_en: str
    publisher: str
    credits: list[CreditOut]
    date_as_written: str
    date_as_written_en: str
    year: int | None
    year_is_inferred: bool
    year_reasoning: str
    year_reasoning_en: str
    description: str
    description_en: str
    url: str

    @staticmethod
    def resolve_url(report) -> str:
        return page_url(report)


class SearchHitOut(Schema):
    kind: str
    title: str
    title_en: str
    url: str

    @staticmethod
    def resolve_url(document) -> str:
        return document.path
