"""The loader, on small fixtures of the test's own."""

import json

import pytest
from django.core.management import CommandError, call_command

from craftsmen.models import Person
from portal.fixtures import FixtureError, load_fixtures, reports_not_at_hand
from portal.models import Citation, Figure, FixtureLoad, Organisation, Report

pytestmark = pytest.mark.django_db

REPORT_TEXT = "第一段。\n\n   \n第二段:北疆工匠李冬凉及其团队。\n"


@pytest.fixture
def reports_dir(tmp_path, settings):
    directory = tmp_path / "reports"
    directory.mkdir()
    (directory / "r.txt").write_text(REPORT_TEXT, encoding="utf-8")
    settings.REPORTS_DIR = directory
    return directory


def report_record():
    return {
        "model": "portal.report",
        "slug": "r",
        "fields": {"file_name": "r.txt", "title": "测试报告"},
    }


def person_record(**fields):
    return {
        "model": "craftsmen.person",
        "slug": "li-dongliang",
        "fields": {"name": "李冬凉", "name_en": "Li Dongliang", **fields},
        "citations": [{"report": "r", "paragraph": 2, "excerpt": "北疆工匠李冬凉"}],
    }


def write(directory, name, records):
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")


def test_loading_twice_leaves_the_same_rows(tmp_path, reports_dir):
    fixtures = tmp_path / "fixtures"
    write(fixtures, "01.json", [report_record(), person_record()])

    first = load_fixtures(fixtures)
    rows = list(Person.objects.values())
    citations = list(Citation.objects.values("pk", "report_id", "paragraph", "excerpt", "object_id"))
    second = load_fixtures(fixtures)

    assert (first.created, first.citations_written) == (2, 1)
    assert (second.created, second.updated, second.unchanged, second.citations_written) == (0, 0, 2, 0)
    assert list(Person.objects.values()) == rows
    assert list(Citation.objects.values("pk", "report_id", "paragraph", "excerpt", "object_id")) == citations


def test_a_changed_fixture_updates_the_row_and_its_citations(tmp_path, reports_dir):
    fixtures = tmp_path / "fixtures"
    write(fixtures, "01.json", [report_record(), person_record()])
    load_fixtures(fixtures)
    changed = person_record(title="北疆工匠")
    changed["citations"] = [{"report": "r", "paragraph": 2, "excerpt": "李冬凉及其团队"}]
    write(fixtures, "01.json", [report_record(), changed])

    result = load_fixtures(fixtures)

    assert result.updated == 1
    assert Person.objects.get().title == "北疆工匠"
    assert list(Citation.objects.values_list("excerpt", flat=True)) == ["李冬凉及其团队"]


def test_records_added_in_the_admin_survive_a_reload(tmp_path, reports_dir):
    fixtures = tmp_path / "fixtures"
    write(fixtures, "01.json", [report_record(), person_record()])
    load_fixtures(fixtures)
    Organisation.objects.create(slug="added", name="管理员添加", kind="union")

    load_fixtures(fixtures)

    assert Organisation.objects.filter(slug="added").exists()


def test_if_changed_skips_fixtures_already_loaded_and_keeps_edits(tmp_path, reports_dir):
    fixtures = tmp_path / "fixtures"
    write(fixtures, "01.json", [report_record(), person_record()])
    load_fixtures(fixtures)
    person = Person.objects.get()
    person.description = "管理员的修改"
    person.save()

    result = load_fixtures(fixtures, if_changed=True)

    assert result.skipped
    assert Person.objects.get().description == "管理员的修改"
    assert FixtureLoad.objects.count() == 1


@pytest.mark.parametrize(
    ("bad_record", "message"),
    [
        (person_record(nickname="x"), "has no field 'nickname'"),
        ({**person_record(), "citations": []}, "at least one citation"),
        (
            {**person_record(), "citations": [{"report": "r", "paragraph": 2, "excerpt": "高凤林"}]},
            "is not in paragraph 2",
        ),
        (
            {**person_record(), "citations": [{"report": "r", "paragraph": 9, "excerpt": "李冬凉"}]},
            "has 2 paragraphs",
        ),
        (person_record(organisation="nowhere"), "no Organisation with slug 'nowhere'"),
        (person_record(tier_basis="stated"), "tier_basis"),
        ({**person_record(), "slug": "Not A Slug"}, "slug"),
        ({**person_record(), "model": "craftsmen.nothing"}, "nothing"),
    ],
)
def test_a_malformed_record_fails_naming_file_and_record_and_changes_nothing(
    tmp_path, reports_dir, bad_record, message
):
    fixtures = tmp_path / "fixtures"
    write(fixtures, "01_reports.json", [report_record()])
    write(fixtures, "02_people.json", [bad_record])

    with pytest.raises(FixtureError) as raised:
        load_fixtures(fixtures)

    assert "02_people.json, record 1" in str(raised.value)
    assert message in str(raised.value)
    assert Report.objects.count() == 0
    assert Person.objects.count() == 0
    assert FixtureLoad.objects.count() == 0


