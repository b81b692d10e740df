"""The API's docs page in a real browser, under a strict
Content-Security-Policy like the one the portal is adopting: Swagger UI
loads from the portal's own static files, renders every operation, and
can call the API, with no CSP violation and nothing loaded from outside."""

import pytest
from playwright.sync_api import Route

from tests.browser.checks import report

pytestmark = pytest.mark.browser

CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'"


def test_the_docs_page_works_under_a_csp_without_unsafe_inline_scripts(page, page_errors, portal_site):
    def with_csp(route: Route) -> None:
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": CSP})

    page.route("**/api/v1/docs/", with_csp)
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page.goto(portal_site + "/api/v1/docs/")
    page.locator(".opblock").first.wait_for()

    assert page.locator(".opblock").count() == 25
    page.locator("#operations-exhibits-list_exhibits .opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    page.locator(".responses-wrapper .live-responses-table").wait_for()
    assert "机械式自锁防脱落牵引锁止装置" in page.locator(".responses-wrapper").inner_text()
    assert page.evaluate("window.__violations") == []
    assert not page_errors, report(page.url, page_errors)


def test_the_csp_check_above_would_see_a_violation(page, portal_site):
    """The harness itself: an inline script on a page under the same CSP
    is reported, so the empty list above means something."""

    def with_csp(route: Route) -> None:
        route.fulfill(
            status=200,
            content_type="text/html",
            headers={"content-security-policy": CSP},
            body="<!DOCTYPE html><title>t</title><script>document.title = 'ran'</script>",
        )

    page.route("**/csp-probe/", with_csp)
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective));"
    )
    page.goto(portal_site + "/csp-probe/")
    assert page.title() == "t"
    assert page.evaluate("window.__violations") == ["script-src-elem"]
