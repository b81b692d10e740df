"""Every public page in a real browser, at a phone's and a desktop's size:
it answers 200, logs no error, does not scroll sideways, and axe-core finds
no serious or critical accessibility problem. And the exhibit filters work
with the keyboard alone."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.checks import horizontal_overflow, page_problems, report
from tests.browser.keyboard import filter_by_keyboard
from tests.browser.viewports import DESKTOP, PHONE, VIEWPORTS
from tests.public_urls import ENGLISH_PATHS, PUBLIC_PATHS

pytestmark = pytest.mark.browser

# The exhibit list's filters, by URL parameter (public, like the URLs).
EXHIBIT_FILTERS = ["sector", "kind", "area", "organisation", "tier"]


@pytest.mark.parametrize("page", VIEWPORTS, indirect=True, ids=str)
@pytest.mark.parametrize("path", PUBLIC_PATHS + ENGLISH_PATHS)
def test_every_public_page_renders_cleanly(path, page, page_errors, portal_site):
    response = page.goto(portal_site + path)

    problems = page_problems(page, response, page_errors)

    assert not problems, report(f"{page.url} at {page.viewport_size['width']}px", problems)


# Pages beyond the public list: a filtered list, search results, an
# organisation of another kind, and the API's docs (Swagger UI, restyled to
# fit a phone).
MORE_PHONE_PATHS = [
    "/exhibits/?sector=xitu",
    "/en/exhibits/?sector=xitu",
    "/search/?q=稀土",
    "/en/search/?q=rare+earth",
    "/api/v1/docs/",
]


@pytest.mark.parametrize("page", [PHONE], indirect=True, ids=str)
@pytest.mark.parametrize("path", MORE_PHONE_PATHS)
def test_more_pages_do_not_scroll_sideways_on_a_phone(path, page, portal_site):
    page.goto(portal_site + path)
    if path.startswith("/api/"):
        page.locator(".opblock").first.wait_for()
        page.locator(".opblock-summary").first.click()  # an operation open: its tables are the widest part

    problems = horizontal_overflow(page)

    assert not problems, report(f"{page.url} at {PHONE.width}px", problems)


@pytest.mark.parametrize("page", VIEWPORTS, indirect=True, ids=str)
def test_the_exhibit_filters_work_by_keyboard_alone(page, page_errors, portal_site):
    page.goto(portal_site + "/exhibits/")

    walk = filter_by_keyboard(page, EXHIBIT_FILTERS)

    assert parse_qs(urlsplit(page.url).query).get(walk.name) == [walk.value], page.url
    assert walk.count_after != walk.count_before
    assert not page_errors, report(page.url, page_errors)


@pytest.mark.parametrize("page", [PHONE], indirect=True, ids=str)
def test_on_a_phone_the_exhibit_filters_fold_away_and_the_first_result_shows_without_scrolling(page, portal_site):
    page.goto(portal_site + "/exhibits/")

    assert page.evaluate("document.querySelector('details[data-filters]').open") is False
    first = page.locator(".exhibit-list > li").first.bounding_box()
    assert first is not None and first["y"] + 40 <= PHONE.height, first


@pytest.mark.parametrize("page", [DESKTOP], indirect=True, ids=str)
def test_on_a_wide_screen_the_exhibit_filters_stay_open_beside_the_results(page, portal_site):
    page.goto(portal_site + "/exhibits/")

    assert page.evaluate("document.querySelector('details[data-filters]').open") is True


@pytest.mark.parametrize("page", [DESKTOP], indirect=True, ids=str)
def test_submitting_the_exhibit_filters_leaves_empty_fields_out_of_the_address(page, portal_site):
    page.goto(portal_site + "/exhibits/")
    sector = page.locator("details[data-filters] select[name=sector]")
    sector.select_option(index=1)
    chosen = sector.input_value()

    with page.expect_request(lambda request: "sector=" in request.url) as submitted:
        page.locator("details[data-filters] button[type=submit]").click()

    assert urlsplit(submitted.value.url).query == f"sector={chosen}"
    page.wait_for_load_state()
    assert page.evaluate("[...document.querySelectorAll('details[data-filters] [name]:disabled')].length") == 0
