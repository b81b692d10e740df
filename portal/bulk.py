"""Writing many records at once (a fixture load, a test building rows).
What follows each record's save (its search document, search.signals) is
switched off meanwhile; a load that keeps its records sends
`records_loaded` at the end, inside its transaction, and the followers
catch up once (search rebuilds every document)."""

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from django.dispatch import Signal

_bulk = contextvars.ContextVar("bulk_writes", default=False)

# Receivers return how many rows they rebuilt (the load reports it).
records_loaded = Signal()


@contextmanager
def bulk_writes() -> Iterator[None]:
    token = _bulk.set(True)
    try:
        yield
    finally:
        _bulk.reset(token)


def in_bulk_writes() -> bool:
    return _bulk.get()
