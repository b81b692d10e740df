"""Measure words on English pages. Chinese counts things with a measure word
(195 家, 43 名, 40 项) that English does without: the English name beside the
number already says what is counted. Units that carry meaning of their own
(person-times, yuan, years, per cent) are translated; 万 (ten thousand) is
multiplied out, since English does not count in ten thousands."""

from decimal import Decimal

# A measure word not listed here is a classifier: nothing in English.
ENGLISH_UNITS = {
    "人次": "person-times",
    "元": "yuan",
    "%": "%",
    "年": "years",
    "周年": "years",
}

TEN_THOUSAND = "万"


def english_unit(unit: str) -> str:
    return ENGLISH_UNITS.get(unit.removeprefix(TEN_THOUSAND), "")


def english_quantity(value: Decimal | int | None, unit: str) -> tuple[str, str]:
    """(number, unit) as an English page prints them: 1 万人次 → ("10,000",
    "person-times"), 1230 万元 → ("12.3 million", "yuan"), 195 家 → ("195", "")."""
    if value is None:
        return "", english_unit(unit)
    value = Decimal(value)
    if unit.startswith(TEN_THOUSAND) and len(unit) > 1:
        value *= 10_000
    if value >= 1_000_000 and value % 100_000 == 0:
        return f"{format((value / 1_000_000).normalize(), 'f')} million", english_unit(unit)
    number = format(value.normalize(), "f") if value != value.to_integral_value() else f"{int(value):,}"
    return number, english_unit(unit)
