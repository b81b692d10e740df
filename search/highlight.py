"""Showing results: the matches marked in a title, and a short window of
the text around the first match."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from portal.text import highlight_spans


def highlight(text: str, needles: list[str]) -> SafeString:
    """The text, HTML-escaped, with every match wrapped in <mark>."""
    spans = _joined(text, highlight_spans(text, needles))
    parts: list[str] = []
    position = 0
    for start, end in spans:
        parts.append(escape(text[position:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))


def _joined(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Marks with only spaces or a hyphen between them become one mark
    (`rare-earth`, not `rare`-`earth`)."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and JOINING_GAP.fullmatch(text[joined[-1][1] : start]):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


JOINING_GAP = re.compile(r"[\s\-\u2010-\u2015]{1,3}")


def snippet(text: str, needles: list[str], width: int = 80, on_words: bool = False) -> SafeString:
    """A short window of the text around the first match (or its start),
    highlighted; with on_words (a language with spaces), the window starts
    and ends on a word, not inside one."""
    text = " ".join(text.split())
    if not text:
        return mark_safe("")
    spans = highlight_spans(text, needles)
    first = spans[0][0] if spans else 0
    # A third of the window before the match, less when the text ends
    # soon after it: the window is as full as the text allows.
    start = max(min(first - width // 3, len(text) - width), 0)
    end = min(start + width, len(text))
    if on_words:
        space = text.find(" ", start, first)
        if start > 0 and text[start - 1] != " " and space != -1:
            start = space + 1
        space = text.rfind(" ", max(first, start), end)
        if end < len(text) and text[end] != " " and space != -1:
            end = space
    window = text[start:end].strip()
    return mark_safe(("…" if start > 0 else "") + str(highlight(window, needles)) + ("…" if end < len(text) else ""))
