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
import functools
import hashlib
import math
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import connection, connections, models, router, transaction
from django.db.models import Case, IntegerField, Value, When
from django.db.models.expressions import RawSQL
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from portal.models import (
    Event,
    Figure,
    Organisation,
    Place,
    Programme,
    PublicRecord,
    SearchDocument,
    Synonym,
    may_show,
)
from portal.text import ANALYZER_VERSION, Term, highlight_spans, index_tokens, normalize, pinyin_tokens, query_terms

FTS_TABLE = "portal_searchdocument_fts"
# The names and their pinyin alone: FTS5 answers a column filter
# (`{head pinyin} : ...`) by reading a word's whole doclist and its
# positions, so finding the name matches of a common word in the main
# table took 1-1.5 ms at 100,000 records; here it is a short doclist.
FTS_HEAD_TABLE = "portal_searchdocument_head_fts"
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
KIND_BY_ORDER = {kind.order: kind for kind in KINDS}

# Document ids are kind_order × 2**32 + the record's position in its kind,
# so id order is result order (kind, then the records' own order) and the
# documents of one kind are one id range: the full-text indexes return rows
# in id order, and counting a kind is counting an id range.
KIND_SHIFT = 32


def id_range(kind: str) -> tuple[int, int]:
    """[low, high) of the document ids of one kind."""
    order = KIND_BY_KEY[kind].order
    return order << KIND_SHIFT, (order + 1) << KIND_SHIFT


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
    """The names of the linked records the public may see: a hidden one
    neither finds this record nor shows in its snippet."""
    names: list[str] = []
    for record in records:
        if may_show(record):
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
    # Everything that finds the record is indexed; what a result shows is
    # the record's own description in the page's language.
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
        "text": record.description,
        "text_en": record.description_en,
        "head": index_tokens(head_text),
        "pinyin": " ".join(
            pinyin_tokens(name, is_person=is_person) for name in names_for_pinyin if kind in PINYIN_KINDS
        ),
        "body": index_tokens(" ".join([text, text_en, record.inferred_note])),
        "analyzer": ANALYZER_VERSION,
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
    values = document_values(fresh, kind)
    using = router.db_for_write(SearchDocument)
    documents = SearchDocument.objects.using(using).filter(content_type=content_type, object_id=record.pk)
    # One transaction from the update to the insert, so the id lock below
    # is held until the new document is committed.
    with transaction.atomic(using=using):
        if documents.update(**values):
            return
        _lock_ids(using, [kind])
        # Another writer may have made this record's document while we waited.
        if not documents.update(**values):
            SearchDocument.objects.using(using).create(
                id=_next_id(kind, using), content_type=content_type, object_id=record.pk, **values
            )


# pg_advisory_xact_lock(ID_LOCK_CLASS, kind order) guards "the next id of a
# kind": the first key keeps these locks apart from any other advisory lock.
ID_LOCK_CLASS = 0x5EA4C


def _lock_ids(using: str, kinds: Iterable[str]) -> None:
    """Hold, until the transaction ends, the right to give out ids of these
    kinds, so two writers never read the same max and pick the same id.

    PostgreSQL: a transaction-scoped advisory lock per kind (a second writer
    waits here, then reads the max in a new statement, which sees the first
    writer's committed document). SQLite needs none: it has one write lock
    for the whole database, taken by a transaction's first write and held to
    its end, and index_record writes (its UPDATE, even one matching nothing)
    before it reads the max."""
    db = connections[using]
    if db.vendor != "postgresql":
        return
    with db.cursor() as cursor:
        for order in sorted(KIND_BY_KEY[kind].order for kind in set(kinds)):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ID_LOCK_CLASS, order])


