"""The static build's exhibit list filters, served by a plain file server:
with JavaScript, two filters together give the live site's count and rows
for the same query, the address follows and a reload keeps it; without,
a filter is a link to the page the build rendered for that value. Both
languages, phone and desktop, axe clean."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.checks import page_problems, report
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.viewports import DESKTOP, PHONE, Viewport

# django_db: the session's build needs the test database (see tests/publish).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

VIEWPORT_IDS = ["phone", "desktop"]
# Two filters that narrow each other down, and two that find nothing.
COMBINED = {"sector": "dianli", "kind": "wuxiao-chuangxin", "sort": "-name"}
NOTHING = {"sector": "xitu", "kind": "wuxiao-chuangxin"}


def query(chosen: dict[str, str]) -> str:
    return "&".join(f"{name}={value}" for name, value in chosen.items())


def shown(page: Page) -> tuple[int, list[str]]:
    """(the count the page states, the links of its rows)."""
    count = int(page.locator(".results-count").get_attribute("data-result-count"))
    return count, page.locator(".exhibit-list .card-title a").evaluate_all("links => links.map(a => a.pathname)")


def live_answer(page: Page, portal_site: str, address: str) -> tuple[int, list[str]]:
    page.goto(portal_site + address)
    return shown(page)


def open_filters(page: Page) -> None:
    """On a phone the panel is folded away (static/js/filters.js)."""
    panel = page.locator("details[data-filters]")
    if panel.get_attribute("open") is None:
        panel.locator("summary").click()


@pytest.mark.parametrize("page", [PHONE, DESKTOP], indirect=True, ids=VIEWPORT_IDS)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_with_javascript_two_filters_give_the_live_answer_and_the_address_keeps_them(
    page, page_errors, static_site, portal_site, prefix
):
    expected = live_answer(page, portal_site, f"{prefix}/exhibits/?{query(COMBINED)}")
    nothing = live_answer(page, portal_site, f"{prefix}/exhibits/?{query(NOTHING)}")
    assert 0 < expected[0] < 10 and nothing[0] == 0

    response = page.goto(static_site + prefix + "/exhibits/")
    form = page.locator("form[data-static-filters]")
    open_filters(page)
    expect(form).to_be_visible()
    expect(page.locator("[data-filter-links]")).to_be_hidden()
    for name, value in COMBINED.items():
        page.select_option(f"#id_{name}", value)
    expect(page.locator(".results-count")).to_have_attribute("data-result-count", str(expected[0]))
    assert shown(page) == expected
    assert page.url == f"{static_site}{prefix}/exhibits/?{query(COMBINED)}"
    chips = page.locator("ul.chips .chip")
    expect(chips).to_have_count(2)  # the order is not a filter
    problems = page_problems(page, response, page_errors)
    assert not problems, report(page.url, problems)

    page.reload()
    expect(page.locator(".results-count")).to_have_attribute("data-result-count", str(expected[0]))
    assert shown(page) == expected
    assert page.locator("#id_kind").input_value() == COMBINED["kind"]
    assert page.url == f"{static_site}{prefix}/exhibits/?{query(COMBINED)}"

    open_filters(page)
    page.select_option("#id_sort", index=0)
    page.select_option("#id_sector", NOTHING["sector"])
    expect(page.locator(".results-count")).to_have_attribute("data-result-count", "0")
    assert page.locator(".exhibit-list .empty").inner_text() == (
        "No exhibits match these filters." if prefix else "没有符合条件的展品。"
    )
    chips.first.click()  # the sector's: the kind alone is left
    single = live_answer(page.context.new_page(), portal_site, f"{prefix}/exhibits/?kind={NOTHING['kind']}")
    expect(page.locator(".results-count")).to_have_attribute("data-result-count", str(single[0]))
    assert shown(page) == single
    assert page.url == f"{static_site}{prefix}/exhibits/?kind={NOTHING['kind']}"
    assert not page_errors, report(page.url, page_errors)


@pytest.fixture
def page_without_javascript(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    viewport: Viewport = request.param
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": viewport.width, "height": viewport.height}
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def problems_without_scripts(browser: Browser, url: str, viewport: dict) -> list[str]:
    """page_problems for the page as it is without its scripts: axe needs
    JavaScript to run, so the page's own scripts are blocked instead."""
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        context.route("**/*.js", lambda route: route.abort())
        page = context.new_page()
        response = page.goto(url)
        expect(page.locator("[data-filter-links]")).to_be_visible()
        return page_problems(page, response, [])
    finally:
        context.close()


@pytest.mark.parametrize("page_without_javascript", [PHONE, DESKTOP], indirect=True, ids=VIEWPORT_IDS)
@pytest.mark.parametrize(("prefix", "label"), [("", "稀土"), ("/en", "Rare earth")])
def test_without_javascript_a_filter_is_a_link_to_its_pre_rendered_page(
    page_without_javascript, browser, static_site, portal_site, prefix, label
):
    page = page_without_javascript
    expected = live_answer(page, portal_site, f"{prefix}/exhibits/?sector=xitu")
    page.goto(static_site + prefix + "/exhibits/")
    expect(page.locator("form[data-static-filters]")).to_be_hidden()
    links = page.locator("[data-filter-links]")
    expect(links).to_be_visible()
    with page.expect_navigation() as navigation:
        links.get_by_role("link", name=label, exact=True).click()
    assert page.url == f"{static_site}{prefix}/exhibits/~sector=xitu/"
    assert shown(page) == expected
    current = page.locator('[data-filter-links] a[aria-current="page"]')
    expect(current).to_have_text(label)
    assert navigation.value.status == 200
    problems = problems_without_scripts(browser, page.url, page.viewport_size)
    assert not problems, report(page.url, problems)
