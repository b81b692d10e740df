"""What is indexed: the kinds of record the search finds, each declared once
by the app that owns its models, in its `facets` module (craftsmen/facets.py,
exhibits/facets.py, and shell/facets.py for portal's own), imported by its
AppConfig.ready().

A kind says how its records become documents: the fields besides the name
and description that find a record (`texts`), and the related records
whose visible names find it (`names`). The same `names` say which
relations a rebuild loads with the records, and which records' documents
change when a related record is edited (dependents)."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise

from portal.models import PublicRecord

# Document ids are kind_order × 2**32 + the record's position in its kind,
# so id order is result order (kind, then the records' own order) and the
# documents of one kind are one id range: the full-text indexes return rows
# in id order, and counting a kind is counting an id range.
KIND_SHIFT = 32


@dataclass(frozen=True)
class Source:
    """One model whose records are documents of a kind."""

    model: type[PublicRecord]
    texts: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    # Its names read as a person's (pinyin initials of a surname and given name).
    person: bool = False


@dataclass(frozen=True)
class Kind:
    key: str
    label: str | Promise
    order: int
    # In the order their documents are numbered within the kind.
    sources: tuple[Source, ...] = ()
    # Whether the names' pinyin finds the records.
    pinyin: bool = False


# Filled by declare(), kept in kind order.
KINDS: list[Kind] = []
KIND_BY_KEY: dict[str, Kind] = {}
KIND_BY_ORDER: dict[int, Kind] = {}
_SOURCE_OF: dict[type[models.Model], tuple[Kind, Source]] = {}
# Kind key → the module that declared it.
_DECLARED_BY: dict[str, str] = {}


def declare(*kinds: Kind) -> None:
    module = sys._getframe(1).f_globals["__name__"]
    for kind in kinds:
        if kind.key in KIND_BY_KEY or kind.order in KIND_BY_ORDER:
            raise ValueError(f"Search kind {kind.key!r} (order {kind.order}) is declared twice")
        for source in kind.sources:
            if source.model in _SOURCE_OF:
                raise ValueError(f"{source.model.__name__} is indexed twice")
            _SOURCE_OF[source.model] = (kind, source)
        KIND_BY_KEY[kind.key] = kind
        _DECLARED_BY[kind.key] = module
        KIND_BY_ORDER[kind.order] = kind
        KINDS.append(kind)
        KINDS.sort(key=lambda k: k.order)


def id_range(kind: str) -> tuple[int, int]:
    """[low, high) of the document ids of one kind."""
    order = KIND_BY_KEY[kind].order
    return order << KIND_SHIFT, (order + 1) << KIND_SHIFT


def indexed_models() -> list[tuple[type[PublicRecord], str]]:
    """(model, kind key) of every indexed model, in numbering order."""
    return [(source.model, kind.key) for kind in KINDS for source in kind.sources]


def kind_of(model: type[models.Model]) -> str | None:
    found = _SOURCE_OF.get(model)
    return found[0].key if found else None


def source_of(model: type[models.Model]) -> Source | None:
    found = _SOURCE_OF.get(model)
    return found[1] if found else None


def declared_by(kind: Kind) -> str:
    """The module that declared the kind."""
    return _DECLARED_BY[kind.key]