def _next_id(kind: str, using: str) -> int:
    """A new document goes after the others of its kind (call with the
    kind's id lock held: _lock_ids)."""
    low, high = id_range(kind)
    last = SearchDocument.objects.using(using).filter(id__gte=low, id__lt=high).aggregate(last=models.Max("id"))["last"]
    return (last or low) + 1


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
        positions = dict.fromkeys(KIND_BY_KEY, 0)
        for model, kind in _indexed_models():
            content_type = ContentType.objects.get_for_model(model)
            batch = []
            for record in _related_for_rebuild(model).iterator(chunk_size=2000):
                positions[kind] += 1
                batch.append(
                    SearchDocument(
                        id=id_range(kind)[0] + positions[kind],
                        content_type=content_type,
                        object_id=record.pk,
                        **document_values(record, kind),
                    )
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
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                for table in SQLITE_TABLES:
                    cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
            else:
                # Fresh planner statistics for the new rows (VACUUM, which
                # would also flush the GIN pending lists, cannot run inside
                # a transaction; autovacuum does it soon after).
                cursor.execute("ANALYZE portal_searchdocument")
    return total


def analysis_is_current(using: str = "default") -> bool:
    """Whether every document was analysed by today's analyzer (portal.text
    ANALYZER_VERSION); if not, the documents need a rebuild."""
    return not SearchDocument.objects.using(using).exclude(analyzer=ANALYZER_VERSION).exists()


# --------------------------------------------------------------------------
# The full-text index itself


SQLITE_TABLE_COLUMNS = {FTS_TABLE: ("head", "pinyin", "body"), FTS_HEAD_TABLE: ("head", "pinyin")}


def _fts5_table_sql(table: str) -> str:
    # Prefix indexes for prefix queries of 1 to 6 characters: single Chinese
    # characters and short English or pinyin prefixes then read one index
    # entry instead of every term that starts with them.
    return (
        f"CREATE VIRTUAL TABLE {table} USING fts5({', '.join(SQLITE_TABLE_COLUMNS[table])}, "
        "content='portal_searchdocument', content_rowid='id', tokenize='unicode61', prefix='1 2 3 4 5 6')"
    )


SQLITE_TABLES = {table: _fts5_table_sql(table) for table in SQLITE_TABLE_COLUMNS}
FTS5_TABLE_SQL = SQLITE_TABLES[FTS_TABLE]


def _sqlite_triggers() -> dict[str, str]:
    """The triggers that keep both FTS5 tables in step with the documents."""

    def insert(table: str, row: str) -> str:
        columns = SQLITE_TABLE_COLUMNS[table]
        values = ", ".join(f"{row}.{column}" for column in columns)
        return f"INSERT INTO {table}(rowid, {', '.join(columns)}) VALUES ({row}.id, {values});"

    def delete(table: str) -> str:
        columns = SQLITE_TABLE_COLUMNS[table]
        values = ", ".join(f"old.{column}" for column in columns)
        return f"INSERT INTO {table}({table}, rowid, {', '.join(columns)}) VALUES ('delete', old.id, {values});"

    inserts = " ".join(insert(table, "new") for table in SQLITE_TABLES)
    deletes = " ".join(delete(table) for table in SQLITE_TABLES)
    return {
        "portal_searchdocument_fts_ai": (
            "CREATE TRIGGER IF NOT EXISTS portal_searchdocument_fts_ai AFTER INSERT ON portal_searchdocument "
            f"BEGIN {inserts} END"
        ),
        "portal_searchdocument_fts_ad": (
            "CREATE TRIGGER IF NOT EXISTS portal_searchdocument_fts_ad AFTER DELETE ON portal_searchdocument "
            f"BEGIN {deletes} END"
        ),
        "portal_searchdocument_fts_au": (
            "CREATE TRIGGER IF NOT EXISTS portal_searchdocument_fts_au AFTER UPDATE ON portal_searchdocument "
            f"BEGIN {deletes} {inserts} END"
        ),
    }


SQLITE_TRIGGERS = list(_sqlite_triggers())
# Kept the main table alone in step; replaced by the triggers above.
SQLITE_OLD_TRIGGERS = ["portal_searchdocument_ai", "portal_searchdocument_ad", "portal_searchdocument_au"]


POSTGRESQL_COLUMNS = {
    # Everything, the name and its pinyin weighted above the rest (the
    # sentinel keeps a phrase from running from the name into the body).
    "search_vector": (
        "ALTER TABLE portal_searchdocument ADD COLUMN search_vector tsvector "
        "GENERATED ALWAYS AS ("
        "setweight(to_tsvector('simple'::regconfig, head || ' ' || pinyin), 'A') || "
        f"setweight(ts_delete(to_tsvector('simple'::regconfig, '{SENTINEL} ' || body), '{SENTINEL}'), 'B')"
        ") STORED"
    ),
    # The name and its pinyin alone, unweighted: a weight in the query
    # (':A') makes GIN recheck every candidate row, this does not.
    "head_vector": (
        "ALTER TABLE portal_searchdocument ADD COLUMN head_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, head || ' ' || pinyin)) STORED"
    ),
}
# A kind's documents are numbered in chunks of 2 ** CHUNK_SHIFT ids; the
# GIN indexes know each document's chunk, so a page can read its matches
# chunk by chunk, in id order, and stop when it is full
# (SearchResults._postgresql_page).
CHUNK_SHIFT = 12
# GIN over (kind_order, chunk, vector), with btree_gin for the first two:
# a query for one kind's (or one chunk's) matches reads only that kind's
# (or chunk's) candidates from the index, instead of rechecking every
# other row and dropping it; a query without either uses the vector alone.
POSTGRESQL_EXTENSIONS = ["CREATE EXTENSION IF NOT EXISTS btree_gin"]
POSTGRESQL_INDEXES = {
    "portal_searchdocument_chunk_vector": (
        "CREATE INDEX IF NOT EXISTS portal_searchdocument_chunk_vector ON portal_searchdocument "
        f"USING gin (kind_order, (id >> {CHUNK_SHIFT}), search_vector)"
    ),
    "portal_searchdocument_chunk_head_vector": (
        "CREATE INDEX IF NOT EXISTS portal_searchdocument_chunk_head_vector ON portal_searchdocument "
        f"USING gin (kind_order, (id >> {CHUNK_SHIFT}), head_vector)"
    ),
}
# Replaced by the indexes above.
POSTGRESQL_OLD_INDEXES = [
    "portal_searchdocument_vector",
    "portal_searchdocument_head_vector",
    "portal_searchdocument_kind_vector",
    "portal_searchdocument_kind_head_vector",
]
# The name vector is checked row by row when a page walks the primary key:
# kept in the row (MAIN), not moved out to TOAST, it costs one page read
# instead of five. Applies to rows written from then on (a rebuild).
POSTGRESQL_STORAGE = ["ALTER TABLE portal_searchdocument ALTER COLUMN head_vector SET STORAGE MAIN"]


def ensure_search_schema(using=None) -> bool:
    """Create the full-text index if any part of it is missing or out of
    date; returns whether anything was created. On SQLite a missing trigger
    means edits may have bypassed the index, so the index is then rebuilt
    from the documents."""
    conn = connection if using is None else using
    if conn.vendor == "sqlite":
        with conn.cursor() as cursor:
            names = [*SQLITE_TABLES, *SQLITE_TRIGGERS, *SQLITE_OLD_TRIGGERS]
            cursor.execute(
                f"SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'trigger') "
                f"AND name IN ({', '.join(['%s'] * len(names))})",
                names,
            )
            found = dict(cursor.fetchall())
            current = all(found.get(table) == sql for table, sql in SQLITE_TABLES.items())
            if current and set(found) == {*SQLITE_TABLES, *SQLITE_TRIGGERS}:
                return False
            for name in SQLITE_OLD_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            for table, sql in SQLITE_TABLES.items():
                if found.get(table) != sql:
                    cursor.execute(f"DROP TABLE IF EXISTS {table}")
                    cursor.execute(sql)
            for sql in _sqlite_triggers().values():
                cursor.execute(sql)
            for table in SQLITE_TABLES:
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
        return True
    if conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'portal_searchdocument' AND column_name = ANY(%s)",
                [list(POSTGRESQL_COLUMNS)],
            )
            columns = {row[0] for row in cursor.fetchall()}
            cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname = ANY(%s)", [list(POSTGRESQL_INDEXES)])
            indexes = {row[0] for row in cursor.fetchall()}
            if columns == set(POSTGRESQL_COLUMNS) and indexes == set(POSTGRESQL_INDEXES):
                return False
            # DDL on the table cannot run while deferred constraint checks
            # of this transaction are pending; run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for statement in POSTGRESQL_EXTENSIONS:
                cursor.execute(statement)
            for name, statement in POSTGRESQL_COLUMNS.items():
                if name not in columns:
                    cursor.execute(statement)
            for statement in POSTGRESQL_STORAGE:
                cursor.execute(statement)
            for name in POSTGRESQL_OLD_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
            for statement in POSTGRESQL_INDEXES.values():
                cursor.execute(statement)
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


