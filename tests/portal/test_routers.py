"""Reads can go to a replica: public reads use it, writes and reads inside
a write transaction use the primary. The replica here is a second database
alias pointing at the same test database on the local server."""

import pytest
from django.db import connections, router, transaction
from django.test.utils import CaptureQueriesContext

from portal.models import Report
from portal.routers import PortalRouter
from tests import factories as make


def replica_router() -> PortalRouter:
    routing = PortalRouter()
    routing.reader, routing.replica = None, "replica"
    return routing


def test_the_router_sends_reads_to_the_replica_and_writes_to_the_primary(db):
    routing = replica_router()
    assert routing.db_for_write(Report) == "default"
    with transaction.atomic():
        assert routing.db_for_read(Report) == "default"
    # pytest-django wraps each test in a transaction; outside one, reads go
    # to the replica, which test_public_pages_read_from_the_replica proves.
    assert routing.allow_migrate("replica", "portal") is False
    assert routing.allow_migrate("default", "portal") is True


@pytest.fixture
def replica():
    original = router.routers
    router.routers = [replica_router()]
    try:
        yield connections["replica"]
    finally:
        router.routers = original


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_public_pages_read_from_the_replica_and_writes_go_to_the_primary(client, replica):
    source = make.report()
    person = make.person(source, name="苏和")

    with CaptureQueriesContext(replica) as on_replica, CaptureQueriesContext(connections["default"]) as on_primary:
        response = client.get(f"/craftsmen/{person.slug}/")
    assert response.status_code == 200
    assert "苏和" in response.content.decode()
    assert len(on_replica) > 0
    assert all("SELECT" in q["sql"] for q in on_replica.captured_queries)
    assert len(on_primary) == 0

    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
        transaction.atomic(),
    ):
        person.name = "苏和巴特尔"
        person.save()
        Report.objects.count()
    assert len(on_replica) == 0
    assert len(on_primary) > 0
