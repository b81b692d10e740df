"""Every public URL, in both languages, on the real data, fetched once fresh
and once from the page cache behind the TLS-terminating proxy, as in
production: each answer holds everything a page must (tests/page_checks.py).
Other tests walk the same URLs for what one response cannot show: other
methods (tests/shell/test_middleware.py), bad input, hidden records, the
reader role, the browser."""

import pytest
from django.test import Client

from tests.page_checks import page_problems, response_problems
from tests.public_urls import ENGLISH_PATHS, PUBLIC_PATHS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("portal_data")]

# Public, but not pages: no <h1>, canonical link or language to check.
OTHER_PUBLIC_URLS = ["/search/?q=稀土", "/sitemap.xml", "/robots.txt"]


def fresh_and_cached_problems(client: Client, path: str, check) -> dict[str, list[str]]:
    """`check`'s problems with the first answer and with the second, which
    the page cache serves when it answers at all."""
    fresh, cached = client.get(path), client.get(path)
    problems = {f"fresh {name}": found for name, found in check(fresh).items()}
    problems |= {f"cached {name}": found for name, found in check(cached).items()}
    if fresh.has_header("X-Page-Cache") and cached.get("X-Page-Cache") != "hit":
        problems["cached X-Page-Cache"] = [f"{cached.get('X-Page-Cache')!r}, not 'hit'"]
    if client.cookies:
        problems["client cookies"] = [f"the client was left cookies: {sorted(client.cookies)}"]
    return problems


def readable(path: str, problems: dict[str, list[str]]) -> str:
    return f"{path} fails " + "; ".join(f"{check}: " + " | ".join(found[:10]) for check, found in problems.items())


@pytest.mark.parametrize("path", PUBLIC_PATHS + ENGLISH_PATHS)
def test_every_public_url_holds_what_a_page_must(https_client, path):
    problems = fresh_and_cached_problems(https_client, path, lambda response: page_problems(response, path))
    assert problems == {}, readable(path, problems)


@pytest.mark.parametrize("path", OTHER_PUBLIC_URLS)
def test_every_other_public_url_carries_the_security_headers_and_sets_no_cookie_fresh_and_cached(https_client, path):
    problems = fresh_and_cached_problems(https_client, path, response_problems)
    assert problems == {}, readable(path, problems)