SYNONYMS_CACHE_KEY = "search:synonyms"
SYNONYMS_CACHE_SECONDS = 60


def _synonym_table() -> list[tuple[str, str]]:
    """(normalized term, expansion) for every synonym; cached briefly and
    cleared when a synonym is saved or deleted (portal.signals)."""
    cache = caches[settings.PAGE_CACHE_ALIAS]
    table = cache.get(SYNONYMS_CACHE_KEY)
    if table is None:
        table = [(normalize(term), expansion) for term, expansion in Synonym.objects.values_list("term", "expansion")]
        cache.set(SYNONYMS_CACHE_KEY, table, SYNONYMS_CACHE_SECONDS)
    return table


def forget_synonyms() -> None:
    caches[settings.PAGE_CACHE_ALIAS].delete(SYNONYMS_CACHE_KEY)


def _synonyms_for(texts: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for key, expansion in _synonym_table():
        if key in texts:
            found.setdefault(key, []).append(expansion)
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


def fts5_expression(parsed: ParsedQuery) -> str:
    """The FTS5 query, for either table (FTS_TABLE, or FTS_HEAD_TABLE for
    name matches)."""
    slots = []
    for slot in parsed.slots:
        alternatives = ["(" + " AND ".join(_fts5_term(t) for t in alternative) + ")" for alternative in slot]
        slots.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(slots)


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
        table = FTS_HEAD_TABLE if head_only else FTS_TABLE
        return RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [fts5_expression(parsed)])
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
    return queryset.annotate(name_match=name_match).order_by("name_match", "id")


