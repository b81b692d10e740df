"""The static build with pages of a few records and menus of two values:
the build renders every page of the lists (also of a list filtered by one
value) and each long menu's page of all values, and every link resolves."""

import re

import pytest
from django.db import transaction
from django.test.utils import override_settings

from portal.fixtures import load_fixtures
from publish.build import _resolves, build_site, check
from tests.conftest import STATIC_SITE_URL

pytestmark = pytest.mark.django_db

LANGUAGES = ["", "/en"]


@pytest.fixture(scope="module")
def small_pages_site(django_db_blocker, tmp_path_factory):
    """The real data built with pages of a few records and menus of two
    values, so the build must render the lists' later pages (also of a
    filtered list) and the filters' pages of all values."""
    out = tmp_path_factory.mktemp("small-pages") / "dist"
    with pytest.MonkeyPatch.context() as patch, django_db_blocker.unblock():
        patch.setattr("exhibits.views.PAGE_SIZE", 3)
        patch.setattr("craftsmen.views.PAGE_SIZE", 5)
        patch.setattr("shell.pages.EVENTS_PAGE_SIZE", 5)
        patch.setattr("shell.pages.ORGANISATIONS_PAGE_SIZE", 10)
        with (
            transaction.atomic(),
            override_settings(
                FILTER_OPTIONS_SHOWN=2,
                DOWNLOADS_DIR=tmp_path_factory.mktemp("small-pages-downloads"),
                CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "small"}},
            ),
        ):
            load_fixtures()
            build_site(out, STATIC_SITE_URL)
            transaction.set_rollback(True)
    return out


def test_the_build_renders_every_page_of_the_lists_and_of_a_filtered_list(small_pages_site):
    assert check(small_pages_site, STATIC_SITE_URL) == []
    for prefix in LANGUAGES:
        for path in ("exhibits/~page=2", "exhibits/~page=4", "exhibits/~sector=xitu~page=2", "craftsmen/~page=2"):
            assert (small_pages_site / prefix.lstrip("/") / path / "index.html").is_file(), prefix + path


def test_a_long_menu_links_to_its_page_of_all_values_whose_links_are_built(small_pages_site):
    for prefix in LANGUAGES:
        page = (small_pages_site / prefix.lstrip("/") / "exhibits/~sector=xitu/index.html").read_text(encoding="utf-8")
        panel = re.search(r'<nav class="filter-links".*?</nav>', page, re.S).group(0)
        assert f'class="more-values" href="{prefix}/exhibits/filters/tier/"' in panel
        values = (small_pages_site / prefix.lstrip("/") / "exhibits/filters/tier/index.html").read_text(
            encoding="utf-8"
        )
        assert 'id="values-q"' not in values  # a static host would ignore the search
        links = re.findall(r'<li><a href="([^"]+)">', values)
        assert len(links) >= 3
        for link in links:
            assert _resolves(small_pages_site, link), link
