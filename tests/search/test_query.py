"""Search on the real fixtures. The same expectations run on SQLite and on
PostgreSQL (CI runs the suite on both), so pinned orders prove both
databases give the same order."""

import pytest
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

from portal.text import highlight_spans, index_tokens, pinyin_tokens, query_terms
from search import query as search_query
from search.highlight import highlight, snippet
from search.kinds import KIND_BY_KEY, KIND_SHIFT, id_range
from search.query import (
    ParsedQuery,
    SearchResults,
    cheapest_read,
    counts_by_kind,
    filtered,
    index_expression,
    matching,
    parse,
    tsquery_expression,
)
from search.schema import (
    FTS5_TABLE_SQL,
    FTS_HEAD_TABLE,
    FTS_TABLE,
    SQLITE_OLD_TRIGGERS,
    SQLITE_TRIGGERS,
    ensure_search_schema,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("portal_data")]


def titles(query: str, kind: str | None = None) -> list[str]:
    results = matching(parse(query))
    if kind:
        results = results.filter(kind=kind)
    return [d.title for d in results]


RARE_EARTH_EXHIBITS = [
    "万吨级轻稀土碳酸盐连续化生产工艺模型",
    "稀土永磁电机",
    "稀土隔热涂料",
    "稀土文创产品",
    "稀土农肥助剂",
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("稀土", RARE_EARTH_EXHIBITS),
        ("锁止", ["机械式自锁防脱落牵引锁止装置"]),
        ("牵引锁止", ["机械式自锁防脱落牵引锁止装置"]),
        ("李冬凉", ["机械式自锁防脱落牵引锁止装置"]),
        ("巴彦淖尔", ["预警通讯安全帽", "F-12芳纶防割手套"]),
        ("rare earth", RARE_EARTH_EXHIBITS),
        ("稀土產品", []),
        ("稀土 電機", ["稀土永磁电机"]),
        ("ｆ－１２", ["F-12芳纶防割手套"]),
        ("F-12", ["F-12芳纶防割手套"]),
        ("F12", ["F-12芳纶防割手套"]),
        ("f12", ["F-12芳纶防割手套"]),
        ("Ｆ１２", ["F-12芳纶防割手套"]),
        ("F\u201012", ["F-12芳纶防割手套"]),
        ("F\u201412", ["F-12芳纶防割手套"]),
        ("F_12", ["F-12芳纶防割手套"]),
        ("F·12", ["F-12芳纶防割手套"]),
        ("F/12", ["F-12芳纶防割手套"]),
        ("F.12", ["F-12芳纶防割手套"]),
        ("F 12", ["F-12芳纶防割手套"]),
        ("F12芳纶", ["F-12芳纶防割手套"]),
        ("rare-earth", RARE_EARTH_EXHIBITS),
    ],
)
def test_exhibit_queries_find_exactly_the_expected_exhibits(query, expected):
    assert sorted(titles(query, "exhibit")) == sorted(expected)


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("凤林", "高凤林"),
        ("高凤林", "高凤林"),
        ("gaofenglin", "高凤林"),
        ("gao fenglin", "高凤林"),
        ("gao feng lin", "高凤林"),
        ("gfl", "高凤林"),
        ("Gao Fenglin", "高凤林"),
        ("lidongliang", "李冬凉"),
        ("ldl", "李冬凉"),
        ("Baotou", "包头工匠"),
        ("工匠学院", "包头职业技术学院"),
        ("全总", "中华全国总工会"),
        ("产改", "产业工人队伍建设改革"),
        ("區總", "内蒙古自治区总工会"),
        ("neimenggu zonggonghui", "内蒙古自治区总工会"),
    ],
)
def test_names_are_found_by_chinese_substrings_pinyin_initials_english_and_aliases(query, name):
    assert name in titles(query)