def matching_ids(parsed: ParsedQuery, model: type[models.Model]) -> models.QuerySet:
    """The ids of records of one model that match, for filter pages."""
    content_type = ContentType.objects.get_for_model(model)
    return filtered(parsed, SearchDocument.objects.filter(content_type=content_type)).values("object_id")


def _cached_by_version(computes: dict[str, Callable], version: int | None = None) -> dict[str, object]:
    """{name: compute(connection)}, each cached until the content version
    changes, per database (portal.caching.cached_many_by_version); the
    version is read unless the caller (a request, which has read it
    already) gives it."""
    from portal.caching import cached_many_by_version, current_version

    connection = _reading_connection()
    if version is None:
        version = current_version()[0]
    keys = {name: f"search:{connection.vendor}:{name}" for name in computes}
    values = cached_many_by_version(
        version, {keys[name]: functools.partial(compute, connection) for name, compute in computes.items()}
    )
    return {name: values[keys[name]] for name in computes}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def counts_by_kind(parsed: ParsedQuery, version: int | None = None) -> dict[str, int]:
    """How many documents of each kind match. Counting means visiting every
    match (tens of thousands for a common word), so the counts are cached,
    keyed by the content version and the query."""
    if parsed.is_empty:
        return {}
    expression = fts5_expression(parsed) if connection.vendor == "sqlite" else tsquery_expression(parsed)
    name = f"counts:{_digest(expression)}"
    return _cached_by_version({name: lambda connection: _count_by_kind(connection, parsed)}, version)[name]


