"""Small, pure template helpers (tested without a database)."""

import json
import re
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from portal import addresses, datasets, units
from portal.models import english_requested

register = template.Library()

_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


@register.simple_tag
def record_name(record) -> SafeString:
    """The record's name for this language: on English pages the English
    name with the Chinese beside it; on Chinese pages the Chinese name.
    Nothing for a related record that is hidden (None)."""
    if record is None:
        return format_html("")
    name_en = getattr(record, "name_en", "")
    if english_requested() and name_en:
        return format_html('{} <span lang="zh-Hans" class="alt-name">{}</span>', name_en, record.name)
    if english_requested():
        return format_html('<span lang="zh-Hans">{}</span>', record.name)
    return format_html("{}", record.name)


@register.simple_tag
def local(record, field: str) -> str:
    """A record's text field in the page's language, falling back to Chinese."""
    if english_requested():
        english = getattr(record, f"{field}_en", "")
        if english:
            return english
    return getattr(record, field, "")


@register.simple_tag
def local_text(record, field: str) -> SafeString:
    """local(), for text shown inside a sentence or list: an English page
    whose record has no English yet shows the Chinese marked lang="zh-Hans",
    so screen readers and the one-language check know it for a quotation."""
    text = local(record, field)
    if english_requested() and text and not getattr(record, f"{field}_en", ""):
        return format_html('<span lang="zh-Hans">{}</span>', text)
    return format_html("{}", text)


_FIRST_SENTENCE = {"zh": re.compile(r"^(.+?。)(.*)$", re.S), "en": re.compile(r"^(.+?[.!?])\s+(\S.*)$", re.S)}


@register.simple_tag
def inference(record, field: str = "inferred_note") -> dict[str, str]:
    """An inference note in the page's language, as one short sentence (its
    first: “年份为推断。” / “Year inferred.”) and the reasoning after it,
    which the page shows behind a disclosure."""
    text = local(record, field).strip()
    match = _FIRST_SENTENCE["en" if english_requested() else "zh"].match(text)
    if not match:
        return {"summary": text, "reasoning": ""}
    return {"summary": match[1].strip(), "reasoning": match[2].strip()}


@register.simple_tag
def quantity(value, unit: str) -> str:
    """A count with its measure word: “195 家” on Chinese pages, “195” on
    English ones (the English name beside it says what is counted), and
    English units where they mean something (“10,000 person-times”)."""
    if not english_requested():
        return f"{number(value)} {unit}".strip()
    figure, english = units.english_quantity(value, unit)
    return f"{figure} {english}".strip()


@register.simple_tag
def figure_quantity(figure) -> dict[str, str]:
    """A figure's number and unit on an English page (figure_value and the
    unit as printed on Chinese ones)."""
    if figure.precision == "range" and figure.value_max is not None:
        low, unit = units.english_quantity(figure.value, figure.unit)
        high, unit = units.english_quantity(figure.value_max, figure.unit)
        return {"value": f"{low}–{high}", "unit": unit}
    value, unit = units.english_quantity(figure.value, figure.unit)
    return {"value": value, "unit": unit}


