"""Search over every public record, on SQLite (FTS5) and PostgreSQL
(tsvector), with the same analyzer, the same matching and the same order.

- One SearchDocument row per public record, built here from the record and
  the names it links to; kept in sync by signals (portal.signals) in the
  same transaction as the edit, and rebuilt by `rebuild_search_index`.
- The full-text index over those rows: an external-content FTS5 table kept
  in sync by triggers on SQLite, a generated, weighted tsvector column with
  a GIN index on PostgreSQL. `ensure_search_schema` creates either, and is
  idempotent (it runs after every migrate, because SQLite table rebuilds
  drop triggers).
- Queries are built from analyzer tokens only (portal.text), never from
  the user's raw input, so no search syntax can leak through.
- Order: records whose name (or its pinyin) matches come first, then the
  rest; within each group, by kind and then by the records' own order
  (document id), which is the same on both databases.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import Case, IntegerField, Value, When
from django.db.models.expressions import RawSQL
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from portal.models import Event, Figure, Organisation, Place, Programme, PublicRecord, SearchDocument, Synonym
from portal.text import Term, highlight_spans, index_tokens, normalize, pinyin_tokens, query_terms

FTS_TABLE = "portal_searchdocument_fts"
SENTINEL = "〇"  # never emitted by the analyzer; keeps phrases from spanning columns on PostgreSQL


# --------------------------------------------------------------------------
# What is indexed


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    order: int


KINDS = [
    Kind("exhibit", _("展品"), 1),
    Kind("person", _("人物"), 2),
    Kind("tier", _("工匠梯队"), 3),
    Kind("pilot", _("试点单位"), 4),
    Kind("academy", _("工匠学院"), 5),
    Kind("event", _("活动"), 6),
    Kind("organisation", _("组织机构"), 7),
    Kind("programme", _("工作举措"), 8),
    Kind("figure", _("数字"), 9),
]
KIND_BY_KEY = {kind.key: kind for kind in KINDS}


def _indexed_models() -> list[tuple[type[PublicRecord], str]]:
    from craftsmen.models import Academy, AcademyGroup, AcademyType, Person, PilotBatch, PilotCategory, Tier
    from exhibits.models import Exhibit

    return [
        (Exhibit, "exhibit"),
        (Person, "person"),
        (Tier, "tier"),
        (PilotBatch, "pilot"),
        (PilotCategory, "pilot"),
        (Academy, "academy"),
        (AcademyGroup, "academy"),
        (AcademyType, "academy"),
        (Event, "event"),
        (Organisation, "organisation"),
        (Programme, "programme"),
        (Figure, "figure"),
    ]


def kind_of(model: type[models.Model]) -> str | None:
    for indexed, kind in _indexed_models():
        if model is indexed:
            return kind
    return None


def _names(records: Iterable) -> list[str]:
    names: list[str] = []
    for record in records:
        if record is not None:
            names.extend([record.name, getattr(record, "name_en", "")])
    return names


def _linked_text(record: PublicRecord) -> tuple[list[str], list[str]]:
    """Extra words that find a record: (Chinese-side text, English text)."""
    from craftsmen.models import Academy, AcademyGroup, Person, PilotCategory, Tier
    from exhibits.models import Exhibit

    zh: list[str] = []
    en: list[str] = []
    if isinstance(record, Exhibit):
        zh += [record.makers_as_written, record.problem, record.how_it_works]
        zh += _names(record.makers.all()) + _names(record.sectors.all())
        zh += _names([record.organisation, record.kind, record.area])
    elif isinstance(record, Person):
        zh += [record.title] + _names([record.organisation, record.tier])
    elif isinstance(record, Tier):
        zh += [record.ladder_role] + _names([record.region])
    elif isinstance(record, PilotCategory):
        zh += [record.phrase] + _names([record.batch])
    elif isinstance(record, Academy):
        zh += [record.recognition] + _names([record.academy_type, record.organisation, record.recognised_by])
        zh += _names(record.groups.all())
    elif isinstance(record, AcademyGroup):
        zh += [record.phrase] + _names(record.fields.all())
    elif isinstance(record, Event):
        zh += [record.theme, record.date_as_written] + _names([record.place, record.parent])
        zh += _names(record.hosts.all())
    elif isinstance(record, Organisation):
        zh += [record.short_names] + _names([record.parent, record.place])
    elif isinstance(record, Figure):
        zh += [record.phrase, record.unit] + _names([record.event, record.organisation])
    elif isinstance(record, Programme):
        zh += _names(record.organisations.all())
    return [t for t in zh if t], [t for t in en if t]


def _related_for_rebuild(model: type[models.Model]) -> models.QuerySet:
    from craftsmen.models import Academy, AcademyGroup, Person, PilotCategory, Tier
    from exhibits.models import Exhibit

    queryset = model.objects.published()
    related = {
        Exhibit: (["organisation", "kind", "area"], ["makers", "sectors"]),
        Person: (["organisation", "tier"], []),
        Tier: (["region"], []),
        PilotCategory: (["batch"], []),
        Academy: (["academy_type", "organisation", "recognised_by"], ["groups"]),
        AcademyGroup: ([], ["fields"]),
        Event: (["place", "parent"], ["hosts"]),
        Organisation: (["parent", "place"], []),
        Figure: (["event", "organisation"], []),
        Programme: ([], ["organisations"]),
    }.get(model, ([], []))
    if related[0]:
        queryset = queryset.select_related(*related[0])
    if related[1]:
        queryset = queryset.prefetch_related(*related[1])
    return queryset.order_by("order", "pk")


def document_values(record: PublicRecord, kind: str) -> dict:
    from craftsmen.models import Person

    is_person = isinstance(record, Person)
    zh_extra, en_extra = _linked_text(record)
    head_text = " ".join([record.name, record.name_en, getattr(record, "short_names", "")])
    names_for_pinyin = [record.name]
    if isinstance(record, Organisation) and record.short_names:
        names_for_pinyin.append(record.short_names)
    text = "\n".join([record.description, *zh_extra])
    text_en = "\n".join([record.description_en, *en_extra])
    with translation.override(settings.LANGUAGE_CODE):
        # Stored without a language prefix; pages add /en/ themselves.
        path = record.get_absolute_url() or ""
    return {
        "kind": kind,
        "kind_order": KIND_BY_KEY[kind].order,
        "path": path,
        "title": record.name[:250],
        "title_en": record.name_en[:250],
        "text": text,
        "text_en": text_en,
        "head": index_tokens(head_text),
        "pinyin": " ".join(
            pinyin_tokens(name, is_person=is_person) for name in names_for_pinyin if kind in PINYIN_KINDS
        ),
        "body": index_tokens(" ".join([text, text_en, record.inferred_note])),
    }


PINYIN_KINDS = {"person", "organisation", "academy", "exhibit", "event", "programme", "tier"}


# --------------------------------------------------------------------------
# Keeping the index in sync

_suspended = contextvars.ContextVar("search_sync_suspended", default=False)


@contextmanager
def sync_suspended() -> Iterator[None]:
    """Bulk loads switch per-record syncing off and rebuild once at the end."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


