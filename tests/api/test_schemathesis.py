"""The API against its own OpenAPI schema: schemathesis generates requests
for every operation from the schema (Hypothesis, a bounded number of
examples each: valid and invalid data, unsupported methods) and sends them
to the WSGI app in-process, then runs every check schemathesis has, as
`schemathesis run --checks all` does: no server error; no status, content
type, header or body the schema does not declare; valid data accepted and
invalid data rejected; 405 with Allow for a method the API does not offer;
and the stateful checks over links between operations. The settings are
the repository's schemathesis.toml, which the CLI reads too.

The run's counts (operations, requests, statuses) are printed at the end
of the module; see them with `pytest tests/api/test_schemathesis.py -s`."""

from collections import Counter

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS as REGISTERED_CHECKS
from schemathesis.checks import is_check_class, load_all_checks
from schemathesis.config import SchemathesisConfig

from api.views import api
from tests import factories as make

load_all_checks()
# Every check schemathesis registers (what `--checks all` selects).
CHECKS = [check for check in REGISTERED_CHECKS.get_all() if not is_check_class(check)]
MAX_EXAMPLES = 15
STATEFUL_EXAMPLES = 10
# The WSGI test client would not un-gzip the body (the portal compresses
# whenever the client accepts it).
HEADERS = {"Accept-Encoding": "identity"}
HYPOTHESIS = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
}

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
    make.figure(source, slug="figure", value=None, precision="several", printed="数千人次", phrase="数千人次")
    make.figure(source, slug="range", value=1, value_max=2, precision="range", printed="1至2场", phrase="1至2场")
    make.programme(source, slug="programme").organisations.add(firm)


# The schema is the one /api/v1/openapi.json serves (tests/api/test_endpoints.py
# checks that), built without a request so it can be loaded at collection
# time; requests go to the WSGI app in-process. (schemathesis'
# from_fixture loader does not work with pytest 9.)
schema = schemathesis.openapi.from_dict(
    api.get_openapi_schema(),
    config=SchemathesisConfig.from_path(django_settings.BASE_DIR / "schemathesis.toml"),
)
schema.app = get_wsgi_application()


def test_every_check_schemathesis_has_is_run():
    names = {check.__name__ for check in CHECKS}
    assert names >= {
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
        "positive_data_acceptance",
        "missing_required_header",
        "unsupported_method",
        "allow_header_conformance",
        "use_after_free",
        "ensure_resource_availability",
        "ignored_auth",
        "object_level_authorization",
    }


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, **HYPOTHESIS)
def test_no_generated_request_gets_a_response_the_schema_does_not_allow(case):
    response = case.call_and_validate(checks=CHECKS, headers=HEADERS)
    operations.add(case.operation.label)
    statuses[response.status_code] += 1


class APIWorkflows(schema.as_state_machine()):
    """Chains of requests along the links schemathesis infers between
    operations (a list's slugs into the detail endpoints)."""

    def get_call_kwargs(self, case):
        return {"headers": HEADERS}

    def validate_response(self, response, case, additional_checks=None, **kwargs):
        statuses[response.status_code] += 1
        case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)


def test_no_chain_of_requests_gets_a_response_the_schema_does_not_allow(records):
    APIWorkflows.run(settings=settings(max_examples=STATEFUL_EXAMPLES, stateful_step_count=5, **HYPOTHESIS))
