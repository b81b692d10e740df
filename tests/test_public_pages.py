"""What the public pages show, in both languages, on the real data (what
every page must hold is checked in tests/test_public_urls.py)."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from tests.public_urls import DETAIL_PATHS, ENGLISH_PATHS, LIST_PATHS, PUBLIC_PATHS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("portal_data")]


def named_urls_without_arguments(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from named_urls_without_arguments(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.regex.groupindex:
            yield prefix + entry.name


PAGE_NAMES = sorted(
    name
    for name in named_urls_without_arguments()
    if not name.startswith(("admin:", "api"))  # the JSON API is tested in tests/api/
    # Not pages: the web app manifest is JSON; the offline page exists only in
    # the static build (tests/publish/test_offline.py).
    and name not in {"healthz", "robots-txt", "favicon", "sitemap", "data-zip", "web-manifest", "offline"}
)


def named_page_urls() -> list[str]:
    """Every named page's URL in both languages."""
    urls = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            urls += [reverse(name) for name in PAGE_NAMES]
    return urls


# tests/test_public_urls.py checks the named pages tests/public_urls.py lists,
# for this and more.
UNLISTED_NAMED_PAGES = [url for url in named_page_urls() if url not in PUBLIC_PATHS + ENGLISH_PATHS]


@pytest.mark.parametrize("url", UNLISTED_NAMED_PAGES)
def test_every_named_page_answers_200_with_exactly_one_h1(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("<h1") == 1


@pytest.mark.parametrize("path", [p.rsplit("/", 2)[0] + "/no-such-record/" for p in DETAIL_PATHS])
def test_unknown_records_answer_404(client, path):
    assert client.get(path).status_code == 404
    assert client.get("/en" + path).status_code == 404


def test_the_404_page_is_styled_and_in_the_portals_language(client):
    response = client.get("/nothing-here/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    assert client.get("/en/nothing-here/").content.decode().count("<h1") == 1


@pytest.mark.parametrize("path", DETAIL_PATHS)
def test_detail_pages_cite_their_sources_with_links_to_the_paragraph(client, path):
    html = client.get(path).content.decode()
    if path.startswith("/sources/"):
        assert 'id="p' in html
    else:
        assert re.search(r'href="/sources/[a-z0-9-]+/#p\d+"', html)
        assert "引用本条记录" in html


@pytest.mark.parametrize(
    ("path", "schema_type"),
    [
        ("/craftsmen/gao-fenglin/", '"@type": "Person"'),
        ("/events/di-san-jie-daguo-gongjiang-chuangxin-jiaoliu-dahui/", '"@type": "Event"'),
        ("/organisations/neimenggu-zonggonghui/", '"@type": "Organization"'),
        ("/exhibits/jixieshi-zisuo-fang-tuoluo-qianyin-suozhi-zhuangzhi/", '"@type": "CreativeWork"'),
    ],
)
def test_detail_pages_describe_their_record_in_json_ld(client, path, schema_type):
    html = client.get(path).content.decode()
    assert '<script type="application/ld+json">' in html
    assert schema_type in html


def test_english_pages_show_the_english_name_with_the_chinese_beside_it(client):
    html = client.get("/en/craftsmen/gao-fenglin/").content.decode()
    assert "Gao Fenglin" in html
    assert '<span lang="zh-Hans" class="alt-name">高凤林</span>' in html


def test_the_language_switch_points_at_the_same_page(client):
    assert 'href="/en/exhibits/"' in client.get("/exhibits/").content.decode()
    assert 'href="/exhibits/"' in client.get("/en/exhibits/").content.decode()


def sitemap_addresses(client) -> str:
    """Every section page the sitemap index lists, fetched and joined."""
    index = client.get("/sitemap.xml").content.decode()
    sections = re.findall(r"<loc>http://testserver(/sitemap-[^<]+)</loc>", index)
    assert sections, index
    return "".join(client.get(section.replace("&amp;", "&")).content.decode() for section in sections)


def test_the_sitemap_lists_every_public_page_in_both_languages(client):
    xml = sitemap_addresses(client)
    for path in LIST_PATHS + DETAIL_PATHS:
        assert f"http://testserver{path}</loc>" in xml, path
        assert f"http://testserver/en{path}</loc>" in xml, path


def test_robots_txt_points_at_the_sitemap_and_keeps_out_of_the_admin(client):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_the_home_page_shows_the_headline_figures_with_their_sources(client):
    html = client.get("/").content.decode()
    for number in ["40", "195", "30"]:
        assert f'<span class="num">{number}</span>' in html
    assert html.count('class="source-link"') >= 4


def test_the_pilot_units_page_shows_each_batchs_numbers_once_in_one_chart_and_table_with_the_total(client):
    html = client.get("/pilot-units/").content.decode()
    assert "全面试点点和项目试点单位" in html
    assert html.count('<figure class="chart">') == 1
    assert html.count("<table") == 1
    assert '<th scope="row" colspan="2">合计</th><td class="n">195家</td>' in html
    # Each batch's number once in the chart and once in its table, nowhere else.
    for number in ["21", "40", "20", "60", "54"]:
        assert html.count(f">{number}<small>家</small>") == 1, number
        assert html.count(f'<td class="n">{number}家</td>') == 1, number
    assert "核对" not in html and " + " not in html


def test_the_academies_page_shows_the_types_and_the_total_as_a_table_the_fields_and_the_named_academies(client):
    html = client.get("/academies/").content.decode()
    assert '<th scope="row">职业院校</th><td class="n">19家</td>' in html
    assert '<th scope="row">合计</th><td class="n">30家</td>' in html
    assert "核对" not in html and "19 + 9" not in html
    for field in ["新能源", "现代乳业", "绿色算力", "绿电铝", "人工智能"]:
        assert field in html
    assert "包头职业技术学院" in html
    assert "内蒙古绿色算力(人工智能)工匠学院" in html


def test_the_craftsmen_page_draws_the_ladder_and_baotous_counts(client):
    html = client.get("/craftsmen/").content.decode()
    assert '<svg viewBox="0 0 320' in html
    for tier in ["大国工匠", "北疆工匠", "企业工匠", "北疆工匠培育对象"]:
        assert tier in html
    for count in ["167人", "24位", "20人"]:
        assert count in html
    assert "高凤林" in html


def test_the_source_page_lists_the_records_citing_each_paragraph(client):
    html = client.get("/sources/jiangxin-zhu-beijiang/").content.decode()
    assert 'id="p12"' in html
    assert "/exhibits/jixieshi-zisuo-fang-tuoluo-qianyin-suozhi-zhuangzhi/" in html


@pytest.mark.parametrize(
    ("path", "name", "says_what"),
    [
        ("/", "北疆工匠网", "内蒙古总工会的工匠与职工创新工作"),
        ("/en/", "Northern Frontier Craftsmen", "Craftsmen and workers' innovation in the Inner Mongolia Federation"),
    ],
)
def test_the_home_page_says_what_the_portal_is_and_lists_its_sections_before_the_figures(client, path, name, says_what):
    html = client.get(path).content.decode()
    assert f'<meta property="og:site_name" content="{name}">' in html
    assert re.search(rf"<title>[^<]*· {name}</title>", html)
    h1 = re.search(r"<h1>(.*?)</h1>", html).group(1)
    assert says_what in h1.replace("&#x27;", "'")
    sections = html.index('id="sections-heading"')
    prefix = path.rstrip("/")
    sections_in_order = ["exhibits", "craftsmen", "academies", "pilot-units", "events", "organisations"]
    for section in [*sections_in_order, "sources", "figures", "data"]:
        assert html.find(f'href="{prefix}/{section}/"', sections) > sections, section
    assert sections < html.index('id="figures-heading"')