def sync_is_suspended() -> bool:
    return _suspended.get()


def index_record(record: PublicRecord) -> None:
    kind = kind_of(type(record))
    if kind is None:
        return
    content_type = ContentType.objects.get_for_model(record)
    if not record.is_published:
        SearchDocument.objects.filter(content_type=content_type, object_id=record.pk).delete()
        return
    # Re-read with the relations the document needs, so what is indexed is
    # what was committed.
    fresh = _related_for_rebuild(type(record)).filter(pk=record.pk).first()
    if fresh is None:
        SearchDocument.objects.filter(content_type=content_type, object_id=record.pk).delete()
        return
    SearchDocument.objects.update_or_create(
        content_type=content_type, object_id=record.pk, defaults=document_values(fresh, kind)
    )


def remove_record(model: type[models.Model], pk: int) -> None:
    content_type = ContentType.objects.get_for_model(model)
    SearchDocument.objects.filter(content_type=content_type, object_id=pk).delete()


def dependents(record: models.Model) -> list[PublicRecord]:
    """Records whose documents include this record's name."""
    from craftsmen.models import AcademyField, AcademyGroup, AcademyType, Person, PilotBatch, Tier
    from exhibits.models import ExhibitionArea, ExhibitKind, Sector

    if isinstance(record, Person):
        return list(record.exhibits.all())
    if isinstance(record, Organisation):
        return [
            *record.exhibits.all(),
            *record.people.all(),
            *record.units.all(),
            *record.academies.all(),
            *record.recognised_academies.all(),
            *record.hosted_events.all(),
            *record.programmes.all(),
            *record.figures.all(),
        ]
    if isinstance(record, Sector | ExhibitKind | ExhibitionArea):
        return list(record.exhibits.all())
    if isinstance(record, Tier):
        return list(record.people.all())
    if isinstance(record, Place):
        return [*record.organisations.all(), *record.events.all(), *record.tiers.all()]
    if isinstance(record, Event):
        return [*record.parts.all(), *record.figures.all()]
    if isinstance(record, PilotBatch):
        return list(record.categories.all())
    if isinstance(record, AcademyType | AcademyGroup):
        return list(record.academies.all())
    if isinstance(record, AcademyField):
        return [record.group]
    return []


