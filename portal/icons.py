"""The portal's icons, drawn once here: an SVG favicon, a PNG touch icon
(touch icons must be bitmaps) and the web app manifest's 192 and 512 pixel
PNG icons. All are committed under static/img/; a test checks that they are
what this module draws, so change the drawing here and run
`python -m portal.icons` to write them again.

The mark is the union red of the stylesheet (--accent) with 匠 drawn in white
rectangles (匚 around a squared 斤): readable at 16 px, no font needed."""

import struct
import sys
import zlib
from pathlib import Path

RED = (0xA3, 0x19, 0x1F)
WHITE = (0xFF, 0xFF, 0xFF)
GRID = 32
# (x, y, width, height) on a 32-unit grid.
STROKES = [
    (7, 7, 18, 3),  # 匚: top
    (7, 7, 3, 18),  # 匚: left
    (7, 22, 19, 3),  # 匚: bottom
    (13, 11, 9, 2),  # 斤: top
    (13, 11, 2, 11),  # 斤: left
    (13, 15, 10, 2),  # 斤: across
    (18, 15, 2, 7),  # 斤: down
]
STATIC_IMG = Path(__file__).resolve().parent.parent / "static" / "img"
TOUCH_ICON_SIZE = 180
# The sizes a web app manifest asks for (shell.views.web_manifest).
MANIFEST_ICON_SIZES = (192, 512)


def manifest_icon_name(size: int) -> str:
    return f"icon-{size}.png"


def favicon_svg() -> str:
    colour = "#{:02x}{:02x}{:02x}".format(*RED)
    rects = "".join(f'<rect x="{x}" y="{y}" width="{w}" height="{h}"/>' for x, y, w, h in STROKES)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {GRID} {GRID}">'
        f'<rect width="{GRID}" height="{GRID}" rx="6" fill="{colour}"/>'
        f'<g fill="#fff">{rects}</g></svg>\n'
    )


def touch_icon_png(size: int = TOUCH_ICON_SIZE) -> bytes:
    """A square, opaque RGB PNG (the system rounds the corners itself)."""
    scale = size / GRID
    centres = [(column + 0.5) / scale for column in range(size)]
    # Rows crossing the same strokes are the same row: drawn once each.
    lines: dict[tuple, bytes] = {}
    rows = []
    for row in range(size):
        cy = (row + 0.5) / scale
        crossing = tuple(stroke for stroke in STROKES if stroke[1] <= cy < stroke[1] + stroke[3])
        if crossing not in lines:
            line = bytearray()
            for cx in centres:
                inside = any(x <= cx < x + w for x, _, w, _ in crossing)
                line.extend(WHITE if inside else RED)
            lines[crossing] = b"\x00" + bytes(line)  # filter type 0 for each row
        rows.append(lines[crossing])

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def write(directory: Path = STATIC_IMG) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "favicon.svg").write_text(favicon_svg(), encoding="utf-8")
    (directory / "apple-touch-icon.png").write_bytes(touch_icon_png())
    for size in MANIFEST_ICON_SIZES:
        (directory / manifest_icon_name(size)).write_bytes(touch_icon_png(size))


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else STATIC_IMG)
