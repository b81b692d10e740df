"""The full-text index over the search documents: an external-content FTS5
table (and one of the names alone) kept in sync by triggers on SQLite, a
generated, weighted tsvector column with a GIN index on PostgreSQL.

The migrations create it from SQL frozen in them (portal 0015); the
statements here are today's copy of that SQL, which ensure_search_schema
checks the database against and repairs it with (a rebuild calls it), and
which the queries name their tables and columns from."""

from django.db import connection

FTS_TABLE = "portal_searchdocument_fts"
# The names and their pinyin alone: FTS5 answers a column filter
# (`{head pinyin} : ...`) by reading a word's whole doclist and its
# positions, so finding the name matches of a common word in the main
# table reads a long doclist; here it is a short one.
FTS_HEAD_TABLE = "portal_searchdocument_head_fts"
SENTINEL = "〇"  # never emitted by the analyzer; keeps phrases from spanning columns on PostgreSQL


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
