"""The full-text index is the migrations' own (portal 0015, frozen SQL):
`migrate` on an empty database creates all of it, nothing else does, and
running the migration again on a database that has it changes nothing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from search.schema import (
    FTS_HEAD_TABLE,
    FTS_TABLE,
    POSTGRESQL_COLUMNS,
    POSTGRESQL_INDEXES,
    SQLITE_OLD_TRIGGERS,
    SQLITE_TABLES,
    SQLITE_TRIGGERS,
    ensure_search_schema,
)

ROOT = Path(settings.BASE_DIR)


def migrate(database_url: str, *target: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", *target, "--no-input", "--verbosity", "0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        check=True,
        timeout=600,
    )


def sqlite_index(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'trigger')").fetchall()
    return dict(rows)


@pytest.mark.django_db
def test_the_test_database_made_by_migrate_has_nothing_to_repair():
    # No post_migrate step creates the index any more: migrate alone did.
    assert ensure_search_schema() is False


def test_a_fresh_sqlite_database_gets_the_whole_index_from_migrate_and_keeps_it_when_migrated_again(tmp_path):
    path = tmp_path / "fresh.sqlite3"
    migrate(f"sqlite:///{path}")
    found = sqlite_index(path)
    assert {name: found.get(name) for name in SQLITE_TABLES} == SQLITE_TABLES
    assert set(SQLITE_TRIGGERS) <= set(found)
    assert not set(found) & set(SQLITE_OLD_TRIGGERS)

    # Back before 0015 and forward again: the index is dropped and created
    # anew, the same as before, and fed by its triggers.
    migrate(f"sqlite:///{path}", "portal", "0014")
    migrate(f"sqlite:///{path}")
    assert sqlite_index(path) == found
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO portal_searchdocument (id, kind, kind_order, object_id, path, title, title_en, text, "
            "text_en, head, pinyin, body, content_type_id, analyzer) "
            "VALUES (4294967297, 'exhibit', 1, 1, '/x/', 'x', '', '', '', '稀土 土', 'xitu', '', 1, 3)"
        )
        for table in (FTS_TABLE, FTS_HEAD_TABLE):
            assert db.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH 'xitu'").fetchall() == [(4294967297,)]


def test_a_fresh_postgresql_database_gets_the_whole_index_from_migrate_and_keeps_it_when_migrated_again():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's generated columns and GIN indexes (DATABASE_URL is SQLite)")
    config = connection.settings_dict
    server = {
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"] or "postgres",
        "password": config["PASSWORD"] or None,
    }
    name = f"{config['NAME']}_fresh_{uuid.uuid4().hex[:8]}"
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
    url = f"postgres://{server['user']}{password}@{server['host']}:{server['port']}/{name}"

    def index_of(db) -> tuple[set, dict]:
        columns = {
            row[0]
            for row in db.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = 'portal_searchdocument' AND is_generated = 'ALWAYS'"
            )
        }
        indexes = dict(
            db.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'portal_searchdocument'")
        )
        return columns, indexes

    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        migrate(url)
        with psycopg.connect(dbname=name, **server) as db:
            columns, indexes = index_of(db)
        assert columns == set(POSTGRESQL_COLUMNS)
        assert set(POSTGRESQL_INDEXES) <= set(indexes)
        assert all("gin" in indexes[index] for index in POSTGRESQL_INDEXES)

        migrate(url, "portal", "0014")
        migrate(url)
        with psycopg.connect(dbname=name, **server) as db:
            assert index_of(db) == (columns, indexes)
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
