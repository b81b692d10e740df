"""The browser harness itself: its checks pass on a page that is known to be
sound (Django's admin login, which needs no portal data) and catch the faults
they are there for on pages made up here, served without a server."""

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Route

from tests.browser.checks import page_problems, report
from tests.browser.keyboard import filter_by_keyboard
from tests.browser.viewports import PHONE, VIEWPORTS

pytestmark = pytest.mark.browser

MADE_UP = "http://harness.test"

BROKEN_PAGE = """<!doctype html>
<html><head><title>Broken</title></head>
<body>
  <main><h1>Broken</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><div style="width: 600px">wide</div></main>
  <script src="https://cdn.example.com/lib.js"></script>
  <script>console.error("boom"); throw new Error("bang");</script>
</body></html>"""

# Four items; sector "a" holds all of them, so only "b" changes the count.
ITEMS = [("一", "a"), ("二", "a b"), ("三", "a"), ("四", "a")]

PANELS = {
    "details": ("<details><summary>筛选</summary>{form}</details>", ""),
    "button": (
        '<button type="button" aria-expanded="false" aria-controls="filters">筛选</button>'
        '<div id="filters" hidden>{form}</div>',
        """<script>
          const toggle = document.querySelector("[aria-controls=filters]");
          toggle.addEventListener("click", () => {
            const panel = document.getElementById("filters");
            panel.hidden = !panel.hidden;
            toggle.setAttribute("aria-expanded", String(!panel.hidden));
          });
        </script>""",
    ),
    "submits-on-change": ("<details open><summary>筛选</summary>{form}</details>", ""),
}


def list_page(panel: str, query: str) -> str:
    sector = parse_qs(query).get("sector", [""])[0]
    shown = [name for name, sectors in ITEMS if not sector or sector in sectors.split()]
    options = "".join(
        f'<option value="{value}"{" selected" if value == sector else ""}>{label}</option>'
        for value, label in [("", "全部"), ("a", "甲"), ("b", "乙")]
    )
    on_change = ' onchange="this.form.requestSubmit()"' if panel == "submits-on-change" else ""
    submit = "" if panel == "submits-on-change" else "<button>筛选</button>"
    form = (
        f'<form method="get" action="/list/"><label for="sector">领域</label>'
        f'<select id="sector" name="sector"{on_change}>{options}</select>{submit}</form>'
    )
    markup, script = PANELS[panel]
    return f"""<!doctype html><html lang="zh-hans"><head><title>列表</title></head><body>
      <a href="#main">跳到正文</a>
      <header><nav><a href="/">首页</a> <a href="/list/">展品</a></nav>
        <form role="search" action="/search/">
          <input type="search" name="q" aria-label="搜索"><button>搜索</button>
        </form>
      </header>
      <main id="main"><h1>展品</h1>{markup.format(form=form)}
        <p data-result-count="{len(shown)}">共 {len(shown)} 件</p>
        <ul>{"".join(f"<li>{name}</li>" for name in shown)}</ul>
      </main>{script}</body></html>"""


@pytest.mark.parametrize("page", VIEWPORTS, indirect=True, ids=str)
def test_the_checks_pass_on_the_admin_login_page(page, page_errors, portal_server):
    response = page.goto(portal_server + "/admin/login/")

    problems = page_problems(page, response, page_errors)

    assert not problems, report(page.url, problems)


@pytest.mark.parametrize("page", [PHONE], indirect=True, ids=str)
def test_the_checks_catch_a_broken_page(page, page_errors):
    page.route(f"{MADE_UP}/**", lambda route: route.fulfill(content_type="text/html; charset=utf-8", body=BROKEN_PAGE))
    response = page.goto(f"{MADE_UP}/broken/")

    problems = "\n".join(page_problems(page, response, page_errors))

    for expected in [
        'has no <meta name="viewport"',
        "scrolls sideways: the document is 608px wide in a 390px window",
        "<div> right edge at 608px",
        "axe html-has-lang (serious)",
        "axe image-alt (critical)",
        "request outside the portal, blocked: https://cdn.example.com/lib.js",
        "console error: boom",
        "uncaught Error: bang",
    ]:
        assert expected in problems, problems


def test_a_missing_page_is_reported(page, page_errors):
    page.route(f"{MADE_UP}/**", lambda route: route.fulfill(status=404, content_type="text/plain", body="gone"))

    problems = page_problems(page, page.goto(f"{MADE_UP}/gone/"), page_errors)

    assert "answers 404, not 200" in problems


@pytest.mark.parametrize("panel", PANELS)
def test_the_keyboard_walk_opens_the_panel_and_filters_the_list(panel, page, page_errors):
    def serve(route: Route) -> None:
        route.fulfill(content_type="text/html; charset=utf-8", body=list_page(panel, urlsplit(route.request.url).query))

    page.route(f"{MADE_UP}/**", serve)
    page.goto(f"{MADE_UP}/list/")

    walk = filter_by_keyboard(page, ["sector"])

    assert (walk.name, walk.value, walk.count_before, walk.count_after) == ("sector", "b", 4, 1), walk.steps
    assert parse_qs(urlsplit(page.url).query) == {"sector": ["b"]}
    assert walk.steps == ["sector=a: 4 result(s)", "sector=b: 1 result(s)"]
    assert not page_errors
