"""The search analyzer: the one place that turns text into index tokens and
a query into terms, so indexing and searching can never disagree.

Chinese runs become overlapping character bigrams plus the run's final
character (Lucene's CJK bigram idea): a query of n >= 2 characters is then
the phrase of its n-1 adjacent bigrams, which matches exactly the texts that
contain it as a substring. Latin letters and digits form lowercased words.
No word segmenter: segmenting the query differently from the text loses
recall, and bigrams never do.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

# CJK ideographs (basic, extensions A-G, compatibility); the rest of the
# text (punctuation, symbols, spaces) only separates tokens.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002a6df\U0002a700-\U0002ebef\U00030000-\U0003134f"
_RUN = re.compile(rf"[{_CJK}]+|[0-9a-z]+")
_IS_CJK = re.compile(rf"[{_CJK}]")

# Surnames that pypinyin reads with their common-word reading.
SURNAME_PINYIN = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "查": "zha",
    "盖": "ge",
    "区": "ou",
}

MAX_QUERY_LENGTH = 200


@cache
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def normalize(text: str) -> str:
    """NFKC (full-width letters and digits fold to ASCII), lowercase, and
    traditional characters to simplified."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text).lower()
    return _converter().convert(folded)


def normalize_char(char: str) -> str:
    """normalize() of one character, for mapping highlights back onto the
    original text."""
    return normalize(char)


def runs(text: str) -> list[str]:
    """Maximal runs of Chinese characters or of Latin letters and digits,
    from normalized text."""
    return _RUN.findall(text)


def is_cjk(run: str) -> bool:
    return bool(_IS_CJK.match(run))


def bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


def index_tokens(text: str) -> str:
    """The text as a space-separated token string for the full-text index."""
    tokens: list[str] = []
    for run in runs(normalize(text)):
        tokens.extend(bigrams(run) if is_cjk(run) else [run])
    return " ".join(tokens)


def pinyin_tokens(name: str, is_person: bool = False) -> str:
    """Pinyin for a name, indexed so that a reader can type it spaced or
    not, whole or in part, or by initials: every contiguous span of
    syllables, joined, and the same for initials."""
    # Imported here, not at the top: pypinyin's dictionaries take about 50 MB,
    # and only writes (indexing) need them, never a public page.
    from pypinyin import Style, lazy_pinyin

    text = normalize(name)
    tokens: list[str] = []
    for run in runs(text):
        if not is_cjk(run):
            continue
        syllables = lazy_pinyin(run, style=Style.NORMAL, errors="ignore")
        if is_person and run == _first_cjk_run(text) and run[0] in SURNAME_PINYIN:
            syllables[0] = SURNAME_PINYIN[run[0]]
        syllables = [s for s in syllables if s.isascii() and s.isalpha()]
        initials = [s[0] for s in syllables]
        for sequence in (syllables, initials):
            for start in range(len(sequence)):
                for end in range(start + 1, len(sequence) + 1):
                    tokens.append("".join(sequence[start:end]))
    return " ".join(dict.fromkeys(tokens))


def _first_cjk_run(text: str) -> str | None:
    for run in runs(text):
        if is_cjk(run):
            return run
    return None


@dataclass(frozen=True)
class Term:
    """One unit of a query. A Chinese run of two or more characters is a
    phrase of bigrams; a single Chinese character or a Latin word is a
    prefix."""

    text: str
    tokens: tuple[str, ...]
    prefix: bool

    @property
    def is_cjk(self) -> bool:
        return is_cjk(self.text)


def query_terms(query: str) -> list[Term]:
    """The terms of a query, all of which must match (AND). Punctuation and
    search-syntax characters are separators, never syntax."""
    terms: list[Term] = []
    seen: set[str] = set()
    for run in runs(normalize(query[: MAX_QUERY_LENGTH * 2])[:MAX_QUERY_LENGTH]):
        if run in seen:
            continue
        seen.add(run)
        if is_cjk(run) and len(run) >= 2:
            terms.append(Term(run, tuple(run[i : i + 2] for i in range(len(run) - 1)), prefix=False))
        else:
            terms.append(Term(run, (run,), prefix=True))
    return terms


def highlight_spans(text: str, needles: list[str]) -> list[tuple[int, int]]:
    """Where, in the original text, the normalized needles occur: (start,
    end) index pairs, merged and sorted. Matching is done on the normalized
    text, mapped back character by character, so what is marked is what
    matched."""
    if not text or not needles:
        return []
    normalized_chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = normalize_char(char)
        normalized_chars.append(folded)
        origin.extend([index] * len(folded))
    haystack = "".join(normalized_chars)
    spans: list[tuple[int, int]] = []
    for needle in {n for n in needles if n}:
        start = haystack.find(needle)
        while start != -1:
            end = start + len(needle)
            spans.append((origin[start], origin[end - 1] + 1))
            start = haystack.find(needle, end)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
