"""The full-text index over the search documents, as SQL frozen here (it
was created by live code after every migrate before): on SQLite two
external-content FTS5 tables (everything; the names and their pinyin alone)
and the triggers that keep both in step with portal_searchdocument; on
PostgreSQL two generated tsvector columns and their GIN indexes.

Idempotent, for a fresh database and for one that already has the index:
SQLite's tables and triggers are dropped if they exist and created again,
then filled from the documents; PostgreSQL's columns and indexes are added
if missing, and the indexes they replaced are dropped. Any later migration
that rebuilds portal_searchdocument on SQLite (which drops its triggers)
must create the triggers again, from SQL frozen in it."""

from django.db import migrations

SQLITE = [
    # Replaced triggers that kept the main table alone, and today's.
    "DROP TRIGGER IF EXISTS portal_searchdocument_ai",
    "DROP TRIGGER IF EXISTS portal_searchdocument_ad",
    "DROP TRIGGER IF EXISTS portal_searchdocument_au",
    "DROP TRIGGER IF EXISTS portal_searchdocument_fts_ai",
    "DROP TRIGGER IF EXISTS portal_searchdocument_fts_ad",
    "DROP TRIGGER IF EXISTS portal_searchdocument_fts_au",
    "DROP TABLE IF EXISTS portal_searchdocument_fts",
    "DROP TABLE IF EXISTS portal_searchdocument_head_fts",
    # Prefix indexes for prefix queries of 1 to 6 characters.
    "CREATE VIRTUAL TABLE portal_searchdocument_fts USING fts5(head, pinyin, body, "
    "content='portal_searchdocument', content_rowid='id', tokenize='unicode61', prefix='1 2 3 4 5 6')",
    "CREATE VIRTUAL TABLE portal_searchdocument_head_fts USING fts5(head, pinyin, "
    "content='portal_searchdocument', content_rowid='id', tokenize='unicode61', prefix='1 2 3 4 5 6')",
    "CREATE TRIGGER IF NOT EXISTS portal_searchdocument_fts_ai AFTER INSERT ON portal_searchdocument BEGIN "
    "INSERT INTO portal_searchdocument_fts(rowid, head, pinyin, body) VALUES (new.id, new.head, new.pinyin, new.body); "
    "INSERT INTO portal_searchdocument_head_fts(rowid, head, pinyin) VALUES (new.id, new.head, new.pinyin); "
    "END",
    "CREATE TRIGGER IF NOT EXISTS portal_searchdocument_fts_ad AFTER DELETE ON portal_searchdocument BEGIN "
    "INSERT INTO portal_searchdocument_fts(portal_searchdocument_fts, rowid, head, pinyin, body) "
    "VALUES ('delete', old.id, old.head, old.pinyin, old.body); "
    "INSERT INTO portal_searchdocument_head_fts(portal_searchdocument_head_fts, rowid, head, pinyin) "
    "VALUES ('delete', old.id, old.head, old.pinyin); "
    "END",
    "CREATE TRIGGER IF NOT EXISTS portal_searchdocument_fts_au AFTER UPDATE ON portal_searchdocument BEGIN "
    "INSERT INTO portal_searchdocument_fts(portal_searchdocument_fts, rowid, head, pinyin, body) "
    "VALUES ('delete', old.id, old.head, old.pinyin, old.body); "
    "INSERT INTO portal_searchdocument_head_fts(portal_searchdocument_head_fts, rowid, head, pinyin) "
    "VALUES ('delete', old.id, old.head, old.pinyin); "
    "INSERT INTO portal_searchdocument_fts(rowid, head, pinyin, body) VALUES (new.id, new.head, new.pinyin, new.body); "
    "INSERT INTO portal_searchdocument_head_fts(rowid, head, pinyin) VALUES (new.id, new.head, new.pinyin); "
    "END",
    # Fill both from the documents already there.
    "INSERT INTO portal_searchdocument_fts(portal_searchdocument_fts) VALUES ('rebuild')",
    "INSERT INTO portal_searchdocument_head_fts(portal_searchdocument_head_fts) VALUES ('rebuild')",
]

POSTGRESQL = [
    # DDL on the table cannot run while deferred constraint checks of this
    # transaction are pending.
    "SET CONSTRAINTS ALL IMMEDIATE",
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    # Everything, the name and its pinyin weighted above the rest; the
    # sentinel 〇 (never emitted by the analyzer) keeps a phrase from
    # running from the name into the body.
    "ALTER TABLE portal_searchdocument ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple'::regconfig, head || ' ' || pinyin), 'A') || "
    "setweight(ts_delete(to_tsvector('simple'::regconfig, '〇 ' || body), '〇'), 'B')) STORED",
    # The name and its pinyin alone, unweighted.
    "ALTER TABLE portal_searchdocument ADD COLUMN IF NOT EXISTS head_vector tsvector GENERATED ALWAYS AS ("
    "to_tsvector('simple'::regconfig, head || ' ' || pinyin)) STORED",
    "ALTER TABLE portal_searchdocument ALTER COLUMN head_vector SET STORAGE MAIN",
    # Replaced by the chunked indexes below.
    "DROP INDEX IF EXISTS portal_searchdocument_vector",
    "DROP INDEX IF EXISTS portal_searchdocument_head_vector",
    "DROP INDEX IF EXISTS portal_searchdocument_kind_vector",
    "DROP INDEX IF EXISTS portal_searchdocument_kind_head_vector",
    # GIN over (kind_order, chunk of 2**12 ids, vector), with btree_gin.
    "CREATE INDEX IF NOT EXISTS portal_searchdocument_chunk_vector ON portal_searchdocument "
    "USING gin (kind_order, (id >> 12), search_vector)",
    "CREATE INDEX IF NOT EXISTS portal_searchdocument_chunk_head_vector ON portal_searchdocument "
    "USING gin (kind_order, (id >> 12), head_vector)",
]


def create_full_text_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = SQLITE
    elif vendor == "postgresql":
        statements = POSTGRESQL
    else:
        raise NotImplementedError(f"Search supports SQLite and PostgreSQL, not {vendor}")
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("portal", "0014_trainee_figure_is_the_tier_count")]

    operations = [migrations.RunPython(create_full_text_index, migrations.RunPython.noop)]
