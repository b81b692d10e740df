"""Data for the server-drawn bar charts: one inline SVG bar per row,
labelled with its number, and the same rows as a table."""

from dataclasses import dataclass

from portal.models import english_requested
from portal.units import english_unit


@dataclass
class Bar:
    label: str
    value: int
    unit: str
    width_percent: float
    url: str | None = None
    anchor: str = ""
    # The group a row belongs to (a pilot batch), and the group's id.
    group: str = ""
    group_anchor: str = ""


@dataclass
class BarGroup:
    name: str
    anchor: str
    bars: list[Bar]


@dataclass
class BarChart:
    title: str
    bars: list[Bar]
    # The total the report gives for these parts, shown as the table's last
    # row (the parts are checked against it in the tests, not on the page).
    total: int | None = None
    total_unit: str = ""
    group_heading: str = ""
    label_heading: str = ""

    @property
    def grouped(self) -> bool:
        return any(bar.group for bar in self.bars)

    @property
    def sections(self) -> list[BarGroup]:
        """The rows in runs of one group each (one run when ungrouped)."""
        sections: list[BarGroup] = []
        for bar in self.bars:
            if not sections or sections[-1].anchor != bar.group_anchor or sections[-1].name != bar.group:
                sections.append(BarGroup(bar.group, bar.group_anchor, []))
            sections[-1].bars.append(bar)
        return sections


def bar_chart(
    title: str,
    rows: list[tuple[str, int, str, str | None]],
    *,
    anchors: list[str] | None = None,
    groups: list[tuple[str, str]] | None = None,
    group_heading: str = "",
    label_heading: str = "",
    total: int | None = None,
    total_unit: str = "",
) -> BarChart:
    """rows: (label, value, unit, url). Bars scale to the largest value; a
    bar never shrinks below a sliver, so a count of 1 still shows. anchors:
    an id for each row's table row; groups: (name, id) of each row's group,
    consecutive rows of one group sharing one cell."""
    largest = max((value for _, value, _, _ in rows), default=0) or 1
    if english_requested():
        rows = [(label, value, english_unit(unit), url) for label, value, unit, url in rows]
    bars = [Bar(label, value, unit, round(max(value / largest * 100, 1.5), 2), url) for label, value, unit, url in rows]
    for bar, anchor in zip(bars, anchors or [], strict=False):
        bar.anchor = anchor
    for bar, (name, anchor) in zip(bars, groups or [], strict=False):
        bar.group, bar.group_anchor = name, anchor
    return BarChart(title, bars, total, total_unit, group_heading, label_heading)


@dataclass
class Rung:
    label: str
    role: str
    x: float
    y: int
    width: float
    text_y: int
    rank: int
    text_length: float | None = None


LADDER_WIDTH = 320
RUNG_HEIGHT = 44
RUNG_FONT_SIZE = 15  # static/css/portal.css .rung-text, in the picture's units


def _text_width(text: str) -> float:
    """A generous estimate of the text's width at the rung's font: a Han
    character is a full em, a Latin one about 0.56 em."""
    return sum(RUNG_FONT_SIZE if ord(char) > 0x2E7F else RUNG_FONT_SIZE * 0.56 for char in text)


def _rung_text(label: str, role: str, width: float) -> tuple[str, str, float | None]:
    """What fits on a rung. English names are long: the role, also listed
    under the picture, gives way first, then a parenthesised gloss; what is
    still too long is drawn narrower (textLength) rather than cut off."""
    room = width - 16
    if role and _text_width(f"{label} · {role}") <= room:
        return label, role, None
    label = label.split(" (")[0]
    return label, "", room if _text_width(label) > room else None


def ladder(tiers) -> tuple[list[Rung], int]:
    """A stepped pyramid, the leading tier on top and narrowest; returns the
    rungs and the picture's height."""
    rungs = []
    count = len(tiers)
    for index, tier in enumerate(tiers):
        width = LADDER_WIDTH * (0.46 + 0.54 * (index + 1) / max(count, 1))
        y = index * (RUNG_HEIGHT + 6)
        role = tier.ladder_role_en if english_requested() and tier.ladder_role_en else tier.ladder_role
        label, role, text_length = _rung_text(tier.display_name, role, width)
        rungs.append(
            Rung(
                label=label,
                role=role,
                x=round((LADDER_WIDTH - width) / 2, 1),
                y=y,
                width=round(width, 1),
                text_y=y + RUNG_HEIGHT // 2 + 6,
                rank=tier.rank,
                text_length=text_length,
            )
        )
    return rungs, max(count * (RUNG_HEIGHT + 6) - 6, 0)
