"""Search in a real browser: results follow the typing without a page load,
the page passes the same checks as every other, and without JavaScript the
form still submits."""

import re

import pytest
from playwright.sync_api import expect

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


COMPOSE = """([phase, text]) => {
    const input = document.querySelector("#search-page-q");
    input.focus();
    if (phase === "start") input.dispatchEvent(new CompositionEvent("compositionstart", {bubbles: true, data: ""}));
    if (phase === "update") {
        input.value = text;
        input.dispatchEvent(new CompositionEvent("compositionupdate", {bubbles: true, data: text}));
        input.dispatchEvent(new InputEvent("input", {bubbles: true, isComposing: true, data: text,
                                                     inputType: "insertCompositionText"}));
    }
    if (phase === "end") {
        input.value = text;
        input.dispatchEvent(new CompositionEvent("compositionend", {bubbles: true, data: text}));
        // Some browsers send the last input after compositionend, some before.
        input.dispatchEvent(new InputEvent("input", {bubbles: true, isComposing: false, data: text,
                                                     inputType: "insertCompositionText"}));
    }
}"""


def test_nothing_is_fetched_while_an_input_method_composes_and_one_fetch_follows_it(page, page_errors, portal_site):
    page.goto(portal_site + "/search/")
    fetches = []
    page.on("request", lambda request: "fragment=results" in request.url and fetches.append(request.url))

    page.evaluate(COMPOSE, ["start", ""])
    for text in ["x", "xi", "xit", "xitu", "稀土"]:
        page.evaluate(COMPOSE, ["update", text])
        page.wait_for_timeout(100)
    page.wait_for_timeout(600)  # three times the typing pause
    assert fetches == [], "fetched while the input method was composing"

    page.evaluate(COMPOSE, ["end", "稀土"])
    page.locator("#search-results .search-results").wait_for()
    page.wait_for_timeout(600)
    assert len(fetches) == 1, fetches
    assert "q=%E7%A8%80%E5%9C%9F" in fetches[0]
    assert "稀土永磁电机" in page.locator("#search-results").inner_text()
    assert not page_errors, report(page.url, page_errors)


def test_only_the_count_sentence_is_announced(page, page_errors, portal_site):
    page.goto(portal_site + "/search/")
    status = page.locator("#search-status")
    assert status.get_attribute("aria-live") == "polite" and status.get_attribute("role") == "status"
    assert page.locator("#search-results").get_attribute("aria-live") is None
    assert page.locator("[aria-live]").count() == 1

    page.locator("#search-page-q").press_sequentially("锁止", delay=50)
    page.locator("#search-results .search-results").wait_for()
    expect(status).to_have_text(re.compile(r"^找到 \d+ 条记录$"))
    assert status.text_content() == page.locator("#search-results .results-count").inner_text()
    assert "机械式自锁防脱落牵引锁止装置" in page.locator("#search-results").inner_text()

    page.locator("#search-page-q").fill("")
    page.locator("#search-page-q").press_sequentially("，。", delay=50)
    expect(status).to_have_text(re.compile("标点"))
    assert not page_errors, report(page.url, page_errors)
