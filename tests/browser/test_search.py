"""Search in a real browser: results follow the typing without a page load,
the page passes the same checks as every other, and without JavaScript the
form still submits."""

import pytest

from tests.browser.checks import page_problems, report
from tests.browser.viewports import VIEWPORTS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("page", VIEWPORTS, indirect=True, ids=str)
@pytest.mark.parametrize("path", ["/search/?q=稀土", "/en/search/?q=gaofenglin", "/search/"])
def test_the_search_page_renders_cleanly(path, page, page_errors, portal_site):
    response = page.goto(portal_site + path)
    problems = page_problems(page, response, page_errors)
    assert not problems, report(page.url, problems)


def test_typing_shows_results_without_a_page_load(page, page_errors, portal_site):
    page.goto(portal_site + "/search/")
    page.evaluate("window.__sameDocument = true")

    page.locator("#search-page-q").press_sequentially("锁止", delay=50)
    page.locator("#search-results .search-results").wait_for()

    assert "机械式自锁防脱落牵引锁止装置" in page.locator("#search-results").inner_text()
    assert page.evaluate("window.__sameDocument") is True, "the page was reloaded"
    assert "q=%E9%94%81%E6%AD%A2" in page.url
    assert not page_errors, report(page.url, page_errors)


def test_without_javascript_the_header_search_submits_normally(browser, portal_site):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(portal_site + "/craftsmen/")
        page.locator("#header-q").fill("gfl")
        page.locator("#header-q").press("Enter")
        page.wait_for_url("**/search/?q=gfl")
        assert "高凤林" in page.locator("#search-results").inner_text()
    finally:
        context.close()