def rebuild(progress=None) -> int:
    """Rebuild every document from the records, in one transaction."""
    total = 0
    with transaction.atomic():
        ensure_search_schema()
        SearchDocument.objects.all().delete()
        for model, kind in _indexed_models():
            content_type = ContentType.objects.get_for_model(model)
            batch = []
            for record in _related_for_rebuild(model).iterator(chunk_size=2000):
                batch.append(
                    SearchDocument(content_type=content_type, object_id=record.pk, **document_values(record, kind))
                )
                if len(batch) >= 1000:
                    SearchDocument.objects.bulk_create(batch)
                    total += len(batch)
                    if progress:
                        progress(total)
                    batch = []
            SearchDocument.objects.bulk_create(batch)
            total += len(batch)
            if progress:
                progress(total)
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")
    return total


# --------------------------------------------------------------------------
# The full-text index itself


def _sqlite_schema() -> list[str]:
    columns = "head, pinyin, body"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({columns}, "
        "content='portal_searchdocument', content_rowid='id', tokenize='unicode61', prefix='1')",
        f"""CREATE TRIGGER IF NOT EXISTS portal_searchdocument_ai AFTER INSERT ON portal_searchdocument BEGIN
            INSERT INTO {FTS_TABLE}(rowid, {columns}) VALUES (new.id, new.head, new.pinyin, new.body);
        END""",
        f"""CREATE TRIGGER IF NOT EXISTS portal_searchdocument_ad AFTER DELETE ON portal_searchdocument BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {columns})
            VALUES ('delete', old.id, old.head, old.pinyin, old.body);
        END""",
        f"""CREATE TRIGGER IF NOT EXISTS portal_searchdocument_au AFTER UPDATE ON portal_searchdocument BEGIN
            INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {columns})
            VALUES ('delete', old.id, old.head, old.pinyin, old.body);
            INSERT INTO {FTS_TABLE}(rowid, {columns}) VALUES (new.id, new.head, new.pinyin, new.body);
        END""",
    ]


POSTGRESQL_COLUMN = (
    "ALTER TABLE portal_searchdocument ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, head || ' ' || pinyin), 'A') || "
    f"setweight(ts_delete(to_tsvector('simple'::regconfig, '{SENTINEL} ' || body), '{SENTINEL}'), 'B')"
    ") STORED"
)
POSTGRESQL_INDEX = (
    "CREATE INDEX IF NOT EXISTS portal_searchdocument_vector ON portal_searchdocument USING gin (search_vector)"
)


SQLITE_TRIGGERS = ["portal_searchdocument_ai", "portal_searchdocument_ad", "portal_searchdocument_au"]


def ensure_search_schema(using=None) -> bool:
    """Create the full-text index if any part of it is missing; returns
    whether anything was created. On SQLite a missing trigger means edits
    may have bypassed the index, so the index is then rebuilt from the
    documents."""
    conn = connection if using is None else using
    if conn.vendor == "sqlite":
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name IN (%s, %s, %s, %s)",
                [FTS_TABLE, *SQLITE_TRIGGERS],
            )
            if len(cursor.fetchall()) == 4:
                return False
            for statement in _sqlite_schema():
                cursor.execute(statement)
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
        return True
    if conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM information_schema.columns "
                "WHERE table_name = 'portal_searchdocument' AND column_name = 'search_vector'"
            )
            has_column = cursor.fetchone() is not None
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'portal_searchdocument_vector'")
            has_index = cursor.fetchone() is not None
            if has_column and has_index:
                return False
            # DDL on the table cannot run while deferred constraint checks
            # of this transaction are pending; run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            if not has_column:
                cursor.execute(POSTGRESQL_COLUMN)
            cursor.execute(POSTGRESQL_INDEX)
        return True
    raise NotImplementedError(f"Search supports SQLite and PostgreSQL, not {conn.vendor}")


# --------------------------------------------------------------------------
# Queries

Alternative = tuple[Term, ...]  # all of these terms
Slot = tuple[Alternative, ...]  # any of these alternatives


@dataclass
class ParsedQuery:
    text: str
    slots: list[Slot] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.slots

    @property
    def needles(self) -> list[str]:
        return [term.text for slot in self.slots for alternative in slot for term in alternative]


def parse(query: str) -> ParsedQuery:
    """Terms ANDed; a term that is a known abbreviation also matches what it
    stands for."""
    terms = query_terms(query)
    synonyms = _synonyms_for([term.text for term in terms]) if terms else {}
    slots: list[Slot] = []
    for term in terms:
        alternatives: list[Alternative] = [(term,)]
        for expansion in synonyms.get(term.text, []):
            expanded = tuple(query_terms(expansion))
            if expanded:
                alternatives.append(expanded)
        slots.append(tuple(alternatives))
    return ParsedQuery(query, slots)


