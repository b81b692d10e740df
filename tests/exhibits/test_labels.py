"""Printable exhibit labels: the QR code on the page decodes (with zxing-cpp)
to the exhibit's absolute URL; A6 and A4-with-four layouts; a stand's set."""

import re

import pytest
import zxingcpp

from exhibits.labels import qr_svg
from tests import factories as make

pytestmark = pytest.mark.django_db

MODULE_PIXELS = 6


def rasterise(svg: str) -> memoryview:
    """Draw segno's SVG (one path of horizontal strokes, one unit per module:
    `M4 4.5h7m4 0h1m-29 1h1…`) as a grayscale bitmap zxing-cpp can read."""
    width, height = (int(n) for n in re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).groups())
    path = re.search(r'<path[^>]* d="([^"]+)"', svg).group(1)
    pixels = bytearray(b"\xff" * (width * height * MODULE_PIXELS * MODULE_PIXELS))
    row_length = width * MODULE_PIXELS
    x = y = 0.0
    for command, numbers in re.findall(r"([MmHhVv])([-\d. ]+)", path):
        values = [float(n) for n in numbers.split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        elif command == "h":
            start, x = x, x + values[0]
            row = int(y)  # a stroke of width 1 centred on y + 0.5
            for py in range(row * MODULE_PIXELS, (row + 1) * MODULE_PIXELS):
                offset = py * row_length
                pixels[offset + int(start * MODULE_PIXELS) : offset + int(x * MODULE_PIXELS)] = b"\x00" * int(
                    (x - start) * MODULE_PIXELS
                )
        else:
            raise AssertionError(f"unexpected path command {command}")
    return memoryview(pixels).cast("B", (height * MODULE_PIXELS, width * MODULE_PIXELS))


def decode(svg: str) -> str:
    found = zxingcpp.read_barcodes(rasterise(svg))
    assert len(found) == 1, "no single QR code found"
    return found[0].text


def qr_codes(html: str) -> list[str]:
    return re.findall(r"<svg[^>]*class=\"qr\".*?</svg>", html, flags=re.S)


def test_the_decoder_reads_a_known_code():
    assert decode(str(qr_svg("https://example.org/exhibits/a/"))) == "https://example.org/exhibits/a/"


@pytest.fixture
def exhibit():
    source = make.report()
    area = make.area(source, exhibition=make.exhibition(source))
    return make.exhibit(
        source,
        exhibition=area.exhibition,
        area=area,
        name="机械式自锁防脱落牵引锁止装置",
        name_en="Mechanical self-locking traction lock",
        description="为机场拖拽设备设计的牵引锁止装置。" * 8,
        description_en="A traction lock for airport towing equipment. " * 8,
        organisation=make.organisation(source, name="巴彦淖尔供电公司"),
        makers=[make.person(source, name="李冬凉", name_en="Li Dongliang")],
    )


def test_the_label_qr_code_decodes_to_the_exhibits_absolute_url(client, exhibit):
    html = client.get(f"/exhibits/{exhibit.slug}/label/").content.decode()

    codes = qr_codes(html)
    assert len(codes) == 1
    assert decode(codes[0]) == f"http://testserver/exhibits/{exhibit.slug}/"


def test_the_english_label_points_at_the_english_page(client, exhibit):
    html = client.get(f"/en/exhibits/{exhibit.slug}/label/").content.decode()

    assert decode(qr_codes(html)[0]) == f"http://testserver/en/exhibits/{exhibit.slug}/"
    assert "Mechanical self-locking traction lock" in html
    assert "Li Dongliang" in html


def test_the_label_shows_both_names_maker_organisation_exhibition_and_area_and_the_portal(client, exhibit):
    html = client.get(f"/exhibits/{exhibit.slug}/label/").content.decode()
    label = html[html.index('<article class="label">') : html.index("</article>")]

    assert '<h2 class="label-name">机械式自锁防脱落牵引锁止装置</h2>' in label
    assert '<p class="label-alt" lang="en">Mechanical self-locking traction lock</p>' in label
    assert "李冬凉" in label
    assert "巴彦淖尔供电公司" in label
    assert f"{exhibit.exhibition.name} · {exhibit.area.name}" in label
    assert "北疆工匠网" in label


def test_the_label_leaves_out_the_description_its_research_notes_and_anything_cut_short(client):
    source = make.report()
    area = make.area(source, exhibition=make.exhibition(source))
    exhibit = make.exhibit(
        source,
        exhibition=area.exhibition,
        area=area,
        name="稀土永磁电机",
        description="使用稀土永磁材料的电机。报告未写明研发者和单位。",
    )

    label = client.get(f"/exhibits/{exhibit.slug}/label/").content.decode()
    label = label[label.index('<article class="label">') : label.index("</article>")]

    assert "报告未写明" not in label and "使用稀土永磁材料" not in label
    assert "…" not in label
    assert "研发者" not in label and "单位" not in label


def test_a4_puts_four_labels_on_one_sheet_and_a6_one(client, exhibit):
    a6 = client.get(f"/exhibits/{exhibit.slug}/label/").content.decode()
    a4 = client.get(f"/exhibits/{exhibit.slug}/label/?layout=a4").content.decode()

    assert a6.count('class="sheet sheet-a6"') == 1
    assert a6.count('<article class="label">') == 1
    assert a4.count('class="sheet sheet-a4"') == 1
    assert a4.count('<article class="label">') == 4
    assert all(decode(code) == f"http://testserver/exhibits/{exhibit.slug}/" for code in qr_codes(a4))


def test_an_unknown_layout_falls_back_to_a6(client, exhibit):
    html = client.get(f"/exhibits/{exhibit.slug}/label/?layout=letter").content.decode()
    assert 'class="sheet sheet-a6"' in html


def test_the_print_button_uses_a_static_script_not_inline_code(client, exhibit):
    html = client.get(f"/exhibits/{exhibit.slug}/label/").content.decode()

    assert "data-print" in html
    assert "/static/js/print.js" in html
    assert "onclick" not in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert all("src=" in attributes and not body.strip() for attributes, body in scripts if "ld+json" not in attributes)
    assert "/static/css/labels.css" in html


def test_an_areas_label_page_prints_every_published_exhibit_of_that_area_four_to_a_sheet(client, exhibit):
    source = make.report()
    others = [make.exhibit(source, exhibition=exhibit.exhibition, area=exhibit.area) for _ in range(4)]
    make.exhibit(source, exhibition=exhibit.exhibition, area=exhibit.area, is_published=False, name="未公开展品")
    make.exhibit(source, exhibition=exhibit.exhibition, name="别处展品")

    html = client.get(f"/exhibits/areas/{exhibit.area.slug}/labels/?layout=a4").content.decode()

    assert html.count('<article class="label">') == 5
    assert html.count('class="sheet sheet-a4"') == 2
    assert "未公开展品" not in html
    assert "别处展品" not in html
    urls = sorted(decode(code) for code in qr_codes(html))
    assert urls == sorted(f"http://testserver/exhibits/{e.slug}/" for e in [exhibit, *others])


def test_labels_of_unknown_or_unpublished_records_are_404(client, exhibit):
    hidden = make.exhibit(make.report(), exhibition=exhibit.exhibition, is_published=False)
    assert client.get("/exhibits/no-such-exhibit/label/").status_code == 404
    assert client.get(f"/exhibits/{hidden.slug}/label/").status_code == 404
    assert client.get("/exhibits/areas/no-such-area/labels/").status_code == 404


def test_the_exhibit_page_links_to_its_label_and_its_areas_labels(client, exhibit):
    html = client.get(f"/exhibits/{exhibit.slug}/").content.decode()
    assert f'href="/exhibits/{exhibit.slug}/label/"' in html
    assert f'href="/exhibits/areas/{exhibit.area.slug}/labels/"' in html
