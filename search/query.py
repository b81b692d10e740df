"""Queries: parsing what a person typed (with synonyms), matching it on
either database, counting the matches per kind, and the results in order.

- Queries are built from analyzer tokens only (portal.text), never from
  the user's raw input, so no search syntax can leak through.
- Order: records whose name (or its pinyin) matches come first, then the
  rest; within each group, by kind and then by the records' own order
  (document id), which is the same on both databases.
- The search page pages through SearchResults; the API and the exports
  read `matching()`, the same matches in the same order as one ORM query."""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import connection, connections, models, router
from django.db.models import Case, IntegerField, Value, When
from django.db.models.expressions import RawSQL

from portal.models import SearchDocument, Synonym
from portal.text import Term, normalize, query_terms
from search.kinds import KIND_BY_KEY, KIND_BY_ORDER, KIND_SHIFT, KINDS, id_range
from search.schema import CHUNK_SHIFT, FTS_HEAD_TABLE, FTS_TABLE

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
    cleared when a synonym is saved or deleted (search.signals)."""
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
    indexed word that starts with it (nearly every document, for a common
    surname's pinyin) before it can intersect them with the query's other
    words; it skips through exact words' postings instead.
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
                # the primary key.
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
        scans and parallel plans off (a chunked read relies on a nested
        loop returning its chunks in order, which a parallel plan would
        not keep). Two statements in one round trip (Django's psycopg
        cursors bind parameters client-side, which allows it; the database
        OPTIONS must not turn on `server_side_binding`): they run as one
        implicit transaction, which the local settings last for."""
        fields = _shown_fields()
        columns = ", ".join(f"document.{connection.ops.quote_name(field.column)}" for field in fields)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('enable_seqscan', 'off', true), "
                "set_config('max_parallel_workers_per_gather', '0', true); "
                f"SELECT {columns} {from_sql}",
                params,
            )
            cursor.nextset()
            rows = cursor.fetchall()
        names = [field.attname for field in fields]
        return [SearchDocument.from_db(connection.alias, names, row) for row in rows]


# What a GIN scan of one chunk costs beyond the rows it visits, in rows
# (docs/performance.md has the measurement behind it).
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
    middle, where both of the others visit many rows for one page."""
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
