"""Synthetic records (bench.synthetic) that are unmistakably synthetic and
never land in the checkout's database. Small sizes, on the test database."""

from pathlib import Path
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

from bench import synthetic
from portal.models import Citation, PublicRecord, Report, SearchDocument
from search.query import counts_by_kind, parse

pytestmark = pytest.mark.django_db

RECORDS = 300


def generate(capsys, records: int = RECORDS, seed: int = 1, *options: str) -> str:
    """Runs `python -m bench.synthetic` in-process; what it printed."""
    capsys.readouterr()
    synthetic.main(["--records", str(records), "--seed", str(seed), *options])
    return capsys.readouterr().out


def public_records() -> list[PublicRecord]:
    models = [model for model in apps.get_models() if issubclass(model, PublicRecord)]
    return [record for model in models for record in model.objects.order_by("slug")]


def snapshot() -> list[tuple]:
    """What a generated record says, by slug (ids may differ between runs)."""
    from exhibits.models import Exhibit

    rows = [(r.slug, r.name, r.name_en, r.description, r.description_en) for r in public_records()]
    links = [
        (e.slug, e.organisation.slug, e.kind.slug, e.area.slug, sorted(m.slug for m in e.makers.all()))
        for e in Exhibit.objects.select_related("organisation", "kind", "area").order_by("slug")
    ]
    return rows + links


def test_it_creates_exactly_the_requested_number_of_labelled_records(capsys):
    generate(capsys)

    records = public_records()
    assert len(records) == RECORDS
    for record in records:
        assert record.slug.startswith("synthetic-")
        assert record.name.startswith("【合成】")
        assert "合成测试数据" in record.description
        assert "Synthetic test data" in record.description_en
    report = Report.objects.get(slug="synthetic-report")
    assert (report.file_name, report.title) == ("synthetic.txt", "合成测试数据（非真实报道）")
    assert Citation.objects.count() == RECORDS
    assert set(Citation.objects.values_list("report", flat=True)) == {report.pk}
    assert len({(c.content_type_id, c.object_id) for c in Citation.objects.all()}) == RECORDS


def test_it_mixes_kinds_mostly_exhibits_and_indexes_them_for_search(capsys):
    generate(capsys)

    counts = counts_by_kind(parse("合成"))
    assert counts["exhibit"] > counts["person"] > counts["organisation"] > counts["event"] > counts["figure"] > 0
    assert SearchDocument.objects.count() == sum(counts.values()) == RECORDS - synthetic.plan(RECORDS).pool


def test_it_gives_the_same_records_for_the_same_seed_and_replaces_earlier_ones(capsys):
    generate(capsys, seed=7)
    first = snapshot()

    output = generate(capsys, seed=7)

    assert f"Removed {RECORDS} earlier synthetic records" in output
    assert snapshot() == first
    generate(capsys, seed=8)
    assert snapshot() != first
    assert len(public_records()) == RECORDS


def test_it_refuses_the_checkouts_own_database_and_writes_nothing(capsys):
    checkout = str(Path(settings.BASE_DIR) / "db.sqlite3")
    with mock.patch.dict(connection.settings_dict, {"NAME": checkout}), pytest.raises(SystemExit, match="db.sqlite3"):
        generate(capsys)

    assert public_records() == []
    assert not Report.objects.filter(slug="synthetic-report").exists()


def test_allow_default_database_lifts_the_refusal(capsys):
    checkout = str(Path(settings.BASE_DIR) / "db.sqlite3")
    with mock.patch.dict(connection.settings_dict, {"NAME": checkout}):
        generate(capsys, 60, 1, "--allow-default-database")

    assert len(public_records()) == 60


@pytest.mark.parametrize(
    ("name", "is_checkout"),
    [
        (str(Path(settings.BASE_DIR) / "db.sqlite3"), True),
        (Path(settings.BASE_DIR) / "db.sqlite3", True),
        ("/tmp/bench.sqlite3", False),
        ("bench", False),
        ("file:memorydb_default?mode=memory&cache=shared", False),
        ("", False),
    ],
)
def test_only_the_checkouts_sqlite_file_counts_as_the_default_database(name, is_checkout):
    assert synthetic.is_checkout_database({"NAME": name}) is is_checkout
