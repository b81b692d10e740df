"""The static build served by a plain file server (as a kiosk or a static
host serves it): pages in both languages load their styles and scripts,
log no error, do not scroll sideways, and axe-core finds no violation of
any impact."""

import pytest

from tests.browser.checks import AXE, describe_violations, page_problems, report
from tests.browser.viewports import DESKTOP, PHONE

# django_db: the session's build needs the test database (see tests/publish).
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

STATIC_PAGES = [
    "/",
    "/en/",
    "/exhibits/",
    "/en/exhibits/",
    "/exhibits/jixieshi-zisuo-fang-tuoluo-qianyin-suozhi-zhuangzhi/",
    "/en/craftsmen/gao-fenglin/",
    "/figures/",
    "/search/",
    "/en/search/",
    "/404.html",
]


@pytest.mark.parametrize("page", [PHONE, DESKTOP], indirect=True, ids=["phone", "desktop"])
@pytest.mark.parametrize("path", STATIC_PAGES)
def test_a_static_page_is_sound_and_has_no_accessibility_violation(page, page_errors, static_site, path):
    response = page.goto(static_site + path)
    problems = page_problems(page, response, page_errors)
    if path == "/404.html":
        problems = [problem for problem in problems if problem != "answers 200, not 200"]
    problems += describe_violations(AXE.run(page).response["violations"])
    assert page.evaluate("document.styleSheets.length") >= 1
    assert not problems, report(path, problems)