def test_a_name_match_ranks_before_a_mention_and_the_order_is_pinned():
    # The same list on SQLite and on PostgreSQL.
    assert titles("巴彦淖尔")[:5] == [
        "内蒙古电力集团有限责任公司巴彦淖尔供电公司",
        "预警通讯安全帽",
        "F-12芳纶防割手套",
        "王强",
        "内蒙古电力集团有限责任公司",
    ]
    assert titles("李冬凉") == ["李冬凉", "机械式自锁防脱落牵引锁止装置"]


def test_an_english_word_prefix_finds_the_record_named_with_it_first():
    assert titles("weld", "exhibit")[0] == "钢轨焊缝双频正火设备和正火工艺"
    assert titles("welds", "exhibit")[0] == "钢轨焊缝双频正火设备和正火工艺"


def test_several_words_must_all_match():
    assert titles("稀土 电机", "exhibit") == ["稀土永磁电机"]
    assert titles("稀土 锁止") == []


def test_a_single_character_finds_every_record_containing_it():
    found = set(titles("磁"))
    assert "稀土永磁电机" in found


def test_a_two_character_query_finds_every_record_whose_text_contains_it():
    from portal.models import SearchDocument
    from portal.text import normalize

    for query in ["稀土", "工匠", "试点", "学院", "创新"]:
        expected = {
            d.pk
            for d in SearchDocument.objects.all()
            if query in normalize(" ".join([d.title, d.title_en, d.text, d.text_en]))
        }
        found = set(filtered(parse(query)).values_list("pk", flat=True))
        assert expected <= found, query


@pytest.mark.parametrize(
    "query",
    ['"', "*", ":", "(", ")", "-", "AND", "OR", "NEAR", '" * : ( ) - AND OR NEAR', "稀土 OR", "NEAR(稀土 电机)"],
)
def test_search_syntax_characters_are_plain_text_and_never_errors(query):
    list(matching(parse(query))[:20])
    counts_by_kind(parse(query))


def test_counts_per_kind_add_up_to_the_matches():
    parsed = parse("工匠")
    counts = counts_by_kind(parsed)
    assert sum(counts.values()) == matching(parsed).count()
    assert set(counts) <= set(KIND_BY_KEY)


