"""The static build of the real data (tests/conftest.py `built_site`)."""

import hashlib
import re

import pytest

from publish.build import check
from tests.conftest import STATIC_SITE_URL, build_real_site
from tests.public_urls import PUBLIC_PATHS, VALUE_PATHS

# The marker makes pytest-django create the test database even when these
# are the only tests run: the session's build needs it.
pytestmark = pytest.mark.django_db


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


def _digests(folder):
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in folder.rglob("*")
        if path.is_file()
    }


def test_the_same_data_builds_byte_identical_files(built_site, django_db_blocker, tmp_path):
    with django_db_blocker.unblock():
        build_real_site(tmp_path / "again", tmp_path / "downloads")
    assert _digests(tmp_path / "again") == _digests(built_site)


def test_static_files_carry_content_hashes_and_only_those_the_pages_use_are_kept(built_site):
    files = [path.name for path in (built_site / "static").rglob("*") if path.is_file()]
    assert files
    assert all(re.search(r"\.[0-9a-f]{12}\.", name) for name in files), files
    assert not (built_site / "static/admin").exists()
