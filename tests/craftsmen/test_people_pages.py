"""The craftsmen page lists the people without a tier 50 to a page (with
100,000 synthetic records there are ~25,000); the ladder and the counts head
the first page; the downloads hold every person, whatever the page."""

import pytest

from craftsmen.views import PAGE_SIZE
from portal.bulk import bulk_writes
from tests import factories as make
from tests.portal.test_bad_input import BAD_PAGES
from tests.portal.test_exports import csv_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_people():
    source = make.report()
    make.tier(source, scope="national", rank=1, name="大国工匠")
    with bulk_writes():
        return [make.person(source, order=n) for n in range(PAGE_SIZE * 2 + 3)]


def people_on(html: str, people) -> list[str]:
    return [p.slug for p in people if f'href="/craftsmen/{p.slug}/"' in html]


def test_the_first_page_has_the_ladder_and_the_first_people_then_a_link_on(client, many_people):
    html = client.get("/craftsmen/").content.decode()
    assert people_on(html, many_people) == [p.slug for p in many_people[:PAGE_SIZE]]
    assert 'class="ladder"' in html and 'id="baotou-heading"' in html
    assert 'rel="next" href="?page=2"' in html
    assert "第 1 / 3 页" in html


def test_a_later_page_has_the_next_people_at_the_top_without_the_ladder(client, many_people):
    html = client.get("/craftsmen/?page=3").content.decode()
    assert people_on(html, many_people) == [p.slug for p in many_people[PAGE_SIZE * 2 :]]
    assert 'class="ladder"' not in html and 'id="baotou-heading"' not in html
    assert 'rel="prev" href="?page=2"' in html
    assert "第 3 / 3 页" in html


@pytest.mark.parametrize("page", [*BAD_PAGES, "4", "99999"])
def test_a_bad_or_past_the_end_page_number_gives_a_page_of_the_list(client, many_people, page):
    # An empty one is dropped by a redirect first.
    response = client.get(f"/craftsmen/?page={page}", follow=True)
    assert response.status_code == 200
    assert people_on(response.content.decode(), many_people)


@pytest.mark.parametrize("query", ["", "?page=2"])
def test_the_download_holds_every_person_whatever_the_page(client, many_people, query):
    rows = csv_rows(client.get(f"/craftsmen/export.csv{query}"))
    assert len(rows) - 1 == len(many_people)


def test_the_download_links_leave_the_page_number_out(client, many_people):
    html = client.get("/craftsmen/?page=2").content.decode()
    assert 'href="/craftsmen/export.csv"' in html
