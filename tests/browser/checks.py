"""What every page must pass in a real browser: checks that read a loaded
Playwright page and return the problems they find, as readable text."""

from __future__ import annotations

from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, Response

from tests.browser.viewports import PHONE

# axe-core as shipped inside the axe-playwright-python wheel: injected into the
# page, nothing is fetched from the network.
AXE = Axe()
BLOCKING_IMPACTS = {"serious", "critical"}

# The elements that stick out past the right edge of the viewport and have no
# child that does: the ones whose own width causes the horizontal scroll.
OVERFLOWING_ELEMENTS_JS = """() => {
  const limit = window.innerWidth + 0.5;
  const sticksOut = (el) => el.getBoundingClientRect().right > limit;
  const describe = (el) => {
    const classes = [...el.classList].map((c) => "." + c).join("");
    const right = Math.round(el.getBoundingClientRect().right);
    return `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${classes}> right edge at ${right}px`;
  };
  return [...document.body.querySelectorAll("*")]
    .filter((el) => sticksOut(el) && ![...el.children].some(sticksOut))
    .slice(0, 5)
    .map(describe);
}"""


def horizontal_overflow(page: Page) -> list[str]:
    """A problem when the page scrolls sideways: the document is wider than
    the window's content area (its width less any vertical scrollbar)."""
    scroll_width, client_width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if scroll_width <= client_width:
        return []
    culprits = "".join(f"\n    {element}" for element in page.evaluate(OVERFLOWING_ELEMENTS_JS))
    return [f"scrolls sideways: the document is {scroll_width}px wide in a {client_width}px window{culprits}"]


def missing_mobile_viewport(page: Page) -> list[str]:
    """The phone-sized run lays the page out at 390 CSS px without emulating a
    phone, so it passes whether or not the page asks phones for that layout;
    this is the half of the check that a real phone needs."""
    content = page.evaluate("document.querySelector('meta[name=viewport]')?.content ?? ''")
    if "width=device-width" in content.replace(" ", ""):
        return []
    return ['has no <meta name="viewport" content="width=device-width, initial-scale=1">: phones lay it out 980px wide']


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations whose impact is serious or critical."""
    results = AXE.run(page)
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]


def describe_violations(violations: list[dict[str, Any]], nodes_shown: int = 5) -> list[str]:
    problems = []
    for violation in violations:
        lines = [f"axe {violation['id']} ({violation['impact']}): {violation['help']} ({violation['helpUrl']})"]
        for node in violation["nodes"][:nodes_shown]:
            target = " ".join(str(part) for part in node["target"])
            html = " ".join(node["html"].split())
            lines.append(f"    at {target}: {html[:160]}")
            summary = " ".join(node.get("failureSummary", "").split())
            if summary:
                lines.append(f"      {summary[:300]}")
        hidden = len(violation["nodes"]) - nodes_shown
        if hidden > 0:
            lines.append(f"    … and {hidden} more element(s)")
        problems.append("\n".join(lines))
    return problems


def accessibility_problems(page: Page) -> list[str]:
    return describe_violations(serious_violations(page))


def page_problems(page: Page, response: Response | None, page_errors: list[str]) -> list[str]:
    """Everything wrong with a page just loaded: its status, its layout at
    the current window size, its accessibility, and the errors it logged."""
    status = response.status if response else None
    problems = [] if status == 200 else [f"answers {status}, not 200"]
    if page.viewport_size and page.viewport_size["width"] == PHONE.width:
        problems += missing_mobile_viewport(page)
    problems += horizontal_overflow(page)
    problems += accessibility_problems(page)
    return problems + page_errors


def report(url: str, problems: list[str]) -> str:
    return f"{url}: {len(problems)} problem(s)\n" + "\n".join(f"  - {problem}" for problem in problems)