def test_a_file_that_is_not_json_is_named(tmp_path, reports_dir):
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    (fixtures / "01_broken.json").write_text("[{", encoding="utf-8")

    with pytest.raises(FixtureError, match="01_broken.json"):
        load_fixtures(fixtures)


def test_the_command_reports_problems_and_loads_nothing(tmp_path, reports_dir):
    fixtures = tmp_path / "fixtures"
    write(fixtures, "01.json", [report_record(), person_record(organisation="nowhere")])

    with pytest.raises(CommandError, match="Nothing was loaded"):
        call_command("load_portal_data", directory=str(fixtures))

    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    "bad_record, where",
    [
        (person_record(name="李冬\x00凉"), "fields.name contains a NUL character"),
        (
            {**person_record(), "citations": [{"report": "r", "paragraph": 2, "excerpt": "北疆\x00工匠"}]},
            "citations[1].excerpt contains a NUL character",
        ),
        (person_record(description="长" * 5001), "fields.description is 5,001 characters long; at most 5,000"),
    ],
)
def test_nul_characters_and_overlong_values_are_refused_before_anything_is_written(
    tmp_path, reports_dir, bad_record, where
):
    fixtures = tmp_path / "fixtures"
    write(fixtures, "01.json", [report_record(), bad_record])

    with pytest.raises(FixtureError) as raised:
        load_fixtures(fixtures)

    assert f"01.json, record 2 (craftsmen.person li-dongliang): {where}" in str(raised.value)
    assert (Report.objects.count(), Person.objects.count(), FixtureLoad.objects.count()) == (0, 0, 0)


def test_validate_portal_data_lists_every_problem_and_changes_nothing(tmp_path, reports_dir):
    fixtures = tmp_path / "fixtures"
    write(
        fixtures,
        "01.json",
        [report_record(), person_record(organisation="nowhere"), {**person_record(), "slug": "x", "model": "no.model"}],
    )

    with pytest.raises(CommandError) as raised:
        call_command("validate_portal_data", directory=str(fixtures))

    assert "2 problem(s)" in str(raised.value)
    assert "record 2 (craftsmen.person li-dongliang)" in str(raised.value)
    assert "record 3 (no.model x)" in str(raised.value)
    assert (Report.objects.count(), Person.objects.count(), FixtureLoad.objects.count()) == (0, 0, 0)


def test_validate_portal_data_passes_valid_fixtures_without_loading_them(tmp_path, reports_dir, capsys):
    fixtures = tmp_path / "fixtures"
    write(fixtures, "01.json", [report_record(), person_record()])

    call_command("validate_portal_data", directory=str(fixtures))

    assert "2 records in 1 files: all valid." in capsys.readouterr().out
    assert (Report.objects.count(), Person.objects.count(), Citation.objects.count()) == (0, 0, 0)


@pytest.fixture
def no_reports(tmp_path, settings):
    settings.REPORTS_DIR = tmp_path / "nowhere"
    return settings.REPORTS_DIR


def test_validate_portal_data_fails_when_the_reports_are_missing_and_says_where_it_looked(tmp_path, no_reports, capsys):
    fixtures = tmp_path / "fixtures"
    write(fixtures, "01.json", [report_record(), person_record()])

    with pytest.raises(CommandError) as raised:
        call_command("validate_portal_data", directory=str(fixtures))

    assert f"excerpts NOT checked: no reports at {no_reports} (missing r.txt;" in str(raised.value)
    assert "all valid" not in capsys.readouterr().out


def test_validate_portal_data_may_be_told_to_allow_missing_reports_but_never_says_all_valid(
    tmp_path, no_reports, capsys
):
    fixtures = tmp_path / "fixtures"
    write(fixtures, "01.json", [report_record(), person_record()])

    call_command("validate_portal_data", directory=str(fixtures), allow_missing_reports=True)

    output = capsys.readouterr()
    assert f"excerpts NOT checked: no reports at {no_reports}" in output.err
    assert "the excerpts were NOT checked" in output.out
    assert "all valid" not in output.out


