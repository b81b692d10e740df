"""The Content-Security-Policy as the browser enforces it: every public page,
in both languages, loads with the policy in force and records zero
violations (securitypolicyviolation events and the console's "Refused to…"
messages), including the search page's live results, which fetch."""

import pytest

from tests.browser.checks import report
from tests.public_urls import ENGLISH_PATHS, PUBLIC_PATHS

pytestmark = pytest.mark.browser

# Installed before any of the page's own code runs, in every document.
RECORD_VIOLATIONS_JS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


def csp_problems(page, response) -> list[str]:
    problems = []
    if "default-src 'none'" not in (response.headers.get("content-security-policy") or ""):
        problems.append(f"no Content-Security-Policy in force: {response.headers.get('content-security-policy')!r}")
    problems += page.evaluate("window.__cspViolations")
    return problems


@pytest.mark.parametrize("paths", [PUBLIC_PATHS, ENGLISH_PATHS], ids=["zh-hans", "en"])
def test_no_public_page_violates_the_content_security_policy(paths, page, page_errors, portal_site):
    page.add_init_script(RECORD_VIOLATIONS_JS)
    problems = {}
    for path in paths:
        response = page.goto(portal_site + path)
        page.wait_for_load_state("load")
        found = csp_problems(page, response) + page_errors
        page_errors.clear()
        if found:
            problems[path] = found

    assert not problems, "\n".join(report(path, found) for path, found in problems.items())


def test_live_search_fetches_its_results_within_the_policy(page, page_errors, portal_site):
    page.add_init_script(RECORD_VIOLATIONS_JS)
    response = page.goto(portal_site + "/search/")

    page.locator("#search-page-q").press_sequentially("锁止", delay=50)
    page.locator("#search-results .search-results").wait_for()

    problems = csp_problems(page, response) + page_errors
    assert not problems, report(page.url, problems)


def test_the_recorder_does_see_a_violation(page, portal_site):
    """The check above is only as good as its recorder: an inline script,
    which the policy forbids, must show up."""
    page.add_init_script(RECORD_VIOLATIONS_JS)
    page.goto(portal_site + "/")
    page.evaluate("""() => {
      const script = document.createElement("script");
      script.textContent = "window.__ran = true";
      document.body.append(script);
    }""")
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__ran") is None
    assert any("script-src" in violation for violation in page.evaluate("window.__cspViolations"))


# The server must see the new account, so the test commits it (and the
# tables are emptied after it: it runs after the other browser tests).
@pytest.mark.django_db(transaction=True, databases=["default", "reader"])
def test_the_admin_works_within_the_policy(page, page_errors, portal_server, django_user_model):
    portal_site = portal_server
    django_user_model.objects.create_superuser("csp-check", "csp@example.org", "a-long-test-password-1")
    page.add_init_script(RECORD_VIOLATIONS_JS)
    problems = {}
    response = page.goto(portal_site + "/admin/login/")
    page.locator("#id_username").fill("csp-check")
    page.locator("#id_password").fill("a-long-test-password-1")
    page.locator("input[type=submit]").click()
    page.wait_for_url(portal_site + "/admin/")
    problems["/admin/login/"] = csp_problems(page, response) + page_errors
    for path in ["/admin/", "/admin/exhibits/exhibit/", "/admin/exhibits/exhibit/add/", "/admin/craftsmen/person/"]:
        page_errors.clear()
        response = page.goto(portal_site + path)
        page.wait_for_load_state("load")
        problems[path] = csp_problems(page, response) + page_errors

    problems = {path: found for path, found in problems.items() if found}
    assert not problems, "\n".join(report(path, found) for path, found in problems.items())