@register.filter
def number(value) -> str:
    """1230.00 → 1230, 1.80 → 1.8: the figure as the report prints it."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(datasets.number(value), "f")
    return str(value)


@register.simple_tag
def figure_amount(figure) -> SafeString:
    """A figure's number in the page's language (Figure.amount_parts: as
    printed in Chinese, "more than 40 innovations" in English), the number
    set large, the words before it (超, more than) and after it (余项,
    innovations) small."""
    pieces = []
    seen_number = False
    for text, is_number in figure.amount_parts():
        seen_number = seen_number or is_number
        if text:
            kind = "num" if is_number else ("unit" if seen_number else "qualifier")
            pieces.append(format_html('<span class="{}">{}</span>', kind, text))
    return mark_safe("".join(pieces))


@register.filter
def jsonld(data) -> SafeString:
    """A dict as a JSON-LD script body, safe inside <script>."""
    return mark_safe(json.dumps(data, ensure_ascii=False, default=str).translate(_JSON_ESCAPES))


@register.simple_tag(takes_context=True)
def other_language(context) -> dict[str, str]:
    """Where the language switch points: this page in the other language."""
    target = "zh-hans" if english_requested() else "en"
    return {
        "url": addresses.other_language_path(context["request"], target),
        "label": "中文" if target == "zh-hans" else "English",
        "lang": "zh-Hans" if target == "zh-hans" else "en",
    }


@register.simple_tag(takes_context=True)
def page_url(context) -> str:
    """This page's absolute address on the configured site URL
    (portal.addresses), for the canonical link and og:url."""
    return addresses.page_url(context["request"])


def portal_name() -> str:
    """The portal's name as a citation gives it (the header's name)."""
    return _("北疆工匠网")


@register.simple_tag(takes_context=True)
def cite_lines(context, record) -> list[str]:
    """Citations of this page a reader can paste into a document, one per
    report the record rests on: the portal, the record, the page's address
    and the day it was read, then the report (title, year) and paragraphs.
    GB/T 7714 style (an online resource, [EB/OL]) on Chinese pages, a plain
    style on English ones. Never the report's file name.

    The access date is the day the page was rendered. Pages are cached by
    content version for up to PAGE_CACHE_SECONDS (portal.caching), so a
    cached page may show a date up to that old; that is accepted rather than
    keying the cache by day or adding a script."""
    url = addresses.page_url(context["request"])
    today = timezone.localdate()
    name = _plain_name(record)
    by_report = {}
    for citation in record.sorted_citations:
        numbers = by_report.setdefault(citation.report, [])
        if citation.paragraph not in numbers:
            numbers.append(citation.paragraph)
    lines = []
    for report, numbers in by_report.items():
        year = report.year_label
        if english_requested():
            paragraphs = f"para{'s' if len(numbers) > 1 else ''}. {', '.join(map(str, numbers))}"
            source = f"{report.full_label}, {f'{year}, ' if year else ''}{paragraphs}"
            lines.append(f"{name}. {portal_name()}. {url} (accessed {today.day} {today:%B %Y}). Source: {source}.")
        else:
            publisher = f"{report.publisher}：" if report.publisher else ""
            paragraphs = f"第{'、'.join(map(str, numbers))}段"
            source = f"{publisher}{report.full_label}{f'，{year}' if year else ''}，{paragraphs}"
            lines.append(f"{portal_name()}. {name}[EB/OL]. [{today:%Y-%m-%d}]. {url}. 来源：{source}.")
    return lines


def _plain_name(record) -> str:
    if record is None:
        return ""
    name_en = getattr(record, "name_en", "")
    return name_en if english_requested() and name_en else str(getattr(record, "name", record))


@register.filter
def html_lang(language_code: str) -> str:
    return "zh-Hans" if (language_code or "").startswith("zh") else language_code


RECORD_KINDS_EN = {
    "place": "place",
    "organisation": "organisation",
    "event": "event",
    "programme": "programme",
    "figure": "figure",
    "tier": "craftsman tier",
    "person": "person",
    "tiercount": "tier count",
    "eventrole": "role at an event",
    "pilotbatch": "pilot batch",
    "pilotcategory": "pilot category",
    "pilotunit": "pilot unit",
    "academytype": "academy type",
    "academygroup": "academy group",
    "academyfield": "academy field",
    "academy": "craftsman academy",
    "exhibition": "exhibition zone",
    "exhibitionarea": "exhibition area",
    "sector": "sector",
    "exhibitkind": "kind of achievement",
    "exhibit": "exhibit",
}


@register.filter
def verbose_name(record) -> str:
    """What kind of record this is, in the page's language."""
    if english_requested():
        return RECORD_KINDS_EN.get(record._meta.model_name, record._meta.model_name)
    return str(record._meta.verbose_name)


_PUNCTUATION = {
    "colon": ("：", ": "),
    "comma": ("、", ", "),
    "lparen": ("（", " ("),
    "rparen": ("）", ")"),
}


@register.simple_tag
def event_year(event) -> str:
    """The year of an event's date, marked when it is inferred (the reports
    give the day and month, and the year only by context)."""
    if not event.start_date:
        return ""
    year = event.start_date.year
    if english_requested():
        return f"{year} (year inferred)" if event.date_is_inferred else str(year)
    return f"{year}年（年份为推断）" if event.date_is_inferred else f"{year}年"


@register.simple_tag
def punct(name: str) -> str:
    """Punctuation between template pieces, full-width on Chinese pages and
    ASCII with spacing on English ones."""
    chinese, english = _PUNCTUATION[name]
    return english if english_requested() else chinese
