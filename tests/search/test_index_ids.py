"""Two writers adding records of the same kind at the same moment each get a
search document with an id of its own (search.index._lock_ids)."""

import threading
import time

import pytest
from django.db import connection, connections

from portal.models import SearchDocument
from search import index
from search.index import _lock_ids, _next_id
from search.kinds import id_range
from tests import factories as make

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=(
        "PostgreSQL only: SQLite has one write lock for the whole database; index_record's transaction "
        "takes it with its UPDATE before reading the max id and holds it until the new document is "
        "committed, so two writers cannot interleave there (and in the in-memory test database a second "
        "writer fails at once with 'table is locked' instead of waiting, so the race cannot be staged)"
    ),
)
def test_two_writers_adding_people_at_once_get_different_document_ids(monkeypatch):
    source = make.report()
    make.person(source)  # a document of the kind already exists: both writers read its id as the max
    both_ready = threading.Barrier(2, timeout=20)
    lock_ids, next_id = _lock_ids, _next_id

    def lock_together(using, kinds):
        # Both writers have saved their person and are about to number its
        # document: they now race for the id.
        both_ready.wait()
        lock_ids(using, kinds)

    def next_id_then_linger(kind, using):
        # Hold on to the id a moment before inserting it, so a writer that
        # did not wait for the first would read the same max.
        new = next_id(kind, using)
        time.sleep(0.3)
        return new

    monkeypatch.setattr(index, "_lock_ids", lock_together)
    monkeypatch.setattr(index, "_next_id", next_id_then_linger)
    errors = []

    def writer(n):
        try:
            # Autocommit, as a script or management command writes: inside
            # one transaction per edit (the admin), the content version's row
            # lock (portal.caching) already makes the second writer wait.
            make.person(name=f"并发{n}", slug=f"concurrent-{n}")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    ids = list(SearchDocument.objects.filter(title__startswith="并发").values_list("id", flat=True))
    low, high = id_range("person")
    assert len(set(ids)) == 2 and all(low < i < high for i in ids)
