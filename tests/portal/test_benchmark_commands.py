"""The benchmark tooling: synthetic records that are unmistakably synthetic
and never land in the checkout's database, and a benchmark that reports
full recall. Small sizes, on the test database."""

from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from portal.management.commands import generate_synthetic_data as synthetic
from portal.management.commands import search_benchmark
from portal.models import Citation, PublicRecord, Report, SearchDocument
from search.query import counts_by_kind, parse

pytestmark = pytest.mark.django_db

RECORDS = 300


def generate(records: int = RECORDS, seed: int = 1, **options) -> str:
    out = StringIO()
    call_command("generate_synthetic_data", records=records, seed=seed, stdout=out, **options)
    return out.getvalue()


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


def test_it_creates_exactly_the_requested_number_of_labelled_records():
    generate()

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


def test_it_mixes_kinds_mostly_exhibits_and_indexes_them_for_search():
    generate()

    counts = counts_by_kind(parse("合成"))
    assert counts["exhibit"] > counts["person"] > counts["organisation"] > counts["event"] > counts["figure"] > 0
    assert SearchDocument.objects.count() == sum(counts.values()) == RECORDS - synthetic.plan(RECORDS).pool


def test_it_gives_the_same_records_for_the_same_seed_and_replaces_earlier_ones():
    generate(seed=7)
    first = snapshot()

    output = generate(seed=7)

    assert f"Removed {RECORDS} earlier synthetic records" in output
    assert snapshot() == first
    generate(seed=8)
    assert snapshot() != first
    assert len(public_records()) == RECORDS


def test_it_refuses_the_checkouts_own_database_and_writes_nothing():
    checkout = str(Path(settings.BASE_DIR) / "db.sqlite3")
    with mock.patch.dict(connection.settings_dict, {"NAME": checkout}), pytest.raises(CommandError, match="db.sqlite3"):
        generate()

    assert public_records() == []
    assert not Report.objects.filter(slug="synthetic-report").exists()


def test_allow_default_database_lifts_the_refusal():
    checkout = str(Path(settings.BASE_DIR) / "db.sqlite3")
    with mock.patch.dict(connection.settings_dict, {"NAME": checkout}):
        generate(records=60, allow_default_database=True)

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


def test_the_benchmark_times_every_group_and_reports_full_recall():
    generate()
    out = StringIO()

    call_command("search_benchmark", queries=12, repeat=1, sample=0, slowest=3, stdout=out)

    output = out.getvalue()
    assert f"Documents: {RECORDS - synthetic.plan(RECORDS).pool}" in output
    for label in ("two-character words", "single characters", "overall, excluding single characters"):
        assert label in output
    assert "Recall: 100.00%" in output


def test_the_benchmark_fails_when_search_misses_a_match(monkeypatch):
    generate()
    monkeypatch.setattr(search_benchmark, "filtered", lambda parsed, queryset=None: SearchDocument.objects.none())

    with pytest.raises(CommandError, match="Recall is"):
        call_command("search_benchmark", queries=12, repeat=1, sample=0, skip_rebuild=True, stdout=StringIO())


def test_the_query_set_is_fixed_and_has_at_least_two_hundred_queries():
    from portal.management.commands.search_benchmark import build_groups

    groups = build_groups()

    assert sum(len(group.queries) for group in groups) >= 200
    assert [group.queries for group in groups] == [group.queries for group in build_groups()]
    single = next(group for group in groups if group.key == "single")
    assert all(len(query) == 1 for query in single.queries)
    assert not single.overall
