import re

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("portal_data")]

LOCK = "机械式自锁防脱落牵引锁止装置"


def names_on(response) -> list[str]:
    return re.findall(r'<h3 class="card-title"><a href="/(?:en/)?exhibits/[^"]+/">([^<]+)', response.content.decode())


def test_the_list_shows_every_named_exhibit_and_the_count(client):
    response = client.get("/exhibits/")
    assert len(names_on(response)) == 10
    assert "共 10 件展品" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sector=xitu", 5),
        ("kind=wuxiao-chuangxin", 2),
        ("kind=zhenguan-zhi-bao", 2),
        ("organisation=bayannaoer-gongdian-gongsi", 2),
        ("tier=beijiang-gongjiang", 1),
        ("area=zhigong-chuangxin-chengguo-jishi", 1),
        ("sector=xitu&kind=wuxiao-chuangxin", 0),
        ("sector=dianli&kind=wuxiao-chuangxin", 2),
    ],
)
def test_filters_narrow_the_list(client, query, expected):
    assert len(names_on(client.get(f"/exhibits/?{query}"))) == expected


def test_filtering_by_the_makers_tier_finds_the_traction_lock(client):
    assert names_on(client.get("/exhibits/?tier=beijiang-gongjiang")) == [LOCK]


@pytest.mark.parametrize(
    "query",
    # (A NUL byte gets 400 before any view: tests/portal/test_bad_input.py.)
    ["sector=no-such-sector", "kind=%FF", "tier=" + "x" * 3000, "sort=drop-table", "page=-1", "page=abc", "page=99999"],
)
def test_invalid_filter_values_give_a_clear_message_not_an_error(client, query):
    response = client.get(f"/exhibits/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    if not query.startswith("page"):
        assert "部分筛选条件无效" in html


def test_active_filters_are_shown_as_chips_each_removable_on_its_own(client):
    html = client.get("/exhibits/?sector=dianli&kind=wuxiao-chuangxin").content.decode()
    assert 'href="/exhibits/?kind=wuxiao-chuangxin"' in html
    assert 'href="/exhibits/?sector=dianli"' in html


def test_sorting_by_name_changes_the_order(client):
    by_report = names_on(client.get("/exhibits/"))
    by_name = names_on(client.get("/exhibits/?sort=name"))
    assert by_report[0] == LOCK
    assert sorted(by_name) == sorted(by_report)
    assert by_name != by_report


def test_the_english_list_filters_too(client):
    response = client.get("/en/exhibits/?sector=xitu")
    assert len(names_on(response)) == 5
    assert "Rare-earth permanent-magnet motor" in response.content.decode()


def test_the_detail_links_maker_and_shows_related_exhibits(client):
    html = client.get("/exhibits/jixieshi-zisuo-fang-tuoluo-qianyin-suozhi-zhuangzhi/").content.decode()
    assert 'href="/craftsmen/li-dongliang/"' in html
    assert "北疆工匠李冬凉及其团队" in html


def test_the_detail_of_a_rare_earth_exhibit_lists_the_other_rare_earth_exhibits(client):
    html = client.get("/exhibits/xitu-yongci-dianji/").content.decode()
    assert "相关展品" in html
    assert "稀土隔热涂料" in html


def test_an_exhibit_without_a_stated_maker_says_so_once_instead_of_inventing_one(client):
    html = client.get("/exhibits/xiao-koujing-huopao-shenguan/").content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert "研发者" not in main.split("<dl", 1)[1].split("</dl>", 1)[0]
    assert main.count("未写明研发者") + main.count("报道没有写明这件成果的研发者或单位") == 1


def test_the_results_partial_renders_on_its_own(client):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from exhibits.filters import ExhibitFilter
    from exhibits.models import Exhibit

    request = RequestFactory().get("/exhibits/", {"sector": "dianli"})
    filterset = ExhibitFilter(request.GET, queryset=Exhibit.objects.for_list_page())
    from django.core.paginator import Paginator

    html = render_to_string(
        "exhibits/exhibit_list.html#results",
        {"filterset": filterset, "page": Paginator(filterset.qs, 20).get_page(1), "active_filters": []},
        request=request,
    )
    assert "<h1" not in html
    assert "预警通讯安全帽" in html


def test_the_title_and_heading_name_the_filters_in_use(client):
    chinese = client.get("/exhibits/?sector=xitu").content.decode()
    english = client.get("/en/exhibits/?sector=xitu").content.decode()
    unfiltered = client.get("/exhibits/").content.decode()

    assert "<title>稀土 · 展品 · 北疆工匠网</title>" in chinese and "<h1>稀土 · 展品</h1>" in chinese
    assert "<title>Rare earth · Exhibits · " in english and "<h1>Rare earth · Exhibits</h1>" in english
    assert "<title>展品 · 北疆工匠网</title>" in unfiltered and "<h1>展品</h1>" in unfiltered