def _name_counts_by_kind(parsed: ParsedQuery) -> tuple[str, Callable]:
    """How many documents of each kind match in their name or its pinyin
    (PostgreSQL: SearchResults plans its page from these); (cache name,
    compute) for _cached_by_version."""
    expression = tsquery_expression(parsed)

    def count(connection) -> dict[str, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id >> {KIND_SHIFT}, count(*) FROM portal_searchdocument "
                "WHERE head_vector @@ to_tsquery('simple', %s) GROUP BY 1",
                [expression],
            )
            return _by_kind(cursor.fetchall())

    return f"names:{_digest(expression)}", count


def _slot_counts(parsed: ParsedQuery) -> tuple[str, Callable]:
    """How many documents match each slot (each ANDed word) of the query on
    its own; (cache name, compute) for _cached_by_version."""
    expressions = [tsquery_expression(ParsedQuery(parsed.text, [slot])) for slot in parsed.slots]

    def count(connection) -> list[int]:
        one = "(SELECT count(*) FROM portal_searchdocument WHERE search_vector @@ to_tsquery('simple', %s))"
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join([one] * len(expressions)), expressions)
            return list(cursor.fetchone())

    return f"slots:{_digest(' & '.join(expressions))}", count


# A prefix word is left to the row-by-row check when it matches at least
# this many times as many documents as the rarest word of the query.
PREFIX_LEFT_TO_CHECK = 10


def index_expression(parsed: ParsedQuery, slot_counts: list[int]) -> str:
    """The part of the query the GIN index reads; the rest is checked row
    by row on what it returns (ts_match_vq).

    GIN answers a prefix (`'chen':*`) by merging the postings of every
    indexed word that starts with it (95,000 documents for `chen` in the
    100,000-record benchmark, 14 ms) before it can intersect them with the
    query's other words; it skips through exact words' postings instead.
    So a prefix word much commoner than the query's rarest word is left
    out of the index read: `chen honglei` reads the 15 documents of
    `honglei` and checks `chen` on each."""
    rarest = min(slot_counts)
    kept = [
        slot
        for slot, count in zip(parsed.slots, slot_counts, strict=True)
        if not (count > rarest and count >= PREFIX_LEFT_TO_CHECK * rarest and _has_prefix(slot))
    ]
    return tsquery_expression(ParsedQuery(parsed.text, kept))


def _has_prefix(slot: Slot) -> bool:
    return any(term.prefix for alternative in slot for term in alternative)


def _by_kind(rows) -> dict[str, int]:
    return {KIND_BY_ORDER[order].key: n for order, n in rows if order in KIND_BY_ORDER}


def _reading_connection():
    """The connection public reads go through (the read-only reader, or a
    replica, when the router says so); raw SQL must ask, as the ORM does."""
    return connections[router.db_for_read(SearchDocument)]


def _count_by_kind(connection, parsed: ParsedQuery) -> dict[str, int]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"SELECT rowid >> {KIND_SHIFT}, count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s GROUP BY 1",
                [fts5_expression(parsed)],
            )
        else:
            cursor.execute(
                f"SELECT id >> {KIND_SHIFT}, count(*) FROM portal_searchdocument "
                "WHERE search_vector @@ to_tsquery('simple', %s) GROUP BY 1",
                [tsquery_expression(parsed)],
            )
        return _by_kind(cursor.fetchall())


# The token columns are for matching only; a page of results shows the
# title, the text and the link.
INDEX_COLUMNS = ("head", "pinyin", "body", "analyzer")
# PostgreSQL reads a result of at most this many documents whole, in one
# index scan (SearchResults._postgresql_page).
SMALL_RESULT = 200


def _shown_fields() -> list:
    return [field for field in SearchDocument._meta.concrete_fields if field.name not in INDEX_COLUMNS]


