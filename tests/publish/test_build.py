"""The static build of the real data (tests/conftest.py `built_site`)."""

import re

from publish.build import check
from tests.conftest import STATIC_SITE_URL
from tests.public_urls import PUBLIC_PATHS, VALUE_PATHS


def test_every_link_in_the_built_site_resolves_to_a_file(built_site):
    assert check(built_site, STATIC_SITE_URL) == []


def test_every_public_page_of_the_live_site_is_a_file_in_both_languages(built_site):
    from publish.addresses import file_for

    # A filter's values page is linked only from a menu too long to list
    # every value, which the reports' data never has.
    for address in set(PUBLIC_PATHS) - set(VALUE_PATHS):
        for prefix in ("", "/en"):
            path, _, query = (prefix + address).partition("?")
            assert (built_site / file_for(path, query)).is_file(), prefix + address


def test_the_build_writes_the_downloads_the_sitemap_and_the_api(built_site):
    for name in (
        "robots.txt",
        "sitemap.xml",
        "404.html",
        "en/404.html",
        "data/beijiang-gongjiang-data.zip",
        "exhibits/export.csv",
        "exhibits/export.xlsx",
        "craftsmen/export.csv",
        "api/v1/index.json",
        "api/v1/exhibits/index.json",
        "api/v1/people/gao-fenglin/index.json",
        "api/v1/openapi.json",
    ):
        assert (built_site / name).is_file(), name


def test_canonical_links_name_the_static_site_address(built_site):
    page = (built_site / "exhibits/index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{STATIC_SITE_URL}/exhibits/">' in page
    assert STATIC_SITE_URL + "/sitemap-pages.xml" in (built_site / "sitemap.xml").read_text(encoding="utf-8")


def test_no_page_links_to_an_address_with_a_query_a_static_host_would_ignore(built_site):
    for page in built_site.rglob("*.html"):
        for link in re.findall(r'href="(/[^"]*)"', page.read_text(encoding="utf-8")):
            assert "?" not in link or link.startswith(("/search/", "/en/search/")), (page, link)
