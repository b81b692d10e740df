"""The health check for PostgreSQL's connection pool (settings.DATABASES)."""

from __future__ import annotations

import select

import psycopg
from psycopg_pool import ConnectionPool


def check_connection(connection: psycopg.Connection) -> None:
    """Check a pooled connection before a request gets it, with a round trip
    only when its socket says something happened.

    psycopg_pool's own check sends an empty query: a round trip on every
    request, as costly as a cached page's one query. But a server that
    ends a connection (a restart, pg_terminate_backend, an idle timeout)
    sends its goodbye and closes the socket, which makes the idle socket
    readable; a healthy idle connection's socket never is. So a poll() of
    the socket comes first, and the empty query only if it shows data, a
    hang-up or an error. (A connection lost without a word, a network cut,
    is found by neither check before the request's query times out.)"""
    if connection.closed:
        raise psycopg.OperationalError("the connection is closed")
    poller = select.poll()
    poller.register(connection.fileno(), select.POLLIN | select.POLLPRI)
    if poller.poll(0):
        ConnectionPool.check_connection(connection)
