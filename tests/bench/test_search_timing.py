"""The search benchmark (bench.search_timing): it times every group of a
fixed query set and reports full recall. Small sizes, on the test database."""

import pytest

from bench import search_timing, synthetic
from portal.models import SearchDocument

pytestmark = pytest.mark.django_db

RECORDS = 300


@pytest.fixture
def generated(capsys):
    synthetic.main(["--records", str(RECORDS), "--seed", "1"])
    capsys.readouterr()


def test_the_benchmark_times_every_group_and_reports_full_recall(generated, capsys):
    search_timing.main(["--queries", "12", "--repeat", "1", "--sample", "0", "--slowest", "3"])

    output = capsys.readouterr().out
    assert f"Documents: {RECORDS - synthetic.plan(RECORDS).pool}" in output
    for label in ("two-character words", "single characters", "overall, excluding single characters"):
        assert label in output
    assert "Recall: 100.00%" in output


def test_the_benchmark_fails_when_search_misses_a_match(generated, monkeypatch):
    monkeypatch.setattr(search_timing, "filtered", lambda parsed, queryset=None: SearchDocument.objects.none())

    with pytest.raises(SystemExit, match="Recall is"):
        search_timing.main(["--queries", "12", "--repeat", "1", "--sample", "0", "--skip-rebuild"])


def test_the_query_set_is_fixed_and_has_at_least_two_hundred_queries():
    groups = search_timing.build_groups()

    assert sum(len(group.queries) for group in groups) >= 200
    assert [group.queries for group in groups] == [group.queries for group in search_timing.build_groups()]
    single = next(group for group in groups if group.key == "single")
    assert all(len(query) == 1 for query in single.queries)
    assert not single.overall