class SearchResults:
    """The results of one query (of one kind, optionally) in result order,
    for the paginator: its length comes from the counts per kind already
    computed for the facets, and a slice reads just that page's ids from
    the full-text index (name matches first, then the rest, each in id
    order), then those documents."""

    def __init__(
        self, parsed: ParsedQuery, kind: str = "", counts: dict[str, int] | None = None, version: int | None = None
    ) -> None:
        self.parsed = parsed
        self.kind = kind if kind in KIND_BY_KEY else ""
        self.version = version  # the content version, when the caller has read it
        self.counts = counts_by_kind(parsed, version) if counts is None else counts

    def count(self) -> int:
        return self.counts.get(self.kind, 0) if self.kind else sum(self.counts.values())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[SearchDocument]:
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("SearchResults supports slices only, e.g. results[0:20].")
        start, stop, _ = index.indices(self.count())
        if self.parsed.is_empty or stop <= start:
            return []
        connection = _reading_connection()
        if connection.vendor != "sqlite":
            return self._postgresql_page(connection, start, stop)
        ids = self._sqlite_ids(connection, start, stop)
        documents = SearchDocument.objects.defer(*INDEX_COLUMNS).in_bulk(ids)
        return [documents[pk] for pk in ids if pk in documents]

    def _sqlite_ids(self, connection, start: int, stop: int) -> list[int]:
        """FTS5 returns a MATCH in rowid order and stops at the LIMIT, so the
        name matches, then the rest, are each one query."""
        names = self._sqlite_query(connection, head=True, limit=stop, offset=0)
        ids = names[start:stop]
        if len(names) < stop:
            # Every name match is in `names`; the page goes on with the rest.
            ids += self._sqlite_query(
                connection, head=False, limit=stop - start - len(ids), offset=max(0, start - len(names)), exclude=names
            )
        return ids

    def _sqlite_query(self, connection, head: bool, limit: int, offset: int, exclude: list[int] | None = None):
        if limit <= 0:
            return []
        low, high = id_range(self.kind) if self.kind else (0, 1 << 62)
        exclude = exclude or []
        excluded = f"AND rowid NOT IN ({', '.join(['%s'] * len(exclude))})" if exclude else ""
        table = FTS_HEAD_TABLE if head else FTS_TABLE
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {table} WHERE {table} MATCH %s AND rowid >= %s AND rowid < %s "
                f"{excluded} ORDER BY rowid LIMIT %s OFFSET %s",
                [fts5_expression(self.parsed), low, high, *exclude, limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]

    def _postgresql_page(self, connection, start: int, stop: int) -> list[SearchDocument]:
        """The results are segments, each one kind's name matches or one
        kind's other matches, in this order: every kind's name matches, then
        every kind's other matches. The counts per kind of both say exactly
        which segments a page falls in and where, so each segment on the page
        is read with its own LIMIT and OFFSET, all in one statement, and with
        the plan that suits it (cheapest_read): for a segment dense in its
        kind, walk the kind's primary key in order until the page is full;
        for a sparse one, read its matches from the GIN index and sort them;
        in between, read them chunk by chunk until the page is full. Chosen
        from the exact counts rather than left to the planner, which
        misjudges how common a phrase is, and never a whole-table scan.

        A small result is read whole, in one index scan: a prefix such as
        `chen` (pinyin) stands for thousands of indexed words, and each
        segment's GIN scan would merge all their postings again."""
        query = tsquery_expression(self.parsed)
        small = self.count() <= SMALL_RESULT
        names_key, count_names = _name_counts_by_kind(self.parsed)
        computes = {} if small else {names_key: count_names, "documents": _document_counts}
        # Only a query of several words, one of them a prefix, can leave a
        # word to the row-by-row check (index_expression).
        several = len(self.parsed.slots) > 1 and any(_has_prefix(slot) for slot in self.parsed.slots)
        if several:
            slots_key, count_slots = _slot_counts(self.parsed)
            computes[slots_key] = count_slots
        cached = _cached_by_version(computes, self.version) if computes else {}
        indexed = index_expression(self.parsed, cached[slots_key]) if several else query
        # `vector @@ qi` is what the index reads; the row check, when the
        # index read leaves words out, is `ts_match_vq(vector, q)`.
        queries = "to_tsquery('simple', %s) q, to_tsquery('simple', %s) qi"

        def matches_sql(vector: str, table: str = "") -> str:
            check = f" AND ts_match_vq({table}{vector}, q)" if indexed != query else ""
            return f"{table}{vector} @@ qi{check}"

        if small:
            kind = "AND document.kind_order = %s::smallint" if self.kind else ""
            return self._postgresql_documents(
                connection,
                f"FROM portal_searchdocument document, {queries} "
                f"WHERE {matches_sql('search_vector', 'document.')} {kind} "
                "ORDER BY NOT ts_match_vq(document.head_vector, q), document.id LIMIT %s OFFSET %s",
                [query, indexed, *([KIND_BY_KEY[self.kind].order] if self.kind else []), stop - start, start],
            )
        names, sizes = cached[names_key], cached["documents"]
        kinds = [self.kind] if self.kind else [kind.key for kind in KINDS]
        parts: list[str] = []
        params: list = []
        position = 0
        for head in (True, False):
            for kind in kinds:
                matches = names.get(kind, 0) if head else self.counts.get(kind, 0) - names.get(kind, 0)
                first, position = position, position + matches
                if matches <= 0 or position <= start or first >= stop:
                    continue
                offset = max(start, first) - first
                limit = min(stop, position) - max(start, first)
                plan = cheapest_read(offset + limit, sizes.get(kind, 0), matches)
                # ts_match_vq() is the function behind @@: as a plain call no
                # index can serve it, which keeps a walk a walk; `id + 0`
                # keeps a GIN read off the primary key's order. A GIN read
                # names the kind (or the chunk), so it reads only those
                # candidates from the (kind_order, chunk, vector) index. It
                # has no id range: the kind says the same, and a range on the
                # id lets the planner AND in a bitmap of the whole kind from
                # the primary key (2 ms for 50,000 ids).
                vector = "head_vector" if head else "search_vector"
                not_name = "" if head else " AND NOT ts_match_vq(head_vector, q)"
                low, high = id_range(kind)
                if plan == "chunks":
                    # Chunk by chunk, in order: the LIMIT stops the loop once
                    # the page is full. The last chunk is the kind's highest
                    # id's, so a page that finds fewer matches than the
                    # cached counts promised (a write since) still ends.
                    parts.append(
                        f"(SELECT {len(parts)} AS segment, chunk_match.id FROM {queries}, generate_series("
                        f"%s::bigint >> {CHUNK_SHIFT}, (SELECT max(id) FROM portal_searchdocument "
                        f"WHERE id >= %s AND id < %s) >> {CHUNK_SHIFT}) chunk, "
                        f"LATERAL (SELECT id FROM portal_searchdocument WHERE {matches_sql(vector)} "
                        f"AND (id >> {CHUNK_SHIFT}) = chunk{not_name} ORDER BY id + 0) chunk_match "
                        "LIMIT %s OFFSET %s)"
                    )
                    params += [query, indexed, low, low, high, limit, offset]
                    continue
                if plan == "walk":
                    match, match_params, order = f"ts_match_vq({vector}, q) AND id >= %s AND id < %s", [low, high], "id"
                else:
                    match = f"{matches_sql(vector)} AND kind_order = %s::smallint"
                    match_params, order = [KIND_BY_KEY[kind].order], "id + 0"
                parts.append(
                    f"(SELECT {len(parts)} AS segment, id FROM portal_searchdocument, {queries} "
                    f"WHERE {match}{not_name} ORDER BY {order} LIMIT %s OFFSET %s)"
                )
                params += [query, indexed, *match_params, limit, offset]
        if not parts:
            return []
        # The page's documents come with their ids, joined by primary key.
        return self._postgresql_documents(
            connection,
            f"FROM ({' UNION ALL '.join(parts)}) page "
            "JOIN portal_searchdocument document ON document.id = page.id ORDER BY page.segment, page.id",
            params,
        )

    @staticmethod
    def _postgresql_documents(connection, from_sql: str, params: list) -> list[SearchDocument]:
        """SELECT the shown columns of `document` {from_sql}, with sequential
        scans, JIT and parallel plans off (a chunked read relies on a nested
        loop returning its chunks in order, which a parallel plan would
        not keep). Two statements in one round trip (Django's psycopg
        cursors bind parameters client-side, which allows it; the database
        OPTIONS must not turn on `server_side_binding`): they run as one
        implicit transaction, which the local settings last for. (JIT:
        with sequential scans off, a plan's cost can pass JIT's threshold,
        and compiling takes ~90 ms.)"""
        fields = _shown_fields()
        columns = ", ".join(f"document.{connection.ops.quote_name(field.column)}" for field in fields)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true), "
                "set_config('max_parallel_workers_per_gather', '0', true); "
                f"SELECT {columns} {from_sql}",
                params,
            )
            cursor.nextset()
            rows = cursor.fetchall()
        names = [field.attname for field in fields]
        return [SearchDocument.from_db(connection.alias, names, row) for row in rows]


