"""Which database connection a query uses.

Public requests (everything but the admin) read through the `reader`
alias: a PostgreSQL role that can only SELECT the public content tables,
or on SQLite the same file opened read-only. They cannot write at all:
their writes are routed to the reader too, where they fail. Everything
else (the admin, management commands, the shell) reads and writes through
`default`, or reads through a `replica` when DATABASE_REPLICA_URL is set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

READER = "reader"
REPLICA = "replica"

_public = ContextVar("portal_public_request", default=False)

# Requests under these paths may read users and sessions and write; every
# other request is public.
PRIVATE_PREFIXES = ("/admin/",)


@contextmanager
def public_reads() -> Iterator[None]:
    """Run the block as a public request: read-only, through the reader."""
    token = _public.set(True)
    try:
        yield
    finally:
        _public.reset(token)


def is_public() -> bool:
    return _public.get()


class PublicReadsMiddleware:
    """Marks every request outside the admin as public. Place it before
    anything that may query the database (the page cache reads the content
    version)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(PRIVATE_PREFIXES):
            return self.get_response(request)
        with public_reads():
            return self.get_response(request)


class PortalRouter:
    def __init__(self, reader: str | None = None, replica: str | None = None) -> None:
        self.reader = reader or (READER if READER in settings.DATABASES else None)
        self.replica = replica or (REPLICA if getattr(settings, "DATABASE_REPLICA_URL", None) else None)

    def db_for_read(self, model, **hints):
        # Inside a write transaction the writer has what the others may not
        # have yet: read your own writes. (Tests run inside one, which is
        # why only transactional tests exercise the reader.)
        if connections["default"].in_atomic_block:
            return "default"
        if self.reader and is_public():
            return self.reader
        return self.replica or "default"

    def db_for_write(self, model, **hints):
        # A public request that tries to write fails on the read-only reader.
        if self.reader and is_public() and not connections["default"].in_atomic_block:
            return self.reader
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
