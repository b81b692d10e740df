"""The Pagefind measurement (bench.pagefind_recall): its arithmetic, the
pages it prepares, and the whole comparison on a tiny site whose answers
are known, with the real Pagefind binary in Chromium."""

import gzip
from pathlib import Path

import pytest

from bench import pagefind_recall
from bench.pagefind_recall import (
    Outcome,
    PagefindMissing,
    RecordPage,
    element_html,
    gzip_size,
    record_of,
    score,
    table,
    tokens_query,
    with_body,
)


def outcome(live, found, category="Chinese word", size=0):
    return Outcome("q", category, frozenset(live), frozenset(found), size)


def test_recall_and_precision_count_every_record_of_every_query():
    result = score(
        [
            outcome({"/a/", "/b/", "/c/"}, {"/a/", "/b/"}, size=100),
            outcome({"/d/"}, {"/d/", "/e/", "/f/"}, category="English", size=300),
            outcome(set(), {"/g/"}, category="English", size=200),
            outcome({"/h/"}, {"/h/"}, size=50),
        ]
    )

    assert (result.live, result.found, result.hits) == (5, 7, 4)
    assert result.recall == pytest.approx(4 / 5)
    assert result.precision == pytest.approx(4 / 7)
    assert result.exact == 1
    assert result.missed_by_category == {"Chinese word": (1, 4), "English": (0, 1)}
    assert result.extra_by_category == {"Chinese word": 0, "English": 3}
    assert (result.bytes_median, result.bytes_max) == (150, 300)


def test_a_search_that_finds_nothing_where_nothing_is_expected_is_exact():
    result = score([outcome(set(), set())])

    assert (result.recall, result.precision, result.exact) == (1.0, 1.0, 1)


def test_the_table_shows_each_variant_and_each_category():
    text = table(
        {
            "plain": score([outcome({"/a/", "/b/"}, {"/a/", "/c/"})]),
            "tokens": score([outcome({"/a/", "/b/"}, {"/a/", "/b/"})]),
        }
    )

    assert "| | plain | tokens |" in text
    assert "| recall | 50.0% (1/2) | 100.0% (2/2) |" in text
    assert "| precision | 50.0% (1/2) | 100.0% (2/2) |" in text
    assert "| Chinese word (2): missed / more found | 1 / 1 | 0 / 0 |" in text


def test_gzip_files_count_as_they_are_and_others_as_gzip_would_send_them():
    plain = "稀土永磁电机".encode() * 100
    packed = gzip.compress(plain)

    assert gzip_size(packed) == len(packed)
    assert gzip_size(plain) < len(plain)


def test_a_result_address_is_mapped_to_its_record_and_any_other_page_stands_for_itself():
    records = {"/_records/figures-total/": "/figures/#total", "/en/exhibits/x/": "/exhibits/x/"}

    assert record_of("http://127.0.0.1:8000/_records/figures-total/", records) == "/figures/#total"
    assert record_of("/en/exhibits/x/", records) == "/exhibits/x/"
    assert record_of("/exhibits/", records) == "/exhibits/"


def test_a_record_shown_as_a_block_of_a_list_page_gets_a_page_of_its_own():
    page = RecordPage("/figures/#total", "en", "en/figures/index.html")

    assert page.anchor == "total"
    assert page.file == "en/_records/figures-total/index.html"
    assert page.url == "/en/_records/figures-total/"
    assert RecordPage("/exhibits/x/", "zh", "exhibits/x/index.html").url == "/exhibits/x/"


def test_the_block_is_the_whole_element_with_its_nested_elements_of_the_same_tag():
    text = '<ul>\n<li id="a">A <ul><li>inner</li></ul>\nstill A</li>\n<li id="b">B</li></ul>'

    assert element_html(text, "a") == '<li id="a">A <ul><li>inner</li></ul>\nstill A</li>'
    assert element_html(text, "b") == '<li id="b">B</li>'
    with pytest.raises(ValueError):
        element_html(text, "c")


