"""static/js/static-search.js, step for step in Python, over the index files
the static build wrote (publish/search_index.py): what the parity tests
compare with the live search. It must not call portal.text: it turns a
query into terms from the files alone, as the browser does."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from publish.search_index import fnv1a

MAX_QUERY_LENGTH = 200
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002a6df\U0002a700-\U0002ebef\U00030000-\U0003134f"
RUN = re.compile(rf"[{CJK}]+|[0-9a-z]+")
IS_CJK = re.compile(rf"[{CJK}]")
JOINERS = r"\-\u2010\u2012\u2013\u2014\u2015\u2212_\u00b7\u30fb/."
FOLD = re.compile(rf"(?<=[a-z])[{JOINERS}](?=[0-9])|(?<=[0-9])[{JOINERS}](?=[a-z])")


@dataclass(frozen=True)
class StaticTerm:
    text: str
    tokens: tuple[str, ...]
    prefix: bool


class StaticIndex:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.manifest = self._json("search/index/manifest.json")
        self.folder = f"search/index/{self.manifest['folder']}/"
        self.fold = self.manifest["fold"]
        self.fetched: set[str] = set()

    def _json(self, relative: str):
        return json.loads((self.root / relative).read_text(encoding="utf-8"))

    def _file(self, relative: str):
        self.fetched.add(self.folder + relative)
        return self._json(self.folder + relative)

    # The analyzer's query side.
    def normalize(self, text: str) -> str:
        folded = unicodedata.normalize("NFKC", text).lower()
        return "".join(self.fold.get(char, char) for char in folded)

    def query_terms(self, query: str) -> list[StaticTerm]:
        text = self.normalize(query[: MAX_QUERY_LENGTH * 2])[:MAX_QUERY_LENGTH]
        terms, seen = [], set()
        for run in RUN.findall(FOLD.sub("", text)):
            if run in seen:
                continue
            seen.add(run)
            if IS_CJK.match(run) and len(run) >= 2:
                terms.append(StaticTerm(run, tuple(run[i : i + 2] for i in range(len(run) - 1)), False))
            else:
                terms.append(StaticTerm(run, (run,), True))
        return terms

    def parse(self, query: str) -> list[list[tuple[StaticTerm, ...]]]:
        slots = []
        for term in self.query_terms(query):
            alternatives = [(term,)]
            for expansion in self.manifest["synonyms"].get(term.text, []):
                alternatives.append(tuple(StaticTerm(t["text"], tuple(t["tokens"]), t["prefix"]) for t in expansion))
            slots.append(alternatives)
        return slots

    # Matching.
    def _shard(self, route: str) -> dict:
        return self._file(f"terms/{fnv1a(route) % self.manifest['term_shards']}.json")

    def _positions(self, token: str) -> list[int]:
        shard = self._file(f"positions/{fnv1a('=' + token) % self.manifest['position_shards']}.json")
        return shard.get(token, [])

    @staticmethod
    def _decode(postings: list[int] | None) -> tuple[set[int], set[int]]:
        every, name, number = set(), set(), 0
        for value in postings or []:
            number += value // 2
            every.add(number)
            if value % 2:
                name.add(number)
        return every, name

    def term_matches(self, term: StaticTerm) -> tuple[set[int], set[int]]:
        limit = self.manifest["prefix_keys"]
        if term.prefix:
            if IS_CJK.match(term.text) or len(term.text) <= limit:
                return self._decode(self._shard("<" + term.text).get("<" + term.text))
            every, name = set(), set()
            for key, postings in self._shard("<" + term.text[:limit]).items():
                if key.startswith("~") and key[1:].startswith(term.text):
                    found = self._decode(postings)
                    every |= found[0]
                    name |= found[1]
            return every, name
        lists = [self._decode(self._shard("=" + token).get("=" + token)) for token in term.tokens]
        if len(term.tokens) == 1:
            return lists[0]
        candidates = set.intersection(*(every for every, _ in lists))
        if not candidates:
            return set(), set()
        places = [self._places(self._positions(token), candidates) for token in term.tokens]
        every, name = set(), set()
        for number in candidates:
            for start in places[0].get(number, []):
                if all(start + 4 * k in places[k].get(number, ()) for k in range(1, len(term.tokens))):
                    every.add(number)
                    if start % 4 < 2:
                        name.add(number)
        return every, name

    @staticmethod
    def _places(encoded: list[int], candidates: set[int]) -> dict[int, set[int]]:
        out, number, i = {}, 0, 0
        while i < len(encoded):
            number += encoded[i]
            count = encoded[i + 1]
            place, places = 0, set()
            for gap in encoded[i + 2 : i + 2 + count]:
                place += gap
                places.add(place)
            if number in candidates:
                out[number] = places
            i += 2 + count
        return out

    def matching(self, query: str) -> list[int]:
        """Document numbers in result order: name matches, then the rest."""
        slots = self.parse(query)
        if not slots:
            return []
        found = {term: self.term_matches(term) for slot in slots for alt in slot for term in alt}

        def evaluate(which: int) -> set[int]:
            result = None
            for slot in slots:
                any_of: set[int] = set()
                for alternative in slot:
                    any_of |= set.intersection(*(found[term][which] for term in alternative))
                result = any_of if result is None else result & any_of
            return result or set()

        every, name = evaluate(0), evaluate(1)
        return sorted(name) + sorted(every - name)

    def document(self, number: int) -> list:
        per_file = self.manifest["docs_per_file"]
        return self._file(f"docs/{number // per_file}.json")[number % per_file]

    def results(self, query: str) -> list[tuple[str, str]]:
        """(kind, address) of each result, in order."""
        out = []
        for number in self.matching(query):
            document = self.document(number)
            out.append((self.manifest["kinds"][document[0]], document[1]))
        return out
