"""The static build as a kiosk runs it (README "Running a kiosk"): served
by a plain file server, saved for offline from the footer, then browsed
with the network gone, in both languages.

These tests open their own browser contexts: the `page` fixture routes
every request through Playwright, and Chromium then bypasses the service
worker. Each test serves the build from a server of its own on a new port
(a new origin, so no service worker or cache is carried between tests),
which it can stop to take the network away for good."""

from __future__ import annotations

import functools
import shutil
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from publish import offline
from tests.browser.checks import AXE, describe_violations, page_problems, report
from tests.browser.viewports import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SAVE_TIMEOUT_MS = 120_000
EXHIBIT = "/exhibits/jixieshi-zisuo-fang-tuoluo-qianyin-suozhi-zhuangzhi/"
DOWNLOAD = "/data/beijiang-gongjiang-data.zip"
# (address, the start of its heading): pages in both languages, an exhibit,
# a craftsman, the search page with a query (the page reads it itself).
SAVED_PAGES = [
    ("/", "内蒙古总工会的工匠"),
    ("/en/", "Craftsmen and workers"),
    ("/exhibits/", "展品"),
    ("/en/exhibits/", "Exhibits"),
    (EXHIBIT, "机械式自锁防脱落牵引锁止装置"),
    ("/en" + EXHIBIT, "Mechanical self-locking"),
    ("/en/craftsmen/gao-fenglin/", "Gao Fenglin"),
    ("/search/?q=工匠", "搜索"),
]


