"""Filtering a list with the keyboard alone, as someone who cannot use a
mouse would: Tab to a filter, change it, Tab to the submit button, Enter.

The page's side of the contract: the filters are <select>s, radios or
checkboxes named after their URL parameter, inside a GET form with a submit
button (or a form that submits itself on change); a collapsed filter panel
is a <details> or a button with aria-expanded and aria-controls; the list
carries its total as data-result-count="N" on one element."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

TAB_LIMIT = 120
# A form without a submit button has this long to navigate after a change.
AUTO_SUBMIT_MS = 600

# What the focused element is, for the filter walk. "disclosure" is a closed
# panel that hides filter controls; "submit" submits the filters' form.
FOCUS_JS = """(names) => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const holdsFilter = (root) => !!root && names.some((name) => root.querySelector(`[name="${name}"]`));
  let kind = "other";
  if (names.includes(el.name) && (el.tagName === "SELECT" || el.type === "radio" || el.type === "checkbox")) {
    kind = "filter";
  } else if (el.tagName === "SUMMARY" && !el.parentElement.open && holdsFilter(el.parentElement)) {
    kind = "disclosure";
  } else if (el.getAttribute("aria-expanded") === "false"
             && holdsFilter(document.getElementById(el.getAttribute("aria-controls") || ""))) {
    kind = "disclosure";
  } else if (el.type === "submit" && el.form && holdsFilter(el.form)) {
    kind = "submit";
  }
  const label = (el.labels?.[0]?.innerText || el.getAttribute("aria-label") || el.innerText || el.value || "")
    .trim().replace(/\\s+/g, " ").slice(0, 30);
  const name = el.name ? ` name=${el.name}` : "";
  return {kind, name: el.name || "", description: `<${el.tagName.toLowerCase()}${name}> ${label}`};
}"""


# The key that gives the focused filter its next value, and that value:
# ArrowDown for a select or a checked radio, Space for an unchecked radio or
# checkbox. Null when there is no next value.
NEXT_VALUE_JS = """() => {
  const el = document.activeElement;
  if (el.tagName === "SELECT") {
    const next = [...el.options].slice(el.selectedIndex + 1).find((option) => !option.disabled);
    return next ? {key: "ArrowDown", value: next.value} : null;
  }
  if (!el.checked) return {key: "Space", value: el.value};
  if (el.type === "checkbox") return null;
  const group = [...document.querySelectorAll(`input[type=radio][name="${el.name}"]`)].filter((r) => !r.disabled);
  return {key: "ArrowDown", value: group[(group.indexOf(el) + 1) % group.length].value};
}"""


@dataclass
class FilterWalk:
    name: str
    value: str
    count_before: int
    count_after: int
    steps: list[str]


def result_count(page: Page) -> int:
    marked = page.locator("[data-result-count]")
    assert marked.count() == 1, (
        f'{page.url}: the list must carry its number of results, on one element, as data-result-count="N" '
        f"({marked.count()} found)"
    )
    return int(marked.get_attribute("data-result-count") or "")


def tab_to(page: Page, wanted: str, names: list[str], limit: int = TAB_LIMIT) -> dict:
    """Press Tab until the focus is on an element of the wanted kind, opening
    (with Enter) any closed panel that hides the filters on the way."""
    trail = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_JS, names)
        trail.append(focus["description"] if focus else "(nothing focused)")
        if focus is None:
            continue
        if focus["kind"] == wanted:
            return focus
        if focus["kind"] == "disclosure":
            page.keyboard.press("Enter")
            trail.append("  Enter (opens the panel)")
    raise AssertionError(
        f"{page.url}: no {wanted} control reached in {limit} presses of Tab; the focus went through:\n    "
        + "\n    ".join(trail[-40:])
    )


def change_focused_control(page: Page) -> str | None:
    """Give the focused filter its next value as a keyboard user does, and
    return that value, or None when it has no next value. The value is worked
    out before the key is pressed: a form that submits itself on change may
    be gone right after."""
    change = page.evaluate(NEXT_VALUE_JS)
    if change is None:
        return None
    page.keyboard.press(change["key"])
    return change["value"]


def submit_by_keyboard(page: Page, names: list[str], url_before: str) -> None:
    """Submit the filters' form, unless it already submitted itself on the
    change; either way, wait for the new list to load."""
    try:
        page.wait_for_url(lambda url: url != url_before, timeout=AUTO_SUBMIT_MS)
        return
    except PlaywrightTimeoutError:
        pass
    tab_to(page, "submit", names)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url != url_before)


def filter_by_keyboard(page: Page, names: list[str], attempts: int = 8) -> FilterWalk:
    """From the top of a loaded list page: reach the first filter, change it,
    submit; repeat with its next value until the number of results changes."""
    count_before = result_count(page)
    steps = []
    for _ in range(attempts):
        focus = tab_to(page, "filter", names)
        url_before = page.url
        value = change_focused_control(page)
        if value is None:
            break
        submit_by_keyboard(page, names, url_before)
        count_after = result_count(page)
        steps.append(f"{focus['name']}={value}: {count_after} result(s)")
        if count_after != count_before:
            return FilterWalk(focus["name"], value, count_before, count_after, steps)
    raise AssertionError(
        f"{page.url}: no value of the first filter changed the number of results from {count_before}; tried:\n    "
        + "\n    ".join(steps)
    )
