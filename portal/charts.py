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


@dataclass
class BarChart:
    title: str
    bars: list[Bar]


def bar_chart(title: str, rows: list[tuple[str, int, str, str | None]]) -> BarChart:
    """rows: (label, value, unit, url). Bars scale to the largest value; a
    bar never shrinks below a sliver, so a count of 1 still shows."""
    largest = max((value for _, value, _, _ in rows), default=0) or 1
    if english_requested():
        rows = [(label, value, english_unit(unit), url) for label, value, unit, url in rows]
    bars = [Bar(label, value, unit, round(max(value / largest * 100, 1.5), 2), url) for label, value, unit, url in rows]
    return BarChart(title, bars)


@dataclass
class Rung:
    label: str
    role: str
    x: float
    y: int
    width: float
    text_y: int
    rank: int


LADDER_WIDTH = 320
RUNG_HEIGHT = 44


def ladder(tiers) -> tuple[list[Rung], int]:
    """A stepped pyramid, the leading tier on top and narrowest; returns the
    rungs and the picture's height."""
    rungs = []
    count = len(tiers)
    for index, tier in enumerate(tiers):
        width = LADDER_WIDTH * (0.46 + 0.54 * (index + 1) / max(count, 1))
        y = index * (RUNG_HEIGHT + 6)
        rungs.append(
            Rung(
                label=tier.display_name,
                role=tier.ladder_role_en if english_requested() and tier.ladder_role_en else tier.ladder_role,
                x=round((LADDER_WIDTH - width) / 2, 1),
                y=y,
                width=round(width, 1),
                text_y=y + RUNG_HEIGHT // 2 + 6,
                rank=tier.rank,
            )
        )
    return rungs, max(count * (RUNG_HEIGHT + 6) - 6, 0)
