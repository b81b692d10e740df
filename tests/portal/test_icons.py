"""The favicon and the touch icon: drawn by portal/icons.py, served as static
files, linked from every page, and /favicon.ico answers."""

import re
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from portal import icons

CSS = Path(settings.BASE_DIR) / "static" / "css" / "portal.css"


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the RGB rows of an unfiltered 8-bit RGB PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks = 8, {}
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length : position + 12 + length])
        assert crc == zlib.crc32(kind + body), kind
        chunks[kind] = chunks.get(kind, b"") + body
        position += 12 + length
    width, height, depth, colour_type = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour_type) == (8, 2)
    raw = zlib.decompress(chunks[b"IDAT"])
    stride = 1 + width * 3
    rows = [raw[i * stride + 1 : (i + 1) * stride] for i in range(height)]
    return width, height, rows


def test_the_committed_icons_are_the_ones_the_module_draws():
    assert (icons.STATIC_IMG / "favicon.svg").read_text(encoding="utf-8") == icons.favicon_svg()
    assert (icons.STATIC_IMG / "apple-touch-icon.png").read_bytes() == icons.touch_icon_png()
    for size in icons.MANIFEST_ICON_SIZES:
        assert (icons.STATIC_IMG / icons.manifest_icon_name(size)).read_bytes() == icons.touch_icon_png(size)


@pytest.mark.parametrize("size", [192, 512])
def test_the_manifest_icons_are_opaque_squares_of_their_size_with_the_same_mark(size):
    width, height, rows = decode_png(icons.touch_icon_png(size))

    assert (width, height) == (size, size)
    pixels = {bytes(row[i : i + 3]) for row in rows for i in range(0, len(row), 3)}
    assert pixels == {bytes(icons.RED), bytes(icons.WHITE)}
    # The top stroke of 匚 (7 to 10 of 32 units down) crosses the middle column.
    middle = size // 2 * 3
    assert rows[size * 8 // 32][middle : middle + 3] == bytes(icons.WHITE)
    assert rows[size * 4 // 32][middle : middle + 3] == bytes(icons.RED)


def test_the_touch_icon_is_an_opaque_180_pixel_square_in_the_union_red_with_a_white_mark():
    width, height, rows = decode_png(icons.touch_icon_png())

    assert (width, height) == (180, 180)
    pixels = {bytes(row[i : i + 3]) for row in rows for i in range(0, len(row), 3)}
    assert pixels == {bytes(icons.RED), bytes(icons.WHITE)}
    assert rows[0][:3] == bytes(icons.RED)


def test_the_icons_use_the_stylesheets_accent_colour():
    accent = re.search(r"--accent:\s*(#[0-9a-f]{6})", CSS.read_text(encoding="utf-8")).group(1)
    assert f'fill="{accent}"' in icons.favicon_svg()
    assert "#{:02x}{:02x}{:02x}".format(*icons.RED) == accent


@pytest.mark.parametrize(
    "name", ["img/favicon.svg", "img/apple-touch-icon.png", "img/icon-192.png", "img/icon-512.png"]
)
def test_the_icons_are_static_files(name):
    assert finders.find(name)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/en/", "/organisations/"])
def test_every_page_links_the_favicon_and_the_touch_icon(client, path):
    html = client.get(path).content.decode()

    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="apple-touch-icon" href="/static/img/apple-touch-icon.png">' in html


@pytest.mark.django_db
def test_favicon_ico_redirects_to_the_icon_and_may_be_cached_for_a_day(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.svg"
    assert response["Cache-Control"] == "public, max-age=86400"
