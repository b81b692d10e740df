import time

import psycopg
import pytest
from django.db import connection
from psycopg_pool import ConnectionPool

from shell import dbpool

needs_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL connection")


@pytest.fixture
def pooled_connection():
    """A connection of our own, as the pool holds it: idle, in autocommit."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    with psycopg.connect(**params, autocommit=True) as conn:
        yield conn


@pytest.fixture
def round_trips(monkeypatch):
    calls = []
    original = ConnectionPool.check_connection
    monkeypatch.setattr(
        ConnectionPool, "check_connection", staticmethod(lambda conn: calls.append(conn) or original(conn))
    )
    return calls


@needs_postgresql
def test_a_healthy_idle_connection_passes_without_a_round_trip(pooled_connection, round_trips):
    dbpool.check_connection(pooled_connection)
    assert round_trips == []


@needs_postgresql
@pytest.mark.django_db
def test_a_connection_the_server_ended_fails_the_check(pooled_connection, round_trips):
    pid = pooled_connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    with pytest.raises(psycopg.OperationalError):
        while time.monotonic() < deadline:  # the goodbye takes a moment to arrive
            dbpool.check_connection(pooled_connection)
            time.sleep(0.01)
    assert round_trips, "the check should have asked the server once the socket showed the goodbye"


@needs_postgresql
def test_a_closed_connection_fails_the_check(pooled_connection):
    pooled_connection.close()
    with pytest.raises(psycopg.OperationalError):
        dbpool.check_connection(pooled_connection)


def test_the_pool_uses_this_check(monkeypatch):
    import shell.settings as module

    monkeypatch.setattr(module, "DATABASE_POOL", True)
    config = module._database("postgres://user@127.0.0.1:5432/db")
    assert config["OPTIONS"]["pool"]["check"] is dbpool.check_connection