def _synonyms_for(texts: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for synonym in Synonym.objects.all():
        key = normalize(synonym.term)
        if key in texts:
            found.setdefault(key, []).append(synonym.expansion)
    return found


def _fts5_term(term: Term) -> str:
    # Tokens hold only letters, digits and CJK characters (the analyzer's
    # output), so quoting them is all the escaping FTS5 needs.
    if term.prefix:
        return f'"{term.tokens[0]}"*'
    return '"' + " ".join(term.tokens) + '"'


def _tsquery_term(term: Term, weight: str) -> str:
    if term.prefix:
        return f"'{term.tokens[0]}':*{weight}"
    return " <-> ".join(f"'{token}':{weight}" if weight else f"'{token}'" for token in term.tokens)


def fts5_expression(parsed: ParsedQuery, head_only: bool = False) -> str:
    slots = []
    for slot in parsed.slots:
        alternatives = ["(" + " AND ".join(_fts5_term(t) for t in alternative) + ")" for alternative in slot]
        slots.append("(" + " OR ".join(alternatives) + ")")
    expression = " AND ".join(slots)
    return f"{{head pinyin}} : ({expression})" if head_only else expression


def tsquery_expression(parsed: ParsedQuery, head_only: bool = False) -> str:
    weight = "A" if head_only else ""
    slots = []
    for slot in parsed.slots:
        alternatives = [
            "(" + " & ".join(f"({_tsquery_term(t, weight)})" for t in alternative) + ")" for alternative in slot
        ]
        slots.append("(" + " | ".join(alternatives) + ")")
    return " & ".join(slots)


def _match_sql(parsed: ParsedQuery, head_only: bool = False) -> RawSQL:
    """The ids of the documents matching the query (in the name or its
    pinyin only, with head_only)."""
    if connection.vendor == "sqlite":
        return RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [fts5_expression(parsed, head_only)])
    return RawSQL(
        "SELECT id FROM portal_searchdocument WHERE search_vector @@ to_tsquery('simple', %s)",
        [tsquery_expression(parsed, head_only)],
    )


def filtered(parsed: ParsedQuery, queryset: models.QuerySet | None = None) -> models.QuerySet:
    """SearchDocuments matching the query, unordered."""
    queryset = SearchDocument.objects.all() if queryset is None else queryset
    if parsed.is_empty:
        return queryset.none()
    return queryset.filter(id__in=_match_sql(parsed))


def matching(parsed: ParsedQuery, queryset: models.QuerySet | None = None) -> models.QuerySet:
    """SearchDocuments matching the query, annotated with `name_match` (0
    when the name or its pinyin matched, 1 otherwise) and in result order."""
    queryset = filtered(parsed, queryset)
    if parsed.is_empty:
        return queryset
    name_match = Case(
        When(id__in=_match_sql(parsed, head_only=True), then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return queryset.annotate(name_match=name_match).order_by("name_match", "kind_order", "id")


def matching_ids(parsed: ParsedQuery, model: type[models.Model]) -> models.QuerySet:
    """The ids of records of one model that match, for filter pages."""
    content_type = ContentType.objects.get_for_model(model)
    return filtered(parsed, SearchDocument.objects.filter(content_type=content_type)).values("object_id")


def counts_by_kind(parsed: ParsedQuery) -> dict[str, int]:
    if parsed.is_empty:
        return {}
    rows = filtered(parsed).order_by().values("kind").annotate(n=models.Count("id")).values_list("kind", "n")
    return dict(rows)


# --------------------------------------------------------------------------
# Showing results


def highlight(text: str, needles: list[str]) -> SafeString:
    """The text, HTML-escaped, with every match wrapped in <mark>."""
    spans = highlight_spans(text, needles)
    parts: list[str] = []
    position = 0
    for start, end in spans:
        parts.append(escape(text[position:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))


def snippet(text: str, needles: list[str], width: int = 80) -> SafeString:
    """A short window of the text around the first match, highlighted."""
    text = " ".join(text.split())
    spans = highlight_spans(text, needles)
    if not spans:
        cut = text[:width]
        return highlight(cut + ("…" if len(text) > width else ""), [])
    start = max(spans[0][0] - width // 3, 0)
    end = min(start + width, len(text))
    window = text[start:end]
    return mark_safe(("…" if start > 0 else "") + str(highlight(window, needles)) + ("…" if end < len(text) else ""))
