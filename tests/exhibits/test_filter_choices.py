"""The exhibit list's menus stay short however many values there are: past
FILTER_OPTIONS_SHOWN the most used, the selected one, and a link to a page
of every value (portal.filtering.bounded_menus, value_page)."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from exhibits import views
from tests import factories as make

pytestmark = pytest.mark.django_db


def menu(response, name: str) -> list[tuple[str, str, bool]]:
    """(value, label, selected) of each option of the named select."""
    html = response.content.decode()
    select = re.search(rf'<select[^>]* name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [
        (value, label, bool(selected))
        for value, selected, label in re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select)
    ]


def values_on(response) -> list[tuple[str, str]]:
    """(link, label) of each value on a values page."""
    html = response.content.decode()
    items = re.search(r'<ul class="value-list">(.*?)</ul>', html, re.S).group(1)
    return [(link.replace("&amp;", "&"), label) for link, label in re.findall(r'<a href="([^"]+)">([^<]+)</a>', items)]


@pytest.fixture
def sectors(settings):
    """Five sectors used by 3, 2, 1, 1 and no exhibits; menus of three."""
    settings.FILTER_OPTIONS_SHOWN = 3
    show = make.exhibition()
    used = {
        "shao": make.sector(name="乙少", name_en="Few", slug="shao", order=1),
        "duo": make.sector(name="甲多", name_en="Most", slug="duo", order=2),
        "zhong": make.sector(name="丙中", name_en="Middle", slug="zhong", order=3),
        "ling": make.sector(name="丁零", name_en="Nought", slug="ling", order=4),
        "yi": make.sector(name="戊一", name_en="One", slug="yi", order=5),
    }
    for slugs in [("duo", "zhong", "shao"), ("duo", "zhong", "yi"), ("duo",)]:
        make.exhibit(exhibition=show, sectors=[used[slug] for slug in slugs])
    return used


def test_a_long_menu_offers_the_most_used_first_and_no_more_than_the_bound(client, sectors):
    response = client.get("/exhibits/")
    assert [value for value, _, _ in menu(response, "sector")] == ["", "duo", "zhong", "shao"]
    assert [label for _, label, _ in menu(response, "sector")][1:] == ["甲多", "丙中", "乙少"]


def test_a_long_menu_links_to_the_page_of_all_its_values(client, sectors):
    html = client.get("/exhibits/").content.decode()
    assert '<a class="more-values" href="/exhibits/filters/sector/">更多…' in html
    assert "/exhibits/filters/kind/" not in html  # no kinds at all: nothing to link to


def test_the_selected_value_beyond_the_bound_still_shows_selected(client, sectors):
    options = menu(client.get("/exhibits/?sector=ling"), "sector")
    assert len(options) == 1 + 3 + 1  # "all", the bound, the selected one
    assert [(value, selected) for value, _, selected in options if selected] == [("ling", True)]


def test_a_selected_value_among_the_most_used_is_not_repeated(client, sectors):
    options = menu(client.get("/exhibits/?sector=zhong"), "sector")
    assert [value for value, _, _ in options] == ["", "duo", "zhong", "shao"]
    assert [value for value, _, selected in options if selected] == ["zhong"]


def test_a_menu_within_the_bound_keeps_its_order_and_has_no_link(client, sectors, settings):
    settings.FILTER_OPTIONS_SHOWN = 5
    response = client.get("/exhibits/")
    assert [value for value, _, _ in menu(response, "sector")] == ["", "shao", "duo", "zhong", "ling", "yi"]
    assert "more-values" not in response.content.decode()


def test_the_more_link_keeps_the_list_s_other_filters(client, sectors):
    kind = make.kind(slug="wuxiao")
    html = client.get("/exhibits/?q=锁&sector=duo&kind=wuxiao&sort=name&page=1").content.decode()
    link = re.search(r'<a class="more-values" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    path, query = link.split("?")
    assert path == "/exhibits/filters/sector/"
    assert parse_qs(parse_qs(query)["list"][0]) == {"q": ["锁"], "kind": [kind.slug], "sort": ["name"]}


def test_the_values_page_lists_every_value_most_used_first_with_its_count(client, sectors):
    response = client.get("/exhibits/filters/sector/")
    assert response.status_code == 200
    assert [label for _, label in values_on(response)] == ["甲多", "丙中", "乙少", "戊一", "丁零"]
    html = response.content.decode()
    assert "3 件展品" in html and "0 件展品" in html
    assert "共 5 个选项" in html


def test_the_values_page_is_paginated(client, sectors, monkeypatch):
    monkeypatch.setattr(views, "VALUES_PAGE_SIZE", 2)
    first = client.get("/exhibits/filters/sector/")
    assert [label for _, label in values_on(first)] == ["甲多", "丙中"]
    assert 'href="?page=2"' in first.content.decode()
    last = client.get("/exhibits/filters/sector/?page=3")
    assert [label for _, label in values_on(last)] == ["丁零"]


@pytest.mark.parametrize(("query", "expected"), [("丙", ["丙中"]), ("most", ["甲多"]), ("o", ["甲多", "戊一", "丁零"])])
def test_the_values_page_searches_names_and_english_names(client, sectors, query, expected):
    response = client.get("/exhibits/filters/sector/", {"q": query})
    assert [label for _, label in values_on(response)] == expected


def test_the_values_page_says_when_nothing_matches(client, sectors):
    assert "没有符合条件的选项。" in client.get("/exhibits/filters/sector/?q=nothing").content.decode()


def test_each_value_links_to_the_list_filtered_by_it_keeping_the_other_filters(client, sectors):
    make.kind(slug="wuxiao")
    response = client.get("/exhibits/filters/sector/", {"list": "q=锁&sector=shao&kind=wuxiao&sort=name&page=2"})
    link, label = values_on(response)[0]
    assert label == "甲多"
    # In the list's own order, so the list does not redirect it.
    assert urlsplit(link).path == "/exhibits/"
    assert parse_qs(urlsplit(link).query) == {"q": ["锁"], "sector": ["duo"], "kind": ["wuxiao"], "sort": ["name"]}
    assert client.get(link).status_code == 200
    # The search keeps them too, and the breadcrumb goes back to that list.
    html = response.content.decode()
    assert '<input type="hidden" name="list" value="q=%E9%94%81&amp;kind=wuxiao&amp;sort=name">' in html
    assert '<a href="/exhibits/?q=%E9%94%81&amp;kind=wuxiao&amp;sort=name">展品</a>' in html


def test_the_values_page_reads_in_english_under_en(client, sectors):
    response = client.get("/en/exhibits/filters/sector/")
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Exhibits by sector</h1>" in html
    assert "3 exhibits" in html and "1 exhibit<" in html
    assert [label for _, label in values_on(response)][:1] == ["Most"]
    assert values_on(response)[0][0] == "/en/exhibits/?sector=duo"
    assert "Search sector names" in html


def test_the_more_link_reads_in_english_under_en(client, sectors):
    html = client.get("/en/exhibits/").content.decode()
    assert '<a class="more-values" href="/en/exhibits/filters/sector/">All…' in html


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_values_page_is_not_indexed_and_has_one_heading_and_breadcrumbs(client, sectors, prefix):
    html = client.get(f"{prefix}/exhibits/filters/sector/").content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert html.count("<h1") == 1
    assert 'class="wrap breadcrumbs"' in html
    assert "<script>" not in html and "style=" not in html


@pytest.mark.parametrize("name", ["sort", "q", "nothing"])
def test_only_the_menus_have_a_values_page(client, name):
    assert client.get(f"/exhibits/filters/{name}/").status_code == 404


def test_unpublished_values_and_records_are_never_shown_nor_counted(client, settings):
    settings.FILTER_OPTIONS_SHOWN = 1
    show = make.exhibition()
    hidden_sector = make.sector(name="隐藏领域", is_published=False)
    shown = make.sector(name="公开领域")
    other = make.sector(name="另一领域")
    # Three unpublished exhibits would put `other` first if they counted.
    for _ in range(3):
        make.exhibit(exhibition=show, sectors=[other, hidden_sector], is_published=False)
    make.exhibit(exhibition=show, sectors=[shown, hidden_sector])
    rung, hidden_rung = make.tier(name="公开梯队"), make.tier(name="隐藏梯队", is_published=False)
    busy = make.tier(name="多人梯队")
    # A tier is counted through published makers only, as the filter finds them.
    make.exhibit(exhibition=show, makers=[make.person(tier=busy, is_published=False) for _ in range(2)])
    make.exhibit(exhibition=show, makers=[make.person(tier=rung), make.person(tier=hidden_rung)])
    make.exhibit(exhibition=show, makers=[make.person(tier=busy, is_published=False)])

    html = client.get("/exhibits/").content.decode()
    assert "隐藏领域" not in html and "隐藏梯队" not in html
    assert [label for _, label, _ in menu(client.get("/exhibits/"), "sector")][1:] == ["公开领域"]
    assert [label for _, label, _ in menu(client.get("/exhibits/"), "tier")][1:] == ["公开梯队"]
    sector_page = client.get("/exhibits/filters/sector/").content.decode()
    assert "隐藏领域" not in sector_page
    assert [label for _, label in values_on(client.get("/exhibits/filters/sector/"))] == ["公开领域", "另一领域"]
    tiers = values_on(client.get("/exhibits/filters/tier/"))
    assert [label for _, label in tiers] == ["公开梯队", "多人梯队"]
    assert "隐藏梯队" not in client.get("/exhibits/filters/tier/?q=隐藏").content.decode()
