"""The events page in pages of top-level events, at more events than the
reports hold."""

import datetime

import pytest

from shell.pages import EVENTS_PAGE_SIZE
from tests import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    source = make.report()
    make.programme(source, name="一项工作举措")
    events = [make.event(source, order=n) for n in range(EVENTS_PAGE_SIZE + 5)]
    make.event(source, parent=events[0], name="第一项活动的一部分")
    return events


def test_the_events_page_holds_one_page_of_top_level_events_with_their_parts_and_the_programmes(client, events):
    html = client.get("/events/").content.decode()
    shown = [event for event in events if f'href="{event.get_absolute_url()}"' in html]
    assert shown == events[:EVENTS_PAGE_SIZE]
    assert "第一项活动的一部分" in html
    assert "一项工作举措" in html
    assert 'rel="next" href="?page=2"' in html


def test_the_second_page_holds_the_rest_and_leaves_the_programmes_on_the_first(client, events):
    html = client.get("/events/?page=2").content.decode()
    shown = [event for event in events if f'href="{event.get_absolute_url()}"' in html]
    assert shown == events[EVENTS_PAGE_SIZE:]
    assert "一项工作举措" not in html
    assert 'rel="prev"' in html


def test_a_page_number_that_is_not_a_number_shows_the_first_page(client, events):
    response = client.get("/events/?page=abc")
    assert response.status_code == 200
    assert f'href="{events[0].get_absolute_url()}"' in response.content.decode()


def test_the_events_list_gives_each_dated_events_year_marked_when_inferred(client):
    source = make.report()
    conference = {"start_date": datetime.date(2025, 9, 23), "date_is_inferred": True, "inferred_note": "年份为推断"}
    make.event(source, name="大会", **conference)
    make.event(source, name="行动", start_date=datetime.date(2024, 7, 26))

    chinese = client.get("/events/").content.decode()
    english = client.get("/en/events/").content.decode()

    assert "2025年（年份为推断）" in chinese and "2024年" in chinese
    assert "2025 (year inferred)" in english
