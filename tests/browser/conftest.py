"""Playwright driving Debian's Chromium against pytest-django's live server.

One browser for the whole session and a fresh context (cookies, storage,
viewport) per test. Chromium is Debian's package (`apt-get install
chromium`), found at $CHROMIUM or /usr/bin/chromium: Playwright's own browser
download cannot run here. Without it these tests fail loudly; `make test`
deselects them with a notice instead, except in CI."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Request, Route, sync_playwright

from portal.fixtures import load_fixtures
from portal.models import FixtureLoad
from tests.browser.viewports import DESKTOP, Viewport

CHROMIUM = Path(os.environ.get("CHROMIUM") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Everything a page loads must come from the portal itself (no CDN).
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
TIMEOUT_MS = 10_000


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests last, after pytest-randomly has shuffled and
    pytest-django has grouped everything. While Playwright's sync API is
    started, the main thread has a running asyncio loop, which would make
    Django treat every later test as async code; moving these tests to the
    end keeps that loop (and the setting below) away from the rest."""
    items.sort(key=lambda item: (item.get_closest_marker("browser") is not None, _empties_the_tables(item)))
    # The live server's public pages read through the reader alias
    # (portal.routers), which a test must declare to use. The tests only
    # read, so they are not transactional: the data committed once for them
    # (portal_data_committed) stays for every one. A test that must write
    # for the server to see (it declares transaction=True itself) empties
    # the tables after it, so those run at the very end.
    here = Path(__file__).parent
    for item in items:
        if Path(item.fspath).is_relative_to(here):
            item.add_marker(pytest.mark.django_db(databases=["default", "reader"]))


def _empties_the_tables(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    return marker is not None and marker.kwargs.get("transaction", False)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium`, "
            'set CHROMIUM=/path/to/chromium, or leave these tests out with -m "not browser".',
            pytrace=False,
        )
    # Playwright's sync API keeps an asyncio loop running in this thread, so
    # Django's async-safety check takes the test's database calls (loading
    # the data, pytest-django's flush) for async code and raises
    # SynchronousOnlyOperation. The calls are plain synchronous ones made from
    # this thread only, so the check is switched off while the browser runs,
    # and back on afterwards.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page_errors() -> list[str]:
    """What went wrong in the page while the test ran: console errors,
    uncaught exceptions, requests to anywhere but the portal."""
    return []


@pytest.fixture
def page(request: pytest.FixtureRequest, browser: Browser, page_errors: list[str]) -> Iterator[Page]:
    """A page in a fresh context, at the viewport given by indirect
    parametrization (desktop otherwise). The phone size is a plain 390 px
    window, not an emulated phone: an emulated phone widens the window to fit
    overflowing content, which would hide the very scroll we look for."""
    viewport: Viewport = getattr(request, "param", DESKTOP)
    context = browser.new_context(viewport={"width": viewport.width, "height": viewport.height})
    context.set_default_timeout(TIMEOUT_MS)

    def only_local(route: Route, req: Request) -> None:
        if urlsplit(req.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            page_errors.append(f"request outside the portal, blocked: {req.url}")
            route.abort("blockedbyclient")

    def on_console(message) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            page_errors.append(f"console error: {message.text}" + (f" ({where})" if where else ""))

    context.route("**/*", only_local)
    page = context.new_page()
    page.on("console", on_console)
    page.on("pageerror", lambda error: page_errors.append(f"uncaught {error.name}: {error.message}"))
    yield page
    context.close()


@pytest.fixture(scope="session")
def portal_data_committed(django_db_setup, django_db_blocker) -> None:
    """The real fixtures, loaded by the portal's own loader and committed
    once for all the browser tests (the live server only sees committed
    data). They stay until the test database is dropped: the browser tests
    run last (above) and never write, and a transactional test, whose
    teardown empties every table, never runs after them."""
    with django_db_blocker.unblock():
        if not FixtureLoad.objects.exists():
            load_fixtures()


@pytest.fixture(scope="session")
def portal_server(django_db_setup) -> Iterator[str]:
    """One live server for every browser test. pytest-django's own
    `live_server` fixture would make each test transactional, and so empty
    the tables after it; this is the same server, started by its helper."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost")
    server._live_server_modified_settings.enable()
    yield server.url
    server._live_server_modified_settings.disable()
    server.stop()


@pytest.fixture
def portal_site(portal_data_committed, portal_server) -> str:
    """The live server's URL, with the real fixtures in its database."""
    return portal_server


@pytest.fixture(scope="session")
def static_site(built_site) -> Iterator[str]:
    """The static build (tests/conftest.py `built_site`) served by a plain
    static file server, as a kiosk or a static host would: its address."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(built_site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
