"""Public reads run through a read-only `reader` alias (portal.routers):
on PostgreSQL a role with SELECT on the public content tables only, on
SQLite the same file opened read-only. Public requests cannot write, and
keep working when the writer's connection is unusable."""

import sqlite3
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.test.utils import CaptureQueriesContext
from simple_history.models import HistoricalRecords

from portal.fixtures import load_fixtures
from portal.models import Report
from portal.reader import public_tables
from portal.routers import PortalRouter, public_reads
from shell import settings as shell_settings
from tests.public_urls import ENGLISH_PATHS, PUBLIC_PATHS

postgresql_only = pytest.mark.skipif(
    connections["default"].vendor != "postgresql", reason="the reader role is a PostgreSQL role"
)


def reader_wrapper(path) -> SQLiteWrapper:
    """A connection configured exactly as settings.py configures the reader
    for an SQLite file."""
    config = shell_settings._reader(
        {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": {}, **_defaults()}
    )
    return SQLiteWrapper(config, alias="reader-under-test")


def _defaults() -> dict:
    return {
        "ATOMIC_REQUESTS": False,
        "AUTOCOMMIT": True,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "TIME_ZONE": None,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "TEST": {},
    }


def test_the_sqlite_reader_opens_the_database_file_read_only_and_cannot_undo_it(tmp_path, django_db_blocker):
    path = tmp_path / "portal.sqlite3"
    with sqlite3.connect(path) as setup:
        setup.execute("CREATE TABLE record (name TEXT)")
        setup.execute("INSERT INTO record VALUES ('高凤林')")
    reader = reader_wrapper(path)
    assert reader.settings_dict["NAME"].endswith("?mode=ro")
    try:
        with django_db_blocker.unblock(), reader.cursor() as cursor:
            cursor.execute("SELECT name FROM record")
            assert cursor.fetchall() == [("高凤林",)]
            cursor.execute("PRAGMA query_only = OFF")
            for statement in [
                "INSERT INTO record VALUES ('x')",
                "UPDATE record SET name = 'x'",
                "DELETE FROM record",
                "CREATE TABLE other (x INTEGER)",
            ]:
                with pytest.raises(DatabaseError, match="readonly"):
                    cursor.execute(statement)
    finally:
        reader.close()
    with sqlite3.connect(path) as check:
        assert check.execute("SELECT name FROM record").fetchall() == [("高凤林",)]


def test_the_sqlite_reader_uri_survives_unusual_characters_in_the_path(tmp_path):
    path = tmp_path / "a dir?#" / "db.sqlite3"
    path.parent.mkdir()
    sqlite3.connect(path).close()
    name = reader_wrapper(path).settings_dict["NAME"]
    assert name == f"file://{quote(str(path))}?mode=ro"


def test_the_readable_tables_are_public_content_only():
    tables = public_tables()
    assert {"portal_report", "portal_citation", "craftsmen_person", "exhibits_exhibit"} <= set(tables)
    assert "exhibits_exhibit_makers" in tables
    assert "portal_contentversion" in tables
    for private in ["auth_user", "django_session", "django_admin_log", "portal_fixtureload", "axes_accessattempt"]:
        assert private not in tables
    assert not [table for table in tables if "historical" in table]
    m2m_history = {model._meta.db_table for model in HistoricalRecords.m2m_models.values()}
    assert "exhibits_historicalexhibit_makers" in m2m_history
    assert not m2m_history & set(tables)


@pytest.mark.django_db(transaction=True, databases=["default", "reader"])
def test_public_requests_read_through_the_reader_and_everything_else_through_the_writer():
    routing = PortalRouter()
    assert routing.db_for_read(Report) == "default"
    assert routing.db_for_write(Report) == "default"
    with public_reads():
        assert routing.db_for_read(Report) == "reader"
        # A public request that tries to write meets the read-only reader.
        assert routing.db_for_write(Report) == "reader"
    assert routing.allow_migrate("reader", "portal") is False


@pytest.mark.django_db(transaction=True, databases=["default", "reader"])
def test_a_public_request_cannot_write():
    with public_reads(), pytest.raises(DatabaseError):
        Report.objects.create(slug="x", file_name="x.txt", title="x")
    assert not Report.objects.filter(slug="x").exists()


@pytest.mark.django_db(transaction=True, databases=["default", "reader"])
def test_public_pages_work_while_the_writers_connection_refuses_every_use(client, writer_unusable_later):
    writer_unusable_later()
    with CaptureQueriesContext(connections["reader"]) as on_reader:
        for path in [*PUBLIC_PATHS, *ENGLISH_PATHS, "/search/?q=高凤林", "/sitemap.xml", "/robots.txt"]:
            response = client.get(path)
            assert response.status_code == 200, path
            assert not response.cookies, path
    assert len(on_reader) > len(PUBLIC_PATHS)


@pytest.fixture
def writer_unusable_later(monkeypatch):
    """Load the real fixtures through the writer, then make it unusable."""
    load_fixtures()

    def make_unusable():
        def refuse(*args, **kwargs):
            raise AssertionError("a public request used the writer's connection")

        writer = connections["default"]
        monkeypatch.setattr(writer, "ensure_connection", refuse)
        monkeypatch.setattr(writer, "connect", refuse)

    return make_unusable


@pytest.mark.django_db(transaction=True, databases=["default", "reader"])
def test_the_admin_reads_and_writes_through_the_writer(client):
    staff = get_user_model().objects.create_superuser("editor", password="a long passphrase")
    client.force_login(staff)
    with CaptureQueriesContext(connections["reader"]) as on_reader:
        assert client.get("/admin/").status_code == 200
        assert client.get("/admin/portal/report/").status_code == 200
    assert len(on_reader) == 0


# PostgreSQL: the role's privileges -----------------------------------------


@pytest.fixture
def reader_cursor(db, django_db_blocker):
    """A connection of its own as the reader role, in autocommit, as a
    public request has it (the test's reader alias sits inside the test's
    transaction, where the first refused statement would end it)."""
    settings_dict = {**connections["reader"].settings_dict}
    reader = type(connections["reader"])(settings_dict, alias="reader-under-test")
    with django_db_blocker.unblock():
        try:
            with reader.cursor() as cursor:
                yield cursor
        finally:
            reader.close()


@postgresql_only
def test_the_reader_role_is_read_only_with_a_statement_timeout(reader_cursor):
    reader_cursor.execute("SELECT current_user, current_setting('default_transaction_read_only')")
    user, read_only = reader_cursor.fetchone()
    assert user.endswith("_reader")
    assert read_only == "on"
    reader_cursor.execute("SELECT current_setting('statement_timeout')")
    assert reader_cursor.fetchone()[0] not in {"0", "0ms"}
    reader_cursor.execute("SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user")
    assert reader_cursor.fetchone() == (False, False, False)


@postgresql_only
@pytest.mark.parametrize("read_only", ["on", "off"])
def test_the_reader_role_can_insert_update_delete_or_create_nothing(reader_cursor, read_only):
    reader_cursor.execute(f"SET default_transaction_read_only = {read_only}")
    for statement in [
        "INSERT INTO portal_report (slug, file_name, title) VALUES ('x', 'x', 'x')",
        "UPDATE portal_report SET title = 'x'",
        "DELETE FROM portal_citation",
        "TRUNCATE portal_synonym",
        "CREATE TABLE portal_intruder (x integer)",
        "CREATE TEMPORARY TABLE intruder (x integer)",
        "INSERT INTO portal_fixtureload (digest, loaded_at, records) VALUES ('x', now(), 0)",
    ]:
        with pytest.raises(DatabaseError, match="read-only|permission denied"):
            reader_cursor.execute(statement)


@postgresql_only
@pytest.mark.parametrize(
    "table",
    [
        "auth_user",
        "django_session",
        "django_admin_log",
        "axes_accessattempt",
        "otp_totp_totpdevice",
        "portal_historicalreport",
        "craftsmen_historicalperson",
        # The versions of many-to-many relations are edit history too.
        "exhibits_historicalexhibit_makers",
        "exhibits_historicalexhibit_sectors",
        "portal_historicalevent_hosts",
        "portal_historicalprogramme_organisations",
        "craftsmen_historicalacademy_groups",
        "portal_fixtureload",
    ],
)
def test_the_reader_role_cannot_read_private_tables(reader_cursor, table):
    with pytest.raises(DatabaseError, match="permission denied"):
        reader_cursor.execute(f"SELECT * FROM {table} LIMIT 1")


@postgresql_only
def test_the_reader_role_reads_every_public_table(reader_cursor):
    for table in public_tables():
        reader_cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")


@postgresql_only
@pytest.mark.django_db
def test_setting_up_the_reader_role_again_changes_nothing():
    from django.core.management import call_command

    call_command("setup_reader_role", verbosity=0)
    call_command("setup_reader_role", verbosity=0)
