"""Downloads of every list: CSV (UTF-8 with BOM) and Excel, streamed, of
exactly what the page's filters show (all pages), Chinese headers (English
under /en/), citations as a column, a file name saying what and when; and
the page cache never buffering them."""

import csv
import io
import re
import zipfile
from urllib.parse import unquote
from xml.etree import ElementTree

import pytest
from django.core.cache import caches
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from tests import factories as make

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_NS = {"s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def body(response) -> bytes:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[list[str]]:
    data = body(response)
    assert data.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM for Excel"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list[str]]:
    """The first sheet's cells as text (shared or inline strings, numbers)."""
    archive = zipfile.ZipFile(io.BytesIO(body(response)))
    shared = []
    if "xl/sharedStrings.xml" in archive.namelist():
        root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
        shared = ["".join(t.text or "" for t in si.iter(f"{{{SHEET_NS['s']}}}t")) for si in root]
    sheet = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iterfind(".//s:sheetData/s:row", SHEET_NS):
        cells = []
        for cell in row.iterfind("s:c", SHEET_NS):
            column = re.match(r"[A-Z]+", cell.get("r")).group()
            index = sum((ord(ch) - 64) * 26**i for i, ch in enumerate(reversed(column))) - 1
            cells.extend([""] * (index - len(cells)))
            kind = cell.get("t")
            if kind == "s":
                cells.append(shared[int(cell.find("s:v", SHEET_NS).text)])
            elif kind == "inlineStr":
                cells.append("".join(t.text or "" for t in cell.iter(f"{{{SHEET_NS['s']}}}t")))
            else:
                value = cell.find("s:v", SHEET_NS)
                cells.append("" if value is None else value.text)
        rows.append(cells)
    return rows


def file_name(response) -> str:
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    match = re.search(r"filename\*=utf-8''(\S+)", disposition)
    return unquote(match.group(1)) if match else re.search(r'filename="([^"]+)"', disposition).group(1)


def column(rows: list[list[str]], header: str) -> list[str]:
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


def listed_on_page(client, url: str) -> list[str]:
    """Exhibit names on every page of a list."""
    names, page = [], 1
    while True:
        html = client.get(f"{url}&page={page}").content.decode()
        names += re.findall(r'<h3 class="card-title"><a href="/(?:en/)?exhibits/[^"]+/">([^<]+)', html)
        if 'rel="next"' not in html:
            return names
        page += 1


@pytest.fixture
def exhibits():
    """25 rare-earth exhibits (more than one page) and 3 others."""
    source = make.report()
    show = make.exhibition(source)
    rare_earth = make.sector(source, slug="xitu", name="稀土", name_en="Rare earth")
    other = make.sector(source, slug="dianli", name="电力")
    maker = make.person(source, name="李冬凉", name_en="Li Dongliang", tier=make.tier(source, name="北疆工匠"))
    made = [
        make.cite(
            make.exhibit(
                source,
                exhibition=show,
                name=f"稀土永磁电机{n:02d}号",
                name_en=f"Rare-earth permanent-magnet motor {n:02d}",
                sectors=[rare_earth],
                makers=[maker],
                organisation=make.organisation(source, name="包头钢铁（集团）有限责任公司"),
            ),
            source,
            paragraph=17,
            excerpt="围绕稀土产业链打造了特色展示区",
        )
        for n in range(25)
    ]
    for n in range(3):
        make.exhibit(source, exhibition=show, name=f"电网巡检机器人{n}", sectors=[other])
    make.exhibit(source, exhibition=show, name="未公开稀土展品", sectors=[rare_earth], is_published=False)
    return made


def test_the_csv_holds_exactly_what_the_filtered_list_shows_across_all_pages(client, exhibits):
    shown = listed_on_page(client, "/exhibits/?sector=xitu&sort=name")
    assert len(shown) == 25

    rows = csv_rows(client.get("/exhibits/export.csv?sector=xitu&sort=name&page=2"))

    assert column(rows, "名称") == shown
    assert "未公开稀土展品" not in str(rows)
    assert "电网巡检机器人0" not in str(rows)


def test_the_csv_keeps_chinese_text_and_has_a_citations_column(client, exhibits):
    rows = csv_rows(client.get("/exhibits/export.csv?sector=xitu&sort=name"))

    assert rows[0][:3] == ["标识", "名称", "英文名称"]
    assert "出处" in rows[0]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["名称"] == "稀土永磁电机00号"
    assert first["领域"] == "稀土"
    assert first["研发者"] == "李冬凉"
    assert first["研发者梯队"] == "北疆工匠"
    assert first["单位"] == "包头钢铁（集团）有限责任公司"
    assert "第17段「围绕稀土产业链打造了特色展示区」" in first["出处"]
    assert first["网址"] == f"http://testserver/exhibits/{exhibits[0].slug}/"


def test_the_english_csv_has_english_headers_and_english_urls(client, exhibits):
    rows = csv_rows(client.get("/en/exhibits/export.csv?sector=xitu&sort=name"))

    assert rows[0][:3] == ["ID", "Name", "English name"]
    assert "Sources" in rows[0]
    assert column(rows, "Name")[0] == "稀土永磁电机00号"
    assert column(rows, "English name")[0] == "Rare-earth permanent-magnet motor 00"
    assert column(rows, "Sector")[0] == "Rare earth"
    assert column(rows, "URL")[0] == f"http://testserver/en/exhibits/{exhibits[0].slug}/"
    assert "para. 17" in column(rows, "Sources")[0]


def test_the_file_name_says_what_which_filters_and_when(client, exhibits):
    chinese = file_name(client.get("/exhibits/export.csv?sector=xitu"))
    english = file_name(client.get("/en/exhibits/export.xlsx?sector=xitu"))

    assert re.fullmatch(r"北疆工匠-展品-sector-xitu-\d{8}-\d{4}\.csv", chinese)
    assert re.fullmatch(r"beijiang-gongjiang-exhibits-sector-xitu-\d{8}-\d{4}\.xlsx", english)


def test_the_xlsx_holds_the_same_rows_as_the_csv(client, exhibits):
    response = client.get("/exhibits/export.xlsx?sector=xitu")

    assert response["Content-Type"] == XLSX
    assert xlsx_rows(response) == csv_rows(client.get("/exhibits/export.csv?sector=xitu"))


def test_exports_are_streamed(client, exhibits):
    for url in ["/exhibits/export.csv", "/exhibits/export.xlsx", "/search/export.csv?q=稀土"]:
        response = client.get(url)
        assert response.streaming, url
        body(response)


def test_an_unknown_format_is_404(client):
    assert client.get("/exhibits/export.pdf").status_code == 404
    assert client.get("/academies/export.json").status_code == 404


def test_a_formula_like_cell_is_defused_in_csv(client):
    source = make.report()
    make.exhibit(source, exhibition=make.exhibition(source), name='=HYPERLINK("http://x")')
    assert column(csv_rows(client.get("/exhibits/export.csv")), "名称") == ['\'=HYPERLINK("http://x")']


@pytest.mark.parametrize(
    ("url", "build", "header", "expected"),
    [
        ("/craftsmen/export", lambda s: make.person(s, name="高凤林"), "名称", "高凤林"),
        ("/academies/export", lambda s: make.academy(s, name="包头职院工匠学院"), "名称", "包头职院工匠学院"),
        ("/events/export", lambda s: make.event(s, name="集中推进行动"), "名称", "集中推进行动"),
        ("/organisations/export", lambda s: make.organisation(s, name="内蒙古总工会"), "名称", "内蒙古总工会"),
        (
            "/pilot-units/export",
            lambda s: make.pilot_category(s, batch=make.pilot_batch(s, name="第一批"), name="综合示范点"),
            "名称",
            "综合示范点",
        ),
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_each_list_exports_its_records_with_citations(client, url, build, header, expected, fmt):
    source = make.report()
    build(source)
    response = client.get(f"{url}.{fmt}")
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)

    assert expected in column(rows, header)
    # A report is named by its title in the readable column, never its file.
    assert all(cell.startswith(f"《{source.title}》第1段") for cell in column(rows, "出处"))
    assert file_name(response).endswith(f".{fmt}")


def test_list_pages_link_to_their_downloads_with_the_current_filters(client, exhibits):
    html = client.get("/exhibits/?sector=xitu&page=2").content.decode()
    assert 'href="/exhibits/export.csv?sector=xitu"' in html
    assert 'href="/exhibits/export.xlsx?sector=xitu"' in html
    for page, url in [
        ("/craftsmen/", "/craftsmen/export.csv"),
        ("/academies/", "/academies/export.csv"),
        ("/events/", "/events/export.csv"),
        ("/pilot-units/", "/pilot-units/export.csv"),
        ("/en/events/", "/en/events/export.xlsx"),
    ]:
        assert f'href="{url}"' in client.get(page).content.decode(), page


def test_search_results_export_what_the_query_and_type_find(client):
    source = make.report()
    show = make.exhibition(source)
    make.exhibit(source, exhibition=show, name="稀土永磁电机")
    make.person(source, name="稀土研究员")
    make.exhibit(source, exhibition=show, name="电网巡检机器人")

    everything = csv_rows(client.get("/search/export.csv?q=稀土"))
    exhibits_only = csv_rows(client.get("/search/export.csv?q=稀土&type=exhibit"))

    assert sorted(column(everything, "名称")) == ["稀土永磁电机", "稀土研究员"]
    assert column(exhibits_only, "名称") == ["稀土永磁电机"]
    assert column(exhibits_only, "出处") == [f"《{source.title}》第1段「原文摘录」"]
    assert 'href="/search/export.csv?q=%E7%A8%80%E5%9C%9F"' in client.get("/search/?q=稀土").content.decode()


def test_a_nul_in_the_search_export_query_is_400(client):
    assert client.get("/search/export.csv?q=%00").status_code == 400


def test_the_page_cache_never_stores_an_export_but_a_repeat_download_is_a_304(client, exhibits):
    first = client.get("/exhibits/export.csv")
    first_rows = csv_rows(first)
    assert first["X-Page-Cache"] == "bypass"
    assert "ETag" in first
    assert not [key for key in caches["default"]._cache if "page:" in key]

    again = client.get("/exhibits/export.csv")
    assert csv_rows(again) == first_rows
    assert client.get("/exhibits/export.csv", headers={"If-None-Match": first["ETag"]}).status_code == 304

    exhibits[0].name = "稀土永磁电机（改进型）"
    exhibits[0].save()
    fresh = client.get("/exhibits/export.csv", headers={"If-None-Match": first["ETag"]})
    assert fresh.status_code == 200
    assert "稀土永磁电机（改进型）" in column(csv_rows(fresh), "名称")


def export_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        body(response)
    return len(captured)


def test_an_exhibit_export_runs_the_same_queries_at_5_and_at_20_rows(client):
    source = make.report()
    show = make.exhibition(source)
    rung = make.tier(source)

    def grow(n):
        for _ in range(n):
            make.exhibit(
                source,
                exhibition=show,
                kind=make.kind(source),
                sectors=[make.sector(source)],
                makers=[make.person(source, tier=rung)],
            )

    grow(5)
    at_five = export_queries(client, "/exhibits/export.csv?sort=name")
    grow(15)
    at_twenty = export_queries(client, "/exhibits/export.csv?sort=name")
    # content version, exhibits, sectors, makers, citations
    assert (at_five, at_twenty) == (5, 5)


# A filtered export is streamed and bounded: past the row limit it ends with
# a row saying it was cut there, pointing to the full download.


def test_a_filtered_export_past_the_row_limit_ends_with_a_note_pointing_to_the_full_download(
    client, exhibits, settings
):
    settings.DOWNLOADS_FILTERED_ROW_LIMIT = 10
    rows = csv_rows(client.get("/exhibits/export.csv?sector=xitu&sort=name"))

    assert len(rows) == 1 + 10 + 1
    assert column(rows, "名称")[:10] == [f"稀土永磁电机{n:02d}号" for n in range(10)]
    note = rows[-1][0]
    assert "前 10 行" in note
    assert "http://testserver/exhibits/export.csv" in note
    assert rows[-1][1:] == [""] * (len(rows[0]) - 1)


def test_the_note_is_in_the_page_language_and_in_excel_too(client, exhibits, settings):
    settings.DOWNLOADS_FILTERED_ROW_LIMIT = 10
    rows = xlsx_rows(client.get("/en/exhibits/export.xlsx?sector=xitu"))

    assert len(rows) == 12
    assert rows[-1][0] == (
        "(This file was cut at 10 rows. The full download: http://testserver/en/exhibits/export.xlsx)"
    )


def test_a_filtered_export_within_the_limit_has_no_note(client, exhibits, settings):
    settings.DOWNLOADS_FILTERED_ROW_LIMIT = 25
    rows = csv_rows(client.get("/exhibits/export.csv?sector=xitu"))

    assert len(rows) == 26
    assert not any("截断" in row[0] for row in rows)


def test_a_search_export_is_bounded_and_points_to_the_data_page(client, exhibits, settings):
    settings.DOWNLOADS_FILTERED_ROW_LIMIT = 4
    rows = csv_rows(client.get("/search/export.csv?q=稀土"))

    assert len(rows) == 1 + 4 + 1
    assert "http://testserver/data/" in rows[-1][0]


def test_a_filtered_export_reads_no_more_than_one_row_past_the_limit(client, exhibits, settings):
    settings.DOWNLOADS_FILTERED_ROW_LIMIT = 3
    with CaptureQueriesContext(connection) as captured:
        body(client.get("/exhibits/export.csv?sector=xitu"))

    # The prefetches name the exhibits read (the main query may run in a
    # server-side cursor, which the capture does not show).
    read = [re.search(r'"exhibit_id" IN \(([^)]*)\)', q["sql"]) for q in captured]
    assert {len(match.group(1).split(",")) for match in read if match} == {4}


def test_a_list_without_filters_is_the_stored_full_download_not_a_stream_of_the_query(client, exhibits):
    response = client.get("/exhibits/export.csv?page=3")

    assert response["Accept-Ranges"] == "bytes"
    assert len(csv_rows(response)) == 1 + 28
