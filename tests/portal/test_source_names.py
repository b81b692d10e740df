"""No reader sees a report's file name or number: a report is named by its
title (and date, publisher as printed), on every page a visitor can reach,
in the cite-this-record text, in search results, on printed labels and in
the readable columns of the exports. File names stay in the admin and in the
technical columns of the data downloads."""

import csv
import io
import re
from urllib.parse import urlsplit

import pytest

from tests.page_checks import offending
from tests.public_urls import ENGLISH_PATHS, PUBLIC_PATHS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("portal_data")]

# Columns that are technical by design: the reports dataset's file_name.
TECHNICAL_COLUMNS = {"file_name", "文件名"}

SEARCHES = ["稀土", "王瑞波", "report", "报道", "Craftsmanship"]

EXPORTS = ["/exhibits/export.csv", "/craftsmen/export.csv", "/organisations/export.csv", "/search/export.csv?q=稀土"]


def page_text(client, path: str) -> str:
    response = client.get(path, follow=True)
    assert response.status_code == 200, path
    return response.content.decode()


def every_record_page(client) -> list[str]:
    """Every page the sitemaps list, in both languages, so record texts are
    walked too, not only the pages tests/public_urls.py names."""
    paths, sitemaps, seen = set(), ["/sitemap.xml"], set()
    while sitemaps:
        sitemap = sitemaps.pop()
        seen.add(sitemap)
        for url in re.findall(r'(?:<loc>|href=")([^<"]+)', page_text(client, sitemap)):
            path = urlsplit(url).path + (f"?{urlsplit(url).query}" if urlsplit(url).query else "")
            if "sitemap" in path:
                sitemaps += [] if path in seen else [path]
            else:
                paths.add(path)
    return sorted(paths)


def test_no_record_page_or_search_result_names_a_report_by_its_file_name_or_number(client):
    # tests/test_public_urls.py checks the pages tests/public_urls.py names.
    paths = sorted(set(every_record_page(client)) - set(PUBLIC_PATHS + ENGLISH_PATHS))
    paths += [f"{prefix}/search/?q={q}" for q in SEARCHES for prefix in ("", "/en")]
    found = {path: offending(page_text(client, path)) for path in paths}
    assert {path: hits for path, hits in found.items() if hits} == {}


@pytest.mark.parametrize("path", EXPORTS)
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_no_readable_export_column_names_a_report_by_its_file_name_or_number(client, path, prefix):
    response = client.get(prefix + path)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows, path
    cells = [f"{column}: {value}" for row in rows for column, value in row.items() if column not in TECHNICAL_COLUMNS]
    assert offending("\n".join(cells)) == []


def test_the_cite_this_record_text_names_the_report_by_title_date_and_paragraph(client):
    chinese = page_text(client, "/exhibits/jixieshi-zisuo-fang-tuoluo-qianyin-suozhi-zhuangzhi/")
    english = page_text(client, "/en/exhibits/jixieshi-zisuo-fang-tuoluo-qianyin-suozhi-zhuangzhi/")
    cite_zh = chinese[chinese.index('class="cite-this"') :].split("</details>")[0]
    cite_en = english[english.index('class="cite-this"') :].split("</details>")[0]
    assert "《匠心铸北疆 创新向未来》" in cite_zh and "[EB/OL]" in cite_zh and "2025" in cite_zh
    assert re.search(r"第[\d、]+段", cite_zh) and "http" in cite_zh and re.search(r"\[\d{4}-\d\d-\d\d\]", cite_zh)
    assert "“Craftsmanship for the Northern Frontier" in cite_en and re.search(r"paras?\. ", cite_en)
    assert "accessed" in cite_en and "http" in cite_en
    assert offending(cite_zh + cite_en) == []


SOURCE_PAGE = "/sources/helingeer-chuangxin-tuijin-xingdong/"


def test_the_source_page_shows_each_cited_paragraph_under_its_anchor_with_its_text(client):
    html = page_text(client, SOURCE_PAGE)
    paragraph = html[html.index('id="p1"') : html.index('id="p2"')]
    assert "以职工创新赋能科技突围工程" in paragraph  # the paragraph's own text, from REPORTS_DIR
    assert "本站此处未存报道全文" not in html


def test_without_the_report_text_the_source_page_shows_the_excerpts_and_says_so_once(client, settings, tmp_path):
    settings.REPORTS_DIR = str(tmp_path)
    html = page_text(client, SOURCE_PAGE)
    assert html.count("本站此处未存报道全文") == 1
    assert 'id="p12"' in html and "<q lang" in html


def test_the_source_page_lists_the_reports_credits_as_printed(client):
    html = re.sub(r"<[^>]+>", "", page_text(client, SOURCE_PAGE))
    assert "文字：王瑞波、张旭" in html and "摄影：霍日查" in html
    assert "责任编辑：刘旭亮" in html and "审稿：王瑞波" in html and "终审：宇文韬" in html
    assert "编辑：内蒙古自治区工会传媒中心新媒体编辑部" in html
    # The editorial department is the only issuing body printed: listed
    # among the credits, it is not shown again as the publisher.
    assert "发布者" not in html
    english = re.sub(r"<[^>]+>", "", page_text(client, "/en" + SOURCE_PAGE))
    assert "Responsible editor: Liu Xuliang" in english


def test_the_credits_come_from_the_data_without_the_report_text(client, settings, tmp_path):
    settings.REPORTS_DIR = str(tmp_path)
    html = re.sub(r"<[^>]+>", "", page_text(client, SOURCE_PAGE))
    assert "文字：王瑞波、张旭" in html and "终审：宇文韬" in html


def test_with_the_text_shown_a_record_is_listed_once_under_a_paragraph(client):
    html = page_text(client, "/sources/jiangxin-zhu-beijiang/")
    paragraph = html[html.index('id="p12"') : html.index('id="p13"')]
    assert paragraph.count('href="/exhibits/jixieshi-zisuo-fang-tuoluo-qianyin-suozhi-zhuangzhi/"') == 1


def test_the_sources_page_lists_the_reports_in_their_order_with_year_and_publisher(client):
    html = re.sub(r"<[^>]+>", "", page_text(client, "/sources/"))
    assert html.index("匠心铸北疆 创新向未来") < html.index("全区工会助力科技突围工程")
    assert "2025年（年份为推断）" in html and "内蒙古自治区工会传媒中心新媒体编辑部" in html
