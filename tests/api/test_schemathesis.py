"""The API against its own OpenAPI schema: schemathesis generates requests
for every operation from the schema (Hypothesis, a bounded number of
examples each) and sends them to the WSGI app in-process. No response may
be a server error, use a status or content type the schema does not
declare, or break the declared response schema.

The run's counts (operations, requests, statuses) are printed at the end
of the module; see them with `pytest tests/api/test_schemathesis.py -s`."""

from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.views import api
from tests import factories as make

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
MAX_EXAMPLES = 15

statuses: Counter = Counter()
operations: set[str] = set()


@pytest.fixture(scope="module", autouse=True)
def _report_counts():
    yield
    if statuses:
        by_status = ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items()))
        print(f"\nschemathesis: {len(operations)} operations, {statuses.total()} requests ({by_status})")


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go through the real WSGI handler, whose request signals
    would close the test's database connection (and its transaction) on
    PostgreSQL; Django's own test client disconnects them the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def records(db):
    """A few records of each kind, so lists and details have something to
    return and every response schema is exercised."""
    source = make.report(slug="report-st")
    show = make.exhibition(source, slug="show")
    rung = make.tier(source, slug="rung")
    firm = make.organisation(source, slug="firm", place=make.place(source, slug="city"))
    make.exhibit(
        source,
        slug="item",
        exhibition=show,
        sectors=[make.sector(source, slug="wind")],
        kind=make.kind(source, slug="device"),
        area=make.area(source, exhibition=show, slug="hall"),
        organisation=firm,
        makers=[make.person(source, slug="maker", tier=rung, organisation=firm)],
    )
    make.tier_count(source, tier=rung, slug="count")
    make.pilot_category(source, batch=make.pilot_batch(source, slug="batch"))
    make.academy(source, slug="school", groups=[make.academy_group(source)], academy_type=make.academy_type(source))
    make.event(source, slug="meeting").hosts.add(firm)
    make.figure(source, slug="figure", value=None, precision="vague")
    make.figure(source, slug="range", value=1, value_max=2, precision="range")
    make.programme(source, slug="programme").organisations.add(firm)


# The schema is the one /api/v1/openapi.json serves (tests/api/test_endpoints.py
# checks that), built without a request so it can be loaded at collection
# time; requests go to the WSGI app in-process. (schemathesis'
# from_fixture loader does not work with pytest 9.)
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_generated_request_gets_a_server_error_or_a_response_the_schema_does_not_allow(case):
    # The WSGI test client would not un-gzip the body (the portal
    # compresses whenever the client accepts it).
    response = case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})
    operations.add(case.operation.label)
    statuses[response.status_code] += 1