# What a GIN scan of one chunk costs beyond the rows it visits, in rows
# (about 20 µs against 1.5 µs a row, measured at 100,000 records).
CHUNK_SCAN_ROWS = 12


def cheapest_read(wanted: int, documents: int, matches: int) -> str:
    """How to read the first `wanted` of a kind's `matches` (of its
    `documents`) in id order, whichever visits the fewest rows:
    - "walk": the kind's documents in id order, checking each, until
      `wanted` match: about wanted × documents / matches rows;
    - "kind": every match, from the GIN index, then the first `wanted`:
      `matches` rows;
    - "chunks": the matches chunk by chunk, from the GIN index, until
      `wanted` are found: a scan per chunk and every match in it.
    A walk suits a common word, a kind read a rare one; chunks suit the
    middle, where both of the others visit about a thousand rows for a page
    of 20 at 100,000 records."""
    if matches <= 0 or documents <= 0:
        return "kind"
    per_chunk = matches * (1 << CHUNK_SHIFT) / documents
    chunks = min(math.ceil(wanted / per_chunk), math.ceil(documents / (1 << CHUNK_SHIFT)))
    costs = {
        "walk": wanted * documents / matches,
        "kind": matches,
        "chunks": chunks * (min(per_chunk, matches) + CHUNK_SCAN_ROWS),
    }
    return min(costs, key=costs.get)


