"""Every API endpoint runs a constant number of queries whatever the number
of records (measured at 5 and at 20 rows, pinned here: an N+1 would add 15). Each count
includes the content-version query of the page cache; list counts include
the paginator's COUNT."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exhibits.models import Exhibit
from portal.bulk import bulk_writes
from tests import factories as make

pytestmark = pytest.mark.django_db


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return len(captured)


def exhibits():
    source = make.report()
    show = make.exhibition(source)
    rung = make.tier(source)
    region = make.area(source, exhibition=show)
    org = make.organisation(source)
    first = make.exhibit(source, exhibition=show)

    def grow(n):
        for _ in range(n):
            make.exhibit(
                source,
                exhibition=show,
                area=region,
                organisation=org,
                kind=make.kind(source),
                sectors=[make.sector(source), make.sector(source)],
                makers=[make.person(source, tier=rung)],
            )
            make.cite(first, source)

    return "exhibits", first.slug, grow


def _simple(segment, factory, **related):
    def build():
        source = make.report()
        first = factory(source, **{name: value(source) for name, value in related.items()})

        def grow(n):
            for _ in range(n):
                factory(source, **{name: value(source) for name, value in related.items()})
                make.cite(first, source)

        return segment, first.slug, grow

    return build


def academies():
    source = make.report()
    first = make.academy(source)

    def grow(n):
        for _ in range(n):
            make.academy(
                source,
                groups=[make.academy_group(source)],
                academy_type=make.academy_type(source),
                organisation=make.organisation(source),
                recognised_by=make.organisation(source),
            )
            first.groups.add(make.academy_group(source))
            make.cite(first, source)

    return "academies", first.slug, grow


def events():
    source = make.report()
    first = make.event(source)

    def grow(n):
        for _ in range(n):
            make.event(source, parent=first, place=make.place(source)).hosts.add(make.organisation(source))
            first.hosts.add(make.organisation(source))
            make.cite(first, source)

    return "events", first.slug, grow


def programmes():
    source = make.report()
    first = make.programme(source)

    def grow(n):
        for _ in range(n):
            make.programme(source).organisations.add(make.organisation(source))
            first.organisations.add(make.organisation(source))

    return "programmes", first.slug, grow


def pilot_batches():
    source = make.report()
    first = make.pilot_batch(source)

    def grow(n):
        for _ in range(n):
            make.pilot_category(source, batch=make.pilot_batch(source))
            make.pilot_category(source, batch=first)

    return "pilot-batches", first.slug, grow


def reports():
    first = make.report()

    def grow(n):
        for _ in range(n):
            make.report()

    return "reports", first.slug, grow


ENDPOINTS = {
    "exhibits": (exhibits, 6, 5),
    "people": (_simple("people", make.person, tier=make.tier, organisation=make.organisation), 4, 3),
    "tiers": (_simple("tiers", make.tier, region=make.place), 4, 3),
    "tier-counts": (
        _simple("tier-counts", make.tier_count, tier=make.tier, place=make.place, event=make.event),
        4,
        3,
    ),
    "pilot-batches": (pilot_batches, 6, 5),
    "academies": (academies, 5, 4),
    "events": (events, 5, 4),
    "organisations": (_simple("organisations", make.organisation, place=make.place), 4, 3),
    "figures": (_simple("figures", make.figure, event=make.event, organisation=make.organisation), 4, 3),
    "programmes": (programmes, 5, 4),
    "places": (_simple("places", make.place), 4, 3),
    "reports": (reports, 3, 2),
}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_each_endpoint_runs_the_same_pinned_number_of_queries_at_5_and_at_20_rows(client, name):
    build, list_queries, detail_queries = ENDPOINTS[name]
    segment, slug, grow = build()
    urls = (f"/api/v1/{segment}/?page_size=100", f"/api/v1/{segment}/{slug}/")

    with bulk_writes():
        grow(5)
    with_five = [queries_for(client, url) for url in urls]
    with bulk_writes():
        grow(15)
    with_twenty = [queries_for(client, url) for url in urls]

    assert (with_five, with_twenty) == ([list_queries, detail_queries], [list_queries, detail_queries])


def test_a_search_query_and_a_sort_add_one_query_at_most(client):
    segment, _, grow = exhibits()
    with bulk_writes():
        grow(5)
    assert queries_for(client, "/api/v1/exhibits/?q=exhibit&sort=name") == 7


def test_the_search_endpoint_runs_a_constant_number_of_queries(client):
    source = make.report()
    show = make.exhibition(source)
    # The first search of a process also reads the synonym table, which is
    # then cached; count the steady state.
    queries_for(client, "/api/v1/search/?q=warm-up")
    counts = []
    for n in (5, 60):
        while Exhibit.objects.count() < n:
            make.exhibit(source, name="稀土永磁电机", exhibition=show)
        counts.append(queries_for(client, f"/api/v1/search/?q=稀土&page_size=100&n={n}"))
    assert counts == [3, 3]
