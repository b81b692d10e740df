"""The static build's search (publish/search_index.py, static/js/
static-search.js) finds what the live search finds: for every query of the
live search's tests and of the search benchmark, the same records in the
same order, read from the built index files by tests/publish/static_search.py
(the browser's algorithm in Python; tests/browser/test_static_search.py runs
the JavaScript itself on a subset).

Allowed difference, not met by any query here: the live search turns
traditional characters into simplified ones with OpenCC, which converts
some multi-character phrases otherwise than character by character; the
static index ships the character table only (the manifest's `fold`), so such a phrase
typed in traditional characters may find other records in the browser."""

from __future__ import annotations

import gzip
import json

import pytest

from portal.text import query_terms
from publish.search_index import fnv1a, index_files
from search.query import forget_synonyms, matching, parse
from tests.publish.static_search import StaticIndex

pytestmark = [pytest.mark.django_db]

RARE_EARTH = ["稀土", "rare earth", "rare-earth", "稀土產品", "稀土 電機", "稀土 电机", "稀土 锁止"]
F12 = ["ｆ－１２", "F-12", "F12", "f12", "Ｆ１２", "F\u201012", "F\u201412", "F_12", "F·12", "F/12", "F.12", "F 12"]
# tests/search/test_query.py, tests/shell/test_search_page.py,
# tests/browser/test_search.py and tests/test_public_pages.py.
LIVE_TEST_QUERIES = [
    *RARE_EARTH,
    *F12,
    "F12芳纶",
    "锁止",
    "牵引锁止",
    "李冬凉",
    "巴彦淖尔",
    "凤林",
    "高凤林",
    "gaofenglin",
    "gao fenglin",
    "gao feng lin",
    "gfl",
    "Gao Fenglin",
    "lidongliang",
    "ldl",
    "Baotou",
    "工匠学院",
    "全总",
    "产改",
    "區總",
    "neimenggu zonggonghui",
    "weld",
    "welds",
    "磁",
    "工匠",
    "试点",
    "学院",
    "创新",
    "内蒙古",
    "内蒙古 g",
    "工匠 b",
    "chen honglei 稀土",
    "稀土 工匠",
    "，。",
    '" * : ( ) - AND OR NEAR',
    "稀土 OR",
    "NEAR(稀土 电机)",
    "exhibit",
    "glove",
    "rare",
    "warm-up",
    "x",
    "a",
    "r",
    "叶片",
    "巡检",
    "检测",
    "风能",
    "完全没有的词语",
    "<script>alert(1)</script>",
    "稀" * 2000,
    "x" * 2000,
    "\u200b稀土\u200f",
    "e\u0301",
]


def benchmark_queries() -> list[str]:
    from bench.search_timing import build_groups

    return [query for group in build_groups() for query in group.queries]


@pytest.fixture(scope="module")
def static_index(built_site) -> StaticIndex:
    return StaticIndex(built_site)


def live_results(query: str) -> list[tuple[str, str]]:
    forget_synonyms()
    return [(document.kind, document.path) for document in matching(parse(query))]


def test_the_static_search_finds_what_the_live_search_finds_in_the_same_order(static_index, portal_data):
    queries = list(dict.fromkeys(LIVE_TEST_QUERIES + benchmark_queries()))
    assert len(queries) > 250
    differences = []
    found_something = 0
    for query in queries:
        live = live_results(query)
        found_something += bool(live)
        if static_index.results(query) != live:
            differences.append(query)
    assert differences == []
    # The queries are not all empty on the real data (a test that compares
    # nothing with nothing proves nothing).
    assert found_something > 100


def test_the_browser_turns_a_query_into_the_live_search_terms(static_index):
    queries = list(dict.fromkeys(LIVE_TEST_QUERIES + benchmark_queries()))
    for query in queries:
        live = [(term.text, term.tokens, term.prefix) for term in query_terms(query)]
        static = [(term.text, term.tokens, term.prefix) for term in static_index.query_terms(query)]
        assert static == live, query


def test_the_character_table_covers_the_traditional_characters_of_the_indexed_text(static_index):
    # Every traditional form of a character the index holds folds onto it:
    # 產 → 产, 電 → 电, 區 → 区, 總 → 总 are among them.
    assert {"產": "产", "電": "电", "區": "区", "總": "总"}.items() <= static_index.fold.items()


def test_a_static_search_result_is_the_page_of_its_record_in_both_languages(static_index, built_site):
    results = static_index.results("稀土")
    assert results
    for _, address in results:
        path = address.partition("#")[0]
        assert (built_site / path.lstrip("/") / "index.html").is_file(), path
        assert (built_site / "en" / path.lstrip("/") / "index.html").is_file(), path


def test_the_index_is_deterministic_and_named_by_its_content(portal_data):
    first, second = index_files(), index_files()
    assert first == second
    manifest = json.loads(first["search/index/manifest.json"])
    assert all(
        name == "search/index/manifest.json" or name.startswith(f"search/index/{manifest['version']}/")
        for name in first
    )


def test_a_typical_query_downloads_little(static_index, built_site):
    for query in ["稀土", "gaofenglin", "rare earth", "机械式自锁", "gfl"]:
        static_index.fetched.clear()
        static_index.results(query)
        files = {"search/index/manifest.json", *static_index.fetched}
        size = sum(len(gzip.compress((built_site / name).read_bytes())) for name in files)
        script = next((built_site / "static" / "js").glob("static-search.*.js"))
        size += len(gzip.compress(script.read_bytes()))
        assert size < 150_000, (query, size)


def test_the_hash_is_fnv1a_over_utf8():
    # The published test vectors; static-search.js computes the same.
    assert fnv1a("") == 0x811C9DC5
    assert fnv1a("a") == 0xE40C292C
    assert fnv1a("foobar") == 0xBF9CF968
