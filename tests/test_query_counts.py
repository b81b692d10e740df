"""Every page runs a constant number of queries, whatever the number of
records: measured with 5 and with 20 rows of what the page lists (an N+1
would add 15 queries), in both languages on the same rows, and pinned, so
an N+1 or an extra query shows up here first. Each count includes the one
query for the content version that keys the page cache (every request here
starts from an empty cache)."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from craftsmen.views import PAGE_SIZE
from portal.bulk import bulk_writes
from portal.models import Organisation
from shell.pages import EVENTS_PAGE_SIZE
from tests import factories as make

pytestmark = pytest.mark.django_db


def queries_for(client, url: str) -> int:
    caches["default"].clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def home_page():
    source = make.report()

    def grow(n):
        for _ in range(n):
            make.figure(source)
            make.exhibit(source, exhibition=make.exhibition(source))
            make.person(source)

    return "/", grow


def exhibit_list_page():
    source = make.report()
    show = make.exhibition(source)
    rung = make.tier(source)
    region = make.area(source, exhibition=show)
    org = make.organisation(source)

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

    return "/exhibits/?sort=name", grow


def exhibit_filter_values_page():
    source = make.report()
    show = make.exhibition(source)

    def grow(n):
        for _ in range(n):
            make.exhibit(source, exhibition=show, sectors=[make.sector(source), make.sector(source)])

    return "/exhibits/filters/sector/?q=sector", grow


def exhibit_detail_page():
    source = make.report()
    show = make.exhibition(source, event=make.event(source))
    field = make.sector(source)
    item = make.exhibit(source, exhibition=show, sectors=[field], organisation=make.organisation(source))

    def grow(n):
        for _ in range(n):
            item.makers.add(make.person(source, tier=make.tier(source), organisation=make.organisation(source)))
            item.sectors.add(make.sector(source))
            make.cite(item, source)
            make.exhibit(source, exhibition=show, sectors=[field], kind=make.kind(source))

    return f"/exhibits/{item.slug}/", grow


def craftsmen_page():
    source = make.report()
    city = make.place(source)
    camp = make.event(source)

    def grow(n):
        for _ in range(n):
            rung = make.tier(source, scope="national", rank=1)
            make.person(source, tier=rung, organisation=make.organisation(source))
            make.person(source)
            make.tier_count(source, tier=rung, place=city)
            make.tier_count(source, tier=rung, event=camp)

    return "/craftsmen/", grow


def craftsmen_later_page():
    """Page 2 of the people (no ladder or counts there): a page's worth of
    people first, so that page 2 exists at 5 rows too."""
    _, grow = craftsmen_page()
    with bulk_writes():
        for _ in range(PAGE_SIZE):
            make.person()
    return "/craftsmen/?page=2", grow


def person_page():
    source = make.report()
    someone = make.person(source, tier=make.tier(source), organisation=make.organisation(source))
    show = make.exhibition(source)

    def grow(n):
        for _ in range(n):
            make.exhibit(source, exhibition=show, makers=[someone], kind=make.kind(source))
            make.event_role(source, event=make.event(source, parent=make.event(source)), person=someone)
            make.cite(someone, source)

    return f"/craftsmen/{someone.slug}/", grow


def pilot_units_page():
    source = make.report()
    make.figure(source, slug="pilot-units-total", value=195)

    def grow(n):
        for _ in range(n):
            batch = make.pilot_batch(source)
            make.pilot_category(source, batch=batch)
            make.pilot_category(source, batch=batch)

    return "/pilot-units/", grow


def academies_page():
    source = make.report()
    make.figure(source, slug="academies-total", value=30)

    def grow(n):
        for _ in range(n):
            group = make.academy_group(source)
            make.academy_field(source, group=group)
            make.academy_type(source)
            make.academy(source, groups=[group], academy_type=make.academy_type(source))
            make.figure(source, topic="academies")

    return "/academies/", grow


def academy_page():
    source = make.report()
    school = make.academy(source, organisation=make.organisation(source), recognised_by=make.organisation(source))

    def grow(n):
        for _ in range(n):
            school.groups.add(make.academy_group(source))
            make.cite(school, source)

    return f"/academies/{school.slug}/", grow


def events_page():
    source = make.report()

    def grow(n):
        for _ in range(n):
            parent = make.event(source, place=make.place(source))
            make.event(source, parent=parent)
            make.programme(source).organisations.add(make.organisation(source))

    return "/events/", grow


def events_later_page():
    """Page 2 of the events (no programmes there): a page's worth of events
    first, so that page 2 exists at 5 rows too."""
    _, grow = events_page()
    source = make.report()
    for _ in range(EVENTS_PAGE_SIZE):
        make.event(source)
    return "/events/?page=2", grow


def event_page():
    source = make.report()
    happening = make.event(source, place=make.place(source), parent=make.event(source))
    show_rung = make.tier(source)

    def grow(n):
        for _ in range(n):
            happening.hosts.add(make.organisation(source))
            make.event(source, parent=happening)
            make.event_role(source, event=happening, person=make.person(source), organisation=make.organisation(source))
            make.figure(source, event=happening)
            make.tier_count(source, tier=show_rung, event=happening)
            make.exhibition(source, event=happening)
            make.academy_group(source, event=happening)
            make.cite(happening, source)

    return f"/events/{happening.slug}/", grow


def organisation_page():
    source = make.report()
    org = make.organisation(source, place=make.place(source), parent=make.organisation(source))
    show = make.exhibition(source)

    def grow(n):
        for _ in range(n):
            make.organisation(source, parent=org)
            make.person(source, organisation=org, tier=make.tier(source))
            make.event_role(source, event=make.event(source), organisation=org)
            make.event(source).hosts.add(org)
            make.exhibit(source, exhibition=show, organisation=org, kind=make.kind(source))
            make.academy(source, organisation=org)
            make.academy(source, recognised_by=org)
            make.programme(source).organisations.add(org)
            make.figure(source, organisation=org)

    return f"/organisations/{org.slug}/", grow


def organisations_page():
    source = make.report()

    def grow(n):
        for index in range(n):
            kind = Organisation.Kind.values[index % len(Organisation.Kind.values)]
            make.organisation(source, kind=kind, place=make.place(source), parent=make.organisation(source))

    return "/organisations/", grow


def figures_page():
    source = make.report()

    def grow(n):
        for _ in range(n):
            make.figure(source, event=make.event(source), organisation=make.organisation(source))

    return "/figures/", grow


def sources_page():
    def grow(n):
        for _ in range(n):
            make.place(make.report())

    return "/sources/", grow


def source_page():
    source = make.report()
    happening = make.event()

    def grow(n):
        for _ in range(n):
            make.person(source)
            make.organisation(source)
            make.figure(source)
            # A role's address is its event's page.
            make.event_role(source, event=happening, person=make.person())

    return f"/sources/{source.slug}/", grow


def exhibit_label_page():
    source = make.report()
    item = make.exhibit(source, exhibition=make.exhibition(source), organisation=make.organisation(source))

    def grow(n):
        for _ in range(n):
            item.makers.add(make.person(source))

    return f"/exhibits/{item.slug}/label/?layout=a4", grow


def area_labels_page():
    source = make.report()
    show = make.exhibition(source)
    region = make.area(source, exhibition=show)

    def grow(n):
        for _ in range(n):
            maker = make.person(source)
            make.exhibit(source, exhibition=show, area=region, organisation=make.organisation(source), makers=[maker])

    return f"/exhibits/areas/{region.slug}/labels/", grow


def data_page():
    def grow(n):
        for _ in range(n):
            make.report()

    return "/data/", grow


PAGES = {
    "home": (home_page, 9),
    "exhibit list": (exhibit_list_page, 9),
    "exhibit filter values": (exhibit_filter_values_page, 3),  # + the values' count and page
    "exhibit detail": (exhibit_detail_page, 8),
    # One of them asks which tiers are hidden (their people are listed
    # with the untiered).
    "craftsmen": (craftsmen_page, 9),
    "craftsmen page 2": (craftsmen_later_page, 4),
    "person": (person_page, 5),
    "pilot units": (pilot_units_page, 7),
    "academies": (academies_page, 13),  # + the academies' other figures and their citations
    "academy": (academy_page, 4),
    "events": (events_page, 7),
    "events page 2": (events_later_page, 4),
    "event": (event_page, 12),
    "organisations": (organisations_page, 3),
    "organisation": (organisation_page, 14),
    "figures": (figures_page, 3),
    "sources": (sources_page, 2),
    "source": (source_page, 7),
    "exhibit label": (exhibit_label_page, 3),
    "area labels": (area_labels_page, 4),
    "data": (data_page, 2),
}


@pytest.mark.parametrize("name", PAGES)
def test_each_page_runs_the_same_pinned_number_of_queries_at_5_and_at_20_rows_in_both_languages(client, name):
    build, expected = PAGES[name]
    url, grow = build()

    # The pages do not read the search index; skipping its upkeep keeps
    # building the rows fast.
    with bulk_writes():
        grow(5)
    with_five = [queries_for(client, language + url) for language in ("", "/en")]
    with bulk_writes():
        grow(15)
    with_twenty = [queries_for(client, language + url) for language in ("", "/en")]

    assert (with_five, with_twenty) == ([expected, expected], [expected, expected])