def test_the_full_text_index_exists_on_this_database():
    """SQLite: the FTS5 tables (everything, and names alone) and the
    triggers that keep them (a table rebuild drops triggers, so they are
    re-created after every migrate).
    PostgreSQL: the GIN index over the generated tsvector column."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('trigger', 'table')")
            names = {row[0] for row in cursor.fetchall()}
            assert {FTS_TABLE, FTS_HEAD_TABLE, *SQLITE_TRIGGERS} <= names
            assert not names & set(SQLITE_OLD_TRIGGERS)
        else:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'portal_searchdocument_chunk_vector'")
            assert "gin" in cursor.fetchone()[0]


def test_ensure_search_schema_restores_a_dropped_sqlite_trigger_or_pg_index():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER portal_searchdocument_fts_ai")
        else:
            cursor.execute("DROP INDEX portal_searchdocument_chunk_vector")
    assert ensure_search_schema() is True
    assert ensure_search_schema() is False
    assert "高凤林" in titles("gfl")


class TestAnalyzer:
    def test_chinese_becomes_overlapping_bigrams_and_the_last_character(self):
        assert index_tokens("稀土永磁") == "稀土 土永 永磁 磁"

    def test_latin_is_lowercased_and_full_width_is_folded(self):
        assert index_tokens("ＦＯＯ Bar") == "foo bar"

    @pytest.mark.parametrize("mark", ["-", "\u2010", "\u2011", "\u2013", "\u2014", "_", "·", "/", ".", "－", "・"])
    def test_a_mark_between_a_letter_and_a_digit_joins_them_and_the_index_keeps_the_parts(self, mark):
        assert index_tokens(f"F{mark}12芳纶") == "f12 芳纶 纶 f 12"
        assert index_tokens(f"12{mark}F") == "12f 12 f"
        assert [term.text for term in query_terms(f"F{mark}12")] == ["f12"]

    def test_a_model_number_typed_without_the_mark_is_the_same_query_word(self):
        assert query_terms("F12") == query_terms("F-12") == query_terms("ｆ－１２")

    @pytest.mark.parametrize(
        ("text", "tokens"),
        [("Rare-earth", "rare earth"), ("1.8万", "1 8 万"), ("GB/T 7714", "gb t 7714"), ("F - 12", "f 12")],
        ids=["two letters", "two digits", "letters then a space", "spaced"],
    )
    def test_a_mark_between_two_letters_or_two_digits_still_separates_words(self, text, tokens):
        assert index_tokens(text) == tokens

    def test_traditional_characters_are_simplified(self):
        assert index_tokens("稀土產業") == "稀土 土产 产业 业"

    def test_a_query_of_n_characters_is_the_phrase_of_its_bigrams(self):
        (term,) = query_terms("锁止装置")
        assert term.tokens == ("锁止", "止装", "装置") and not term.prefix

    def test_pinyin_covers_spans_and_initials(self):
        tokens = pinyin_tokens("高凤林", is_person=True).split()
        assert {"gao", "fenglin", "gaofenglin", "gfl", "gf"} <= set(tokens)

    @pytest.mark.parametrize(
        ("name", "reading"),
        [
            ("单雄", "shanxiong"),
            ("曾国", "zengguo"),
            ("解缙", "xiejin"),
            ("仇英", "qiuying"),
            ("朴树", "piaoshu"),
            ("查良", "zhaliang"),
            ("盖叫", "gejiao"),
            ("区寄", "ouji"),
        ],
    )
    def test_surnames_pypinyin_misreads_are_read_as_surnames(self, name, reading):
        assert reading in pinyin_tokens(name, is_person=True).split()

    def test_highlighting_maps_back_to_the_original_characters(self):
        text = "稀土產業ＦＯＯ"
        assert [text[a:b] for a, b in highlight_spans(text, ["产业", "foo"])] == ["產業ＦＯＯ"]

    @pytest.mark.parametrize(
        ("text", "needles", "marked"),
        [
            ("F-12 aramid gloves", ["f12"], ["F-12"]),
            ("F-12芳纶防割手套", ["f12", "芳纶"], ["F-12芳纶"]),
            ("F－12 and F12", ["f12"], ["F－12", "F12"]),
            ("F-12 gloves", ["12"], ["12"]),
            ("a rare-earth area", ["a"], ["a"]),
            ("a rare-earth area", ["ar"], ["ar"]),
            ("rare-earth", ["earth"], ["earth"]),
            ("Rare earth magnets", ["r"], []),
            ("F-12 gloves", ["f"], ["F"]),
            ("永磁电机", ["磁"], ["磁"]),
        ],
    )
    def test_a_latin_word_is_marked_where_a_word_starts_and_a_single_letter_only_on_its_own(
        self, text, needles, marked
    ):
        assert [text[a:b] for a, b in highlight_spans(text, needles)] == marked

    def test_marks_with_only_a_space_or_hyphen_between_them_are_one_mark(self):
        html = str(highlight("Rare-earth and rare earth, rare, earth", ["rare", "earth"]))
        assert html == "<mark>Rare-earth</mark> and <mark>rare earth</mark>, <mark>rare</mark>, <mark>earth</mark>"

    def test_a_text_shorter_than_the_snippet_is_shown_whole(self):
        text = "展示万吨级轻稀土碳酸盐连续化生产工艺的模型，属于稀土产业链上游的生产工艺。报告未写明研发者和单位。"
        assert str(snippet(text, ["单位"])) == text.replace("单位", "<mark>单位</mark>")

    def test_a_long_snippet_is_cut_around_the_match_on_words_in_english(self):
        text = " ".join(f"word{i}" for i in range(60)) + " gloves " + " ".join(f"more{i}" for i in range(60))
        cut = str(snippet(text, ["gloves"], width=80, on_words=True))
        assert cut.startswith("…word") and cut.endswith("…") and "<mark>gloves</mark>" in cut
        assert all(part in text.split() for part in cut.strip("…").replace("<mark>gloves</mark>", "gloves").split())

    def test_highlight_escapes_html(self):
        assert str(highlight("<b>稀土</b>", ["稀土"])) == "&lt;b&gt;<mark>稀土</mark>&lt;/b&gt;"


def expected_ids(parsed, kind: str) -> list[int]:
    """The matches in result order, by the plain ORM query."""
    expected = matching(parsed)
    return [d.pk for d in (expected.filter(kind=kind) if kind else expected)]


def read_in_pages(results, total: int, size: int) -> list[int]:
    return [d.pk for start in range(0, total + size, size) for d in results[start : start + size]]


@pytest.mark.parametrize(
    ("query", "kind"), [("工匠", ""), ("工匠", "person"), ("内蒙古", ""), ("gfl", ""), ("稀土", "")]
)
def test_search_results_pages_are_the_matches_in_result_order(query, kind):
    parsed = parse(query)
    expected = expected_ids(parsed, kind)
    results = SearchResults(parsed, kind)
    assert results.count() == len(results) == len(expected)
    assert read_in_pages(results, len(expected), 7) == expected


@pytest.mark.parametrize(
    ("plan", "chunk_shift"),
    [("walk", 12), ("kind", 12), ("chunks", 12), ("chunks", 1)],
    ids=["walking the primary key", "reading the kind from the index", "reading one chunk", "reading many chunks"],
)
@pytest.mark.parametrize(("query", "kind"), [("工匠", ""), ("工匠", "person"), ("gfl", ""), ("稀土", "")])
def test_every_plan_for_a_page_gives_the_same_pages(monkeypatch, query, kind, plan, chunk_shift):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL chooses a plan per page segment; FTS5 has one")
    parsed = parse(query)
    expected = expected_ids(parsed, kind)
    chosen = []
    monkeypatch.setattr(search_query, "SMALL_RESULT", 0)  # plan segments even for these few matches
    monkeypatch.setattr(search_query, "cheapest_read", lambda *args: chosen.append(args) or plan)
    # Chunks of two ids: the real fixtures' few documents per kind then
    # span many chunks, and a page many of them.
    monkeypatch.setattr(search_query, "CHUNK_SHIFT", chunk_shift)
    pages = read_in_pages(SearchResults(parsed, kind), len(expected), 5)
    assert chosen, "no segment was planned"
    assert pages == expected


@pytest.mark.parametrize(
    ("matches", "plan"),
    [(40_000, "walk"), (5_000, "walk"), (930, "chunks"), (200, "chunks"), (30, "kind"), (3, "kind")],
)
def test_a_page_segment_is_read_the_way_that_visits_the_fewest_rows(matches, plan):
    # A page of 20 from 50,000 documents of one kind.
    assert cheapest_read(20, 50_000, matches) == plan


def test_the_index_reads_the_rare_words_and_leaves_a_common_prefix_to_the_row_check():
    parsed = parse("chen honglei 稀土")
    assert index_expression(parsed, [95000, 15, 400]) == tsquery_expression(ParsedQuery(parsed.text, parsed.slots[1:]))
    # Not ten times commoner, or not a prefix: the index reads it.
    assert index_expression(parsed, [100, 15, 400]) == tsquery_expression(parsed)
    assert index_expression(parse("稀土 工匠"), [95000, 15]) == tsquery_expression(parse("稀土 工匠"))


@pytest.mark.parametrize("small", [True, False], ids=["read whole", "read in segments"])
@pytest.mark.parametrize(("query", "kind"), [("gao fenglin", ""), ("内蒙古 g", ""), ("工匠 b", "person")])
def test_pages_are_the_same_when_the_index_leaves_words_to_the_row_check(monkeypatch, query, kind, small):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's GIN reads; FTS5 has its own plan")
    parsed = parse(query)
    expected = expected_ids(parsed, kind)
    assert expected, "the query should match something"
    left_out = []
    original = index_expression
    monkeypatch.setattr(search_query, "PREFIX_LEFT_TO_CHECK", 1)
    monkeypatch.setattr(search_query, "SMALL_RESULT", 10_000 if small else 0)
    monkeypatch.setattr(
        search_query,
        "index_expression",
        lambda parsed, counts: (
            left_out.append(original(parsed, counts) != tsquery_expression(parsed)) or original(parsed, counts)
        ),
    )
    pages = read_in_pages(SearchResults(parsed, kind), len(expected), 5)
    assert any(left_out), "no word was left to the row check"
    assert pages == expected


def test_search_results_of_an_empty_query_are_empty():
    results = SearchResults(parse("，。"))
    assert results.count() == 0 and results[0:20] == []


def test_document_ids_put_each_kind_in_its_own_range_in_order():
    from portal.models import SearchDocument

    rows = list(SearchDocument.objects.order_by("id").values_list("id", "kind", "kind_order"))
    assert rows
    for pk, kind, kind_order in rows:
        low, high = id_range(kind)
        assert low < pk < high and pk >> KIND_SHIFT == kind_order
    assert [kind_order for _, _, kind_order in rows] == sorted(kind_order for _, _, kind_order in rows)


def test_counts_by_kind_are_cached_until_the_content_changes(django_assert_num_queries):
    from portal.caching import bump_content_version

    parsed = parse("工匠")
    counts = counts_by_kind(parsed)
    with django_assert_num_queries(1):  # the content version only
        assert counts_by_kind(parsed) == counts
    bump_content_version()
    with django_assert_num_queries(2):
        assert counts_by_kind(parsed) == counts


def test_an_outdated_sqlite_index_is_replaced_and_both_fts5_tables_are_kept_in_step(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's FTS5 table")
    # On a database file of its own: replacing an FTS5 table inside the
    # test's transaction leaves the shared test connection unusable after
    # the rollback (the next SAVEPOINT fails).
    old = SQLiteWrapper({**connection.settings_dict, "NAME": str(tmp_path / "old.sqlite3")}, alias="old-index")
    try:
        with old.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE portal_searchdocument (id integer PRIMARY KEY, head text, pinyin text, body text)"
            )
            cursor.execute("INSERT INTO portal_searchdocument VALUES (1, '高凤 凤林 林', 'gaofenglin gfl', '')")
            cursor.execute(
                f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(head, pinyin, body, "
                "content='portal_searchdocument', content_rowid='id', tokenize='unicode61', prefix='1')"
            )
            # The old trigger kept the main table alone.
            cursor.execute(
                "CREATE TRIGGER portal_searchdocument_ai AFTER INSERT ON portal_searchdocument BEGIN "
                f"INSERT INTO {FTS_TABLE}(rowid, head, pinyin, body) "
                "VALUES (new.id, new.head, new.pinyin, new.body); "
                "END"
            )

        assert ensure_search_schema(using=old) is True

        def found(cursor, table, query):
            cursor.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [query])
            return [row[0] for row in cursor.fetchall()]

        with old.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [FTS_TABLE])
            assert cursor.fetchone()[0] == FTS5_TABLE_SQL
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            assert sorted(row[0] for row in cursor.fetchall()) == sorted(SQLITE_TRIGGERS)
            # Both tables rebuilt from the documents, prefix queries included.
            assert found(cursor, FTS_TABLE, "pinyin : gf*") == [1]
            assert found(cursor, FTS_HEAD_TABLE, "gf*") == [1]
            # And kept in step from now on, by the new triggers.
            cursor.execute("INSERT INTO portal_searchdocument VALUES (2, '稀土 土永 永磁 磁', 'xitu', '')")
            cursor.execute("UPDATE portal_searchdocument SET head = '高凤 凤林 林x' WHERE id = 1")
            assert found(cursor, FTS_HEAD_TABLE, "稀土") == found(cursor, FTS_TABLE, "稀土") == [2]
            assert found(cursor, FTS_HEAD_TABLE, '"林x"') == [1]
            cursor.execute("DELETE FROM portal_searchdocument WHERE id = 2")
            assert found(cursor, FTS_HEAD_TABLE, "稀土") == found(cursor, FTS_TABLE, "稀土") == []
        assert ensure_search_schema(using=old) is False
    finally:
        old.close()
