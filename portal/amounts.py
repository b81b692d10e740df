"""How strong a reported number is, and how to say it in each language.

The one place that turns a figure's precision into words: Chinese pages
show the number exactly as the report printed it ("40余项", "超万人次",
"数千人次"); English pages say the same strength in English ("more than
40", "more than 10,000", "several thousand"). Never stronger ("about 40"
for 40余) and never weaker (a card with no number for 数千).
"""

import re
from decimal import Decimal

EXACT = "exact"
MORE_THAN = "more_than"
ABOUT = "about"
SEVERAL = "several"
RANGE = "range"

# Words in a printed number that set its precision, checked in this order.
_SEVERAL = re.compile(r"数([十百千万])")
_RANGE = re.compile(r"[\d一二三四五六七八九十]+\s*(?:至|到|～|~|—|-)\s*[\d一二三四五六七八九十]+")
_ABOUT = re.compile(r"约|近|左右|上下")
_MORE_THAN = re.compile(r"余|超|多|以上")

# 数十人次 → "dozens of person-times"; 数千人次 → "several thousand person-times".
_SEVERAL_EN = {"十": "dozens of", "百": "several hundred", "千": "several thousand", "万": "tens of thousands of"}

# A unit that starts with a Chinese myriad scales the printed number (1.8万人次 = 18,000).
_MULTIPLIERS = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}

# The number inside a printed phrase: its digits, or where it has none its
# Chinese numerals (数千 included); the words around it (余, 超, 项, 万元) are not.
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_NUMERALS = re.compile(r"[数一二两三四五六七八九十百千万亿]+")


def precision_of(printed: str) -> str:
    """The precision a printed number states: 40余项 more than, 约40项
    about, 数千人次 several, 2至3场 a range, anything else exact."""
    if _SEVERAL.search(printed):
        return SEVERAL
    if _RANGE.search(printed):
        return RANGE
    if _ABOUT.search(printed):
        return ABOUT
    if _MORE_THAN.search(printed):
        return MORE_THAN
    return EXACT


def english_number(value: Decimal, unit: str = "") -> str:
    """The printed value scaled by its unit's myriad, as English writes it:
    1万 → 10,000; 1.8万 → 18,000; 1230万 → 12.3 million."""
    n = Decimal(value) * _MULTIPLIERS.get(unit[:1], Decimal(1))
    if n >= 1_000_000 and (n / 100_000) == (n / 100_000).to_integral_value():
        millions = (n / 1_000_000).normalize()
        return f"{millions:f} million"
    if n == n.to_integral_value():
        return f"{int(n):,}"
    return f"{n.normalize():f}"


def english_parts(
    *, precision: str, value: Decimal | None, value_max: Decimal | None, unit: str, unit_en: str, printed: str
) -> list[tuple[str, bool]]:
    """The English wording as (text, is_the_number) pieces, so a page can set
    the number large: [("more than ", False), ("40", True), (" innovations", False)]."""
    after = ("%" if unit_en == "%" else f" {unit_en}") if unit_en else ""
    if precision == SEVERAL:
        match = _SEVERAL.search(printed)
        words = _SEVERAL_EN[match.group(1)] if match else "several"
        return [(words, True), (after, False)]
    number = english_number(value, unit) if value is not None else ""
    if precision == RANGE and value_max is not None:
        return [(number, True), (" to ", False), (english_number(value_max, unit), True), (after, False)]
    before = {MORE_THAN: "more than ", ABOUT: "about "}.get(precision, "")
    return [(before, False), (number, True), (after, False)]


def chinese_parts(printed: str) -> list[tuple[str, bool]]:
    """The printed phrase as (text, is_a_number) pieces: 40余项 →
    [("40", True), ("余项", False)]; 数千人次 → [("数千", True), ("人次", False)]."""
    parts: list[tuple[str, bool]] = []
    position = 0
    number = _DIGITS if _DIGITS.search(printed) else _NUMERALS
    for match in number.finditer(printed):
        if match.start() > position:
            parts.append((printed[position : match.start()], False))
        parts.append((match.group(), True))
        position = match.end()
    if position < len(printed):
        parts.append((printed[position:], False))
    return parts


def plain(parts: list[tuple[str, bool]]) -> str:
    return "".join(text for text, _ in parts).strip()