def test_load_portal_data_loads_without_the_reports_and_warns_on_stderr(tmp_path, no_reports, capsys):
    fixtures = tmp_path / "fixtures"
    write(fixtures, "01.json", [report_record(), person_record()])

    call_command("load_portal_data", directory=str(fixtures))

    output = capsys.readouterr()
    assert f"WARNING: excerpts NOT checked: no reports at {no_reports} (missing r.txt;" in output.err
    assert Citation.objects.count() == 1


def test_load_portal_data_is_quiet_about_reports_that_are_at_hand(tmp_path, reports_dir, capsys):
    fixtures = tmp_path / "fixtures"
    write(fixtures, "01.json", [report_record(), person_record()])

    call_command("load_portal_data", directory=str(fixtures))

    assert "NOT checked" not in capsys.readouterr().err


def test_reports_not_at_hand_names_the_fixtures_report_files_missing_from_reports_dir(tmp_path, settings):
    fixtures = tmp_path / "fixtures"
    write(fixtures, "01.json", [report_record(), {**report_record(), "slug": "s", "fields": {"file_name": "s.txt"}}])
    settings.REPORTS_DIR = tmp_path
    (tmp_path / "r.txt").write_text(REPORT_TEXT, encoding="utf-8")

    assert reports_not_at_hand(fixtures) == ["s.txt"]


def test_validate_portal_data_says_when_the_parts_do_not_add_up_to_the_reported_total(tmp_path, reports_dir):
    fixtures = tmp_path / "fixtures"
    cite = [{"report": "r", "paragraph": 1, "excerpt": "第一段"}]
    figure = {
        "model": "portal.figure",
        "slug": "academies-total",
        "fields": {
            "name": "总数",
            "topic": "academies",
            "value": 30,
            "unit": "家",
            "printed": "第一段",
            "phrase": "第一段",
        },
        "citations": cite,
    }
    types = [
        {
            "model": "craftsmen.academytype",
            "slug": slug,
            "fields": {"name": slug, "count": count, "phrase": "第一段"},
            "citations": cite,
        }
        for slug, count in [("a", 19), ("b", 9)]
    ]
    write(fixtures, "01.json", [report_record(), figure, *types])

    with pytest.raises(CommandError) as raised:
        call_command("validate_portal_data", directory=str(fixtures))

    assert "craftsmen.AcademyType: 19 + 9 = 28, but academies-total says 30" in str(raised.value)


def test_a_reports_credits_are_loaded_and_each_name_must_be_printed_in_it(tmp_path, reports_dir):
    fixtures = tmp_path / "fixtures"
    record = report_record()
    record["fields"]["credits"] = [{"role": "文", "names": [{"name": "李冬凉", "name_en": "Li Dongliang"}]}]
    write(fixtures, "01.json", [record])
    assert not load_fixtures(fixtures).errors
    assert Report.objects.get(slug="r").credits[0]["names"][0]["name"] == "李冬凉"

    record["fields"]["credits"] = [{"role": "文", "names": [{"name": "王瑞波", "name_en": "Wang Ruibo"}]}]
    write(fixtures, "01.json", [record])
    with pytest.raises(FixtureError, match="王瑞波"):
        load_fixtures(fixtures)


def test_a_credit_with_a_role_not_printed_in_reports_is_refused(tmp_path, reports_dir):
    fixtures = tmp_path / "fixtures"
    record = report_record()
    record["fields"]["credits"] = [{"role": "主编", "names": [{"name": "李冬凉", "name_en": "Li Dongliang"}]}]
    write(fixtures, "01.json", [record])
    with pytest.raises(FixtureError, match="主编"):
        load_fixtures(fixtures)


def test_a_decimal_written_as_a_json_number_is_stored_as_written(tmp_path, reports_dir):
    fixtures = tmp_path / "fixtures"
    figure = {
        "model": "portal.figure",
        "slug": "training",
        "fields": {
            "name": "培训人次",
            "topic": "training",
            "value": 1.8,
            "unit": "万人次",
            "printed": "1.8万人次",
            "phrase": "培训1.8万人次",
        },
        "citations": [{"report": "r", "paragraph": 2, "excerpt": "北疆工匠李冬凉"}],
    }
    write(fixtures, "01.json", [report_record(), figure])
    assert not load_fixtures(fixtures).errors
    assert str(Figure.objects.get(slug="training").value) == "1.80"