class Server:
    """A plain static file server, as a kiosk runs (`python -m http.server`),
    noting the paths it is asked for."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        asked = self.asked = []

        class Quiet(SimpleHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                asked.append(self.path)
                super().do_GET()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.running = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.running:
            self.running = False
            self.httpd.shutdown()
            self.httpd.server_close()


@pytest.fixture
def kiosk(built_site) -> Iterator[Server]:
    server = Server(built_site)
    yield server
    server.stop()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": DESKTOP.width, "height": DESKTOP.height})
    context.set_default_timeout(10_000)
    yield context
    context.close()


def open_with_errors(context, url: str):
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(f"console: {message.text}"))
    page.on("pageerror", lambda error: errors.append(f"uncaught {error.name}: {error.message}"))
    page.goto(url)
    return page, errors


def save_for_offline(page) -> str:
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.get_by_role("button", name="保存本站供离线浏览").click()
    page.wait_for_selector('.offline-save[data-state="saved"]', timeout=SAVE_TIMEOUT_MS)
    return page.inner_text(".offline-save [role=status]")


def test_a_saved_site_is_browsed_with_the_network_gone_in_both_languages(context, kiosk, built_site):
    page, errors = open_with_errors(context, kiosk.url + "/")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    assert page.evaluate("caches.keys()") == [], "nothing is cached before the visitor asks"

    # What the control shows while it saves: the states and the progress.
    page.evaluate("""() => {
      const control = document.querySelector(".offline-save");
      window.seen = [];
      new MutationObserver(() => {
        window.seen.push([control.dataset.state, control.querySelector("progress").value]);
      }).observe(control, { attributes: true, subtree: true });
    }""")
    said = save_for_offline(page)
    files = len(offline.files_to_cache(built_site))
    seen = page.evaluate("window.seen")
    assert any(state == "saving" and 0 < value < files for state, value in seen), seen
    assert said == f"已保存：本站的 {files} 个文件都在本机，断网也能浏览。"
    problems = describe_violations(AXE.run(page).response["violations"])

    kiosk.stop()
    context.set_offline(True)
    for path, heading in SAVED_PAGES:
        response = page.goto(kiosk.url + path)
        assert response is not None and response.status == 200, path
        assert page.inner_text("h1").startswith(heading), path
        assert page.get_attribute("html", "lang") == ("en" if path.startswith("/en/") else "zh-Hans"), path
        # The stylesheet came from the saved copy too.
        assert "PingFang SC" in page.evaluate("getComputedStyle(document.body).fontFamily"), path
    size = page.evaluate(f"fetch('{DOWNLOAD}').then((r) => r.arrayBuffer()).then((b) => b.byteLength)")
    assert size == (built_site / DOWNLOAD.lstrip("/")).stat().st_size

    page.goto(kiosk.url + "/en/")
    page.wait_for_selector('.offline-save[data-state="saved"]')
    assert page.inner_text(".offline-save [role=status]") == (
        f"Saved: all {files} files of the site are on this device, so it can be browsed without a network."
    )
    assert not page.is_visible(".offline-save button")
    assert not problems + errors, report("/", problems + errors)


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/no-such-page/", "这一页没有保存在本机"),
        ("/en/exhibits/no-such-exhibit/", "This page is not saved on this device"),
    ],
)
def test_an_address_not_saved_shows_the_offline_page_in_its_language(context, kiosk, path, heading):
    page, _ = open_with_errors(context, kiosk.url + "/")
    save_for_offline(page)
    kiosk.stop()
    context.set_offline(True)

    page.goto(kiosk.url + path)

    assert page.inner_text("h1") == heading
    assert page.url == kiosk.url + path


def test_saving_without_a_network_says_how_many_files_were_not_saved_and_offers_the_button_again(context, kiosk):
    page, _ = open_with_errors(context, kiosk.url + "/en/")
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    kiosk.stop()
    context.set_offline(True)

    page.get_by_role("button", name="Save the site for offline use").click()
    page.wait_for_selector('.offline-save[data-state="failed"]', timeout=SAVE_TIMEOUT_MS)

    files = len(offline.files_to_cache(kiosk.folder))
    assert page.inner_text(".offline-save [role=status]") == (
        f"{files} files could not be saved: press the button again when online."
    )
    assert page.is_enabled(".offline-save button")


@pytest.mark.parametrize("page", [PHONE, DESKTOP], indirect=True, ids=["phone", "desktop"])
@pytest.mark.parametrize("path", ["/offline/", "/en/offline/"])
def test_the_offline_page_is_sound_and_has_no_accessibility_violation(page, page_errors, static_site, path):
    response = page.goto(static_site + path)
    problems = page_problems(page, response, page_errors)
    problems += describe_violations(AXE.run(page).response["violations"])
    assert not problems, report(path, problems)


def test_without_javascript_the_save_control_stays_hidden(browser, static_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(static_site + "/en/")

    assert page.locator(".offline-save").count() == 1
    assert not page.is_visible(".offline-save")
    context.close()


def test_a_browser_that_cannot_keep_a_service_worker_is_told_so(browser, kiosk):
    context = browser.new_context()
    # As in a browser without service workers, or on a plain http address
    # other than localhost, where Chromium offers none.
    context.add_init_script("delete Navigator.prototype.serviceWorker;")
    page = context.new_page()
    page.goto(kiosk.url + "/en/")

    page.wait_for_selector('.offline-save[data-state="unsupported"]')
    assert "cannot save the site for offline use" in page.inner_text(".offline-save [role=status]")
    assert not page.is_visible(".offline-save button")
    context.close()


def test_a_rebuild_updates_a_saved_copy_fetching_only_what_changed(context, built_site, tmp_path):
    site = tmp_path / "dist"
    shutil.copytree(built_site, site)
    server = Server(site)
    try:
        page, _ = open_with_errors(context, server.url + "/figures/")
        save_for_offline(page)
        saved_as = page.evaluate("caches.keys()")
        # The data changed and the site was built again: one page differs.
        figures = site / "figures/index.html"
        figures.write_text(figures.read_text(encoding="utf-8").replace("</h1>", " (rebuilt)</h1>", 1), "utf-8")
        (site / "sw.js").write_text(offline.service_worker(offline.files_to_cache(site)), encoding="utf-8")
        server.asked.clear()

        # The browser finds the new worker, which takes over the saved copy
        # under a new name; the next page then saves what it lacks.
        page.reload()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            names = page.evaluate("caches.keys()")
            if len(names) == 1 and names != saved_as:
                break
            time.sleep(0.1)
        assert len(names) == 1 and names != saved_as, names
        page.reload()
        page.wait_for_selector('.offline-save[data-state="saved"]', timeout=SAVE_TIMEOUT_MS)
    finally:
        server.stop()
    context.set_offline(True)

    page.goto(server.url + "/figures/")
    assert page.inner_text("h1").endswith("(rebuilt)")
    assert set(server.asked) <= {"/sw.js", "/figures/"}, server.asked