def _document_counts(connection) -> dict[str, int]:
    """How many documents each kind has."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id >> {KIND_SHIFT}, count(*) FROM portal_searchdocument GROUP BY 1")
        return _by_kind(cursor.fetchall())


# --------------------------------------------------------------------------
# Showing results


def highlight(text: str, needles: list[str]) -> SafeString:
    """The text, HTML-escaped, with every match wrapped in <mark>."""
    spans = _joined(text, highlight_spans(text, needles))
    parts: list[str] = []
    position = 0
    for start, end in spans:
        parts.append(escape(text[position:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))


def _joined(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Marks with only spaces or a hyphen between them become one mark
    (`rare-earth`, not `rare`-`earth`)."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and JOINING_GAP.fullmatch(text[joined[-1][1] : start]):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


JOINING_GAP = re.compile(r"[\s\-\u2010-\u2015]{1,3}")


def snippet(text: str, needles: list[str], width: int = 80, on_words: bool = False) -> SafeString:
    """A short window of the text around the first match (or its start),
    highlighted; with on_words (a language with spaces), the window starts
    and ends on a word, not inside one."""
    text = " ".join(text.split())
    if not text:
        return mark_safe("")
    spans = highlight_spans(text, needles)
    first = spans[0][0] if spans else 0
    # A third of the window before the match, less when the text ends
    # soon after it: the window is as full as the text allows.
    start = max(min(first - width // 3, len(text) - width), 0)
    end = min(start + width, len(text))
    if on_words:
        space = text.find(" ", start, first)
        if start > 0 and text[start - 1] != " " and space != -1:
            start = space + 1
        space = text.rfind(" ", max(first, start), end)
        if end < len(text) and text[end] != " " and space != -1:
            end = space
    window = text[start:end].strip()
    return mark_safe(("…" if start > 0 else "") + str(highlight(window, needles)) + ("…" if end < len(text) else ""))
