"""A figure's number is as strong as the report printed it, in both
languages: each kind of precision pinned on an unsaved Figure (no database)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from portal import amounts
from portal.models import Figure

KINDS = [
    # printed, precision, value, value_max, unit, unit_en, English
    ("1230万元", "exact", "1230", None, "万元", "yuan", "12.3 million yuan"),
    ("1.8万人次", "exact", "1.8", None, "万人次", "person-times", "18,000 person-times"),
    ("195家", "exact", "195", None, "家", "pilot units", "195 pilot units"),
    ("80%", "exact", "80", None, "%", "%", "80%"),
    ("四批", "exact", "4", None, "批", "batches", "4 batches"),
    ("40余项", "more_than", "40", None, "项", "innovations", "more than 40 innovations"),
    ("超万人次", "more_than", "1", None, "万人次", "person-times", "more than 10,000 person-times"),
    ("约40项", "about", "40", None, "项", "innovations", "about 40 innovations"),
    ("数千人次", "several", None, None, "人次", "person-times", "several thousand person-times"),
    ("数百人", "several", None, None, "人", "people", "several hundred people"),
    ("2至3场", "range", "2", "3", "场", "live streams", "2 to 3 live streams"),
]


def figure(printed, precision, value, value_max, unit, unit_en) -> Figure:
    return Figure(
        slug="f",
        name="数字",
        name_en="A figure",
        topic=Figure.Topic.EXHIBITION,
        printed=printed,
        phrase=f"原文{printed}",
        precision=precision,
        value=None if value is None else Decimal(value),
        value_max=None if value_max is None else Decimal(value_max),
        unit=unit,
        unit_en=unit_en,
    )


@pytest.mark.parametrize(("printed", "precision", "value", "value_max", "unit", "unit_en", "english"), KINDS)
def test_a_figure_reads_as_printed_in_chinese_and_as_strong_in_english(
    printed, precision, value, value_max, unit, unit_en, english
):
    record = figure(printed, precision, value, value_max, unit, unit_en)
    with translation.override("zh-hans"):
        assert record.amount == printed
    with translation.override("en"):
        assert record.amount == english


@pytest.mark.parametrize(("printed", "precision"), [(k[0], k[1]) for k in KINDS])
def test_the_precision_follows_from_the_printed_number(printed, precision):
    assert amounts.precision_of(printed) == precision


def test_nothing_is_about_unless_the_report_says_about():
    for printed, precision, *_rest in KINDS:
        with translation.override("en"):
            wording = figure(printed, precision, *_rest[:4]).amount
        assert ("about" in wording) == ("约" in printed), printed


def test_the_number_is_set_apart_from_its_words():
    assert amounts.chinese_parts("40余项") == [("40", True), ("余项", False)]
    assert amounts.chinese_parts("数千人次") == [("数千", True), ("人次", False)]
    assert amounts.chinese_parts("1230万元") == [("1230", True), ("万元", False)]
    assert amounts.chinese_parts("超万人次") == [("超", False), ("万", True), ("人次", False)]
    parts = amounts.english_parts(
        precision="more_than", value=Decimal(40), value_max=None, unit="项", unit_en="innovations", printed="40余项"
    )
    assert parts == [("more than ", False), ("40", True), (" innovations", False)]


def test_a_figure_whose_precision_contradicts_its_printed_number_is_refused():
    record = figure("40余项", "exact", "40", None, "项", "innovations")
    with pytest.raises(ValidationError) as error:
        record.clean()
    assert "precision" in error.value.message_dict


def test_a_printed_number_must_come_from_the_phrase():
    record = figure("40余项", "more_than", "40", None, "项", "innovations")
    record.phrase = "50余项"
    with pytest.raises(ValidationError) as error:
        record.clean()
    assert "printed" in error.value.message_dict


def test_several_needs_no_value_and_the_others_do():
    figure("数千人次", "several", None, None, "人次", "person-times").clean()
    with pytest.raises(ValidationError):
        figure("40余项", "more_than", None, None, "项", "innovations").clean()
