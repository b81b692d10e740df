"""The search analyzer: the one place that turns text into index tokens and
a query into terms, so indexing and searching can never disagree.

Chinese runs become overlapping character bigrams plus the run's final
character (Lucene's CJK bigram idea): a query of n >= 2 characters is then
the phrase of its n-1 adjacent bigrams, which matches exactly the texts that
contain it as a substring. Latin letters and digits form lowercased words.
No word segmenter: segmenting the query differently from the text loses
recall, and bigrams never do.

A hyphen or similar mark between a letter and a digit joins them into one
word (F-12, F－12 and F12 are all `f12`), so a model number is found however
it is typed; the index also keeps the parts (`f`, `12`). Between two letters
(Rare-earth) or two digits (1.8) the mark still separates words: joining
those would hide `earth` and turn 1.8 into 18.

ANALYZER_VERSION names this analysis: documents record the version they
were analysed with, and migrating a database whose documents are older
rebuilds them (search.signals).
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
# Hyphens, dashes, underscore, middle dots, slash and full stop, as they are
# after normalize() (NFKC folds the full-width forms onto these).
_JOINERS = "-\u2010\u2012\u2013\u2014\u2015\u2212_\u00b7\u30fb/."
_FOLD = re.compile(rf"(?<=[a-z])[{_JOINERS}](?=[0-9])|(?<=[0-9])[{_JOINERS}](?=[a-z])")
_JOINED_WORD = re.compile(rf"[0-9a-z]+(?:[{_JOINERS}][0-9a-z]+)+")

ANALYZER_VERSION = 2

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


@cache
def normalize_char(char: str) -> str:
    """normalize() of one character, for mapping highlights back onto the
    original text (cached: a page of results asks for the same few hundred
    characters again and again)."""
    return normalize(char)


def fold(text: str) -> str:
    """Normalized text with the joining marks between a letter and a digit
    taken out (`f-12` → `f12`)."""
    return _FOLD.sub("", text)


def runs(text: str) -> list[str]:
    """Maximal runs of Chinese characters or of Latin letters and digits,
    from normalized text, letters and digits joined by a mark being one run."""
    return _RUN.findall(fold(text))


def is_cjk(run: str) -> bool:
    return bool(_IS_CJK.match(run))


def bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


def index_tokens(text: str) -> str:
    """The text as a space-separated token string for the full-text index."""
    normalized = normalize(text)
    folded = fold(normalized)
    tokens: list[str] = []
    for run in _RUN.findall(folded):
        tokens.extend(bigrams(run) if is_cjk(run) else [run])
    if folded != normalized:
        # The parts of a joined word as well, so `F 12` still finds F-12.
        for word in _JOINED_WORD.findall(normalized):
            joined = set(runs(word))
            tokens.extend(part for part in dict.fromkeys(_RUN.findall(word)) if part not in joined)
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
    end) index pairs, merged and sorted. Matching is done on the normalized,
    folded text, mapped back character by character, so what is marked is
    what matched: a Chinese needle anywhere, a Latin one (a prefix in the
    index) only where a word starts, and a single letter only where it is a
    word of its own, never the `a` inside `rare`."""
    if not text or not needles:
        return []
    normalized_chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = normalize_char(char)
        normalized_chars.append(folded)
        origin.extend([index] * len(folded))
    haystack = "".join(normalized_chars)
    # Take out the marks fold() takes out, remembering where they were: a
    # word boundary for highlighting (the index keeps `f` and `12` of `f-12`).
    joins = {match.start() for match in _FOLD.finditer(haystack)}
    if joins:
        kept = [i for i in range(len(haystack)) if i not in joins]
        boundaries = {position for position, i in enumerate(kept) if i - 1 in joins}
        haystack = "".join(haystack[i] for i in kept)
        origin = [origin[i] for i in kept]
    else:
        boundaries = set()

    def is_word_char(position: int) -> bool:
        return 0 <= position < len(haystack) and haystack[position] in _WORD_CHARS

    spans: list[tuple[int, int]] = []
    for needle in {n for n in needles if n}:
        latin = not is_cjk(needle)
        start = haystack.find(needle)
        while start != -1:
            end = start + len(needle)
            starts_word = start in boundaries or not is_word_char(start - 1)
            ends_word = end in boundaries or not is_word_char(end)
            if not latin or (starts_word and (len(needle) > 1 or ends_word)):
                spans.append((origin[start], origin[end - 1] + 1))
            start = haystack.find(needle, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


_WORD_CHARS = frozenset("0123456789abcdefghijklmnopqrstuvwxyz")
