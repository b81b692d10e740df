"""Every public page in a real browser, at a phone's and a desktop's size:
it answers 200, logs no error, does not scroll sideways, and axe-core finds
no serious or critical accessibility problem. And the exhibit filters work
with the keyboard alone."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.checks import page_problems, report
from tests.browser.keyboard import filter_by_keyboard
from tests.browser.viewports import VIEWPORTS
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


@pytest.mark.parametrize("page", VIEWPORTS, indirect=True, ids=str)
def test_the_exhibit_filters_work_by_keyboard_alone(page, page_errors, portal_site):
    page.goto(portal_site + "/exhibits/")

    walk = filter_by_keyboard(page, EXHIBIT_FILTERS)

    assert parse_qs(urlsplit(page.url).query).get(walk.name) == [walk.value], page.url
    assert walk.count_after != walk.count_before
    assert not page_errors, report(page.url, page_errors)
