"""The template helpers that pick a page's language for record texts,
inference notes and measure words (no database)."""

from decimal import Decimal
from types import SimpleNamespace

from django.utils import translation

from portal.templatetags.portal_tags import figure_quantity, inference, local_text, quantity
from portal.units import english_quantity


def note(zh="", en=""):
    return SimpleNamespace(inferred_note=zh, inferred_note_en=en)


def test_an_inference_is_its_first_sentence_with_the_reasoning_after_it():
    record = note("年份为推断。报告只写“9月23日至26日”。", "Year inferred. The report gives 23–26 September only.")
    assert inference(record) == {"summary": "年份为推断。", "reasoning": "报告只写“9月23日至26日”。"}
    with translation.override("en"):
        assert inference(record) == {"summary": "Year inferred.", "reasoning": "The report gives 23–26 September only."}


def test_an_inference_of_one_sentence_has_no_reasoning_to_disclose():
    assert inference(note("上级为推断。")) == {"summary": "上级为推断。", "reasoning": ""}


def test_an_english_page_without_the_english_note_shows_the_chinese_one():
    with translation.override("en"):
        assert inference(note("所在地为推断。取自校名。")) == {"summary": "所在地为推断。取自校名。", "reasoning": ""}


def test_a_record_text_is_marked_chinese_on_an_english_page_only_when_it_has_no_english():
    dated = SimpleNamespace(date_as_written="9月25日", date_as_written_en="25 September")
    undated = SimpleNamespace(date_as_written="9月25日", date_as_written_en="")
    assert local_text(dated, "date_as_written") == "9月25日"
    with translation.override("en"):
        assert local_text(dated, "date_as_written") == "25 September"
        assert local_text(undated, "date_as_written") == '<span lang="zh-Hans">9月25日</span>'


def test_a_count_keeps_its_measure_word_in_chinese_and_drops_it_in_english():
    assert quantity(195, "家") == "195 家"
    with translation.override("en"):
        assert quantity(195, "家") == "195"
        assert quantity(43, "名") == "43"


def test_english_multiplies_out_ten_thousands_and_names_the_units_that_mean_something():
    assert english_quantity(Decimal("1.00"), "万人次") == ("10,000", "person-times")
    assert english_quantity(Decimal("1.80"), "万人次") == ("18,000", "person-times")
    assert english_quantity(Decimal("1230.00"), "万元") == ("12.3 million", "yuan")
    assert english_quantity(Decimal("80.00"), "%") == ("80", "%")
    assert english_quantity(Decimal("40.00"), "项") == ("40", "")
    assert english_quantity(None, "人次") == ("", "person-times")


def test_a_range_figure_has_both_ends_in_english():
    figure = SimpleNamespace(precision="range", value=Decimal("2.00"), value_max=Decimal("3.00"), unit="场")
    assert figure_quantity(figure) == {"value": "2–3", "unit": ""}