def test_tokens_are_hidden_inside_main_and_only_they_are_indexed_in_the_tokens_only_variant():
    page = '<html><body><header>menu</header><main id="main"><h1>稀土</h1></main></body></html>'

    assert with_body(page, "稀土 土<b>") == (
        '<html><body><header>menu</header><main id="main" data-pagefind-body>'
        "<div hidden>稀土 土&lt;b&gt;</div><h1>稀土</h1></main></body></html>"
    )
    assert '<main id="main"><div hidden data-pagefind-body>稀土</div>' in with_body(page, "稀土", main_indexed=False)


def test_the_query_for_the_tokens_only_variant_is_our_analyzers_terms():
    assert tokens_query("稀土永磁 F-12 區總") == "稀土 土永 永磁 f12 区总"


def test_every_query_of_the_live_search_tests_is_measured():
    from tests.search import test_query

    measured = {query for query, _ in pagefind_recall.TEST_QUERIES}
    for test in (
        test_query.test_exhibit_queries_find_exactly_the_expected_exhibits,
        test_query.test_names_are_found_by_chinese_substrings_pinyin_initials_english_and_aliases,
    ):
        (mark,) = [mark for mark in test.pytestmark if mark.name == "parametrize"]
        assert {query for query, _ in mark.args[1]} <= measured


@pytest.fixture(scope="module")
def pagefind_binary() -> Path:
    """Pagefind, installed into its own venv (PAGEFIND_VENV) if it is not
    there yet: the measurement cannot be checked without it."""
    try:
        return pagefind_recall.pagefind_binary(install=True)
    except (PagefindMissing, OSError, pagefind_recall.subprocess.CalledProcessError) as error:
        pytest.skip(f"Pagefind could not be installed, so the comparison was NOT checked: {error}")


def page(title: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><title>{title}</title></head>'
        f'<body><header>稀土 menu</header><main id="main"><h1>{title}</h1>{body}</main></body></html>'
    )


@pytest.mark.browser
def test_the_comparison_on_a_tiny_site_counts_what_pagefind_finds_and_misses(tmp_path, pagefind_binary):
    site = tmp_path / "site"
    for name, title, body in [
        ("alpha", "稀土永磁电机", "<p>magnet motor</p>"),
        ("beta", "稀土隔热涂料", "<p>coating</p>"),
        ("gamma", "钢轨焊缝", "<p>welding rail</p>"),
    ]:
        (site / name).mkdir(parents=True)
        (site / name / "index.html").write_text(page(title, body))
    (site / "figures").mkdir()
    (site / "figures" / "index.html").write_text(
        page("数字", '<ul><li id="total">motor 总数</li><li id="other">稀土 other</li></ul>')
    )
    pages = [
        RecordPage("/alpha/", "zh", "alpha/index.html"),
        RecordPage("/beta/", "zh", "beta/index.html"),
        RecordPage("/gamma/", "zh", "gamma/index.html"),
        RecordPage("/figures/#total", "zh", "figures/index.html"),
    ]
    indexed = tmp_path / "indexed"
    pagefind_recall.prepare(site, indexed, pages, tokens=None, tokens_only=False)
    report = pagefind_recall.index(pagefind_binary, indexed)
    assert "Indexed 4 pages" in report  # the three record pages and the block; not the list page

    cases = [
        # Found: alpha and beta; the live search also has gamma: one miss.
        ("稀土", "Chinese word", frozenset({"/alpha/", "/beta/", "/gamma/"})),
        # Found: alpha and the figures block; the live search has only alpha.
        ("motor", "English", frozenset({"/alpha/"})),
        ("welding", "English", frozenset({"/gamma/"})),
    ]
    records = {p.url: p.record for p in pages}
    outcomes = pagefind_recall.compare(indexed, cases, records)

    assert [set(o.found) for o in outcomes] == [{"/alpha/", "/beta/"}, {"/alpha/", "/figures/#total"}, {"/gamma/"}]
    result = score(outcomes)
    assert (result.live, result.found, result.hits, result.exact) == (5, 5, 4, 1)
    assert result.missed_by_category == {"Chinese word": (1, 3), "English": (0, 2)}
    assert result.extra_by_category == {"Chinese word": 0, "English": 1}
    # Every query downloads Pagefind's code (tens of KB gzip) and some index.
    assert all(o.bytes > o.code_bytes > 20_000 for o in outcomes)
