"""The export benchmark (bench.exports): rows and peak memory of one
streamed download, and a refusal of a page that is not streamed."""

import pytest

from bench import exports
from tests import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def exhibits():
    """25 rare-earth exhibits (more than one page of the list), 3 others and
    an unpublished rare-earth one."""
    source = make.report()
    show = make.exhibition(source)
    rare_earth = make.sector(source, slug="xitu", name="稀土", name_en="Rare earth")
    other = make.sector(source, slug="dianli", name="电力")
    made = [
        make.exhibit(source, exhibition=show, name=f"稀土永磁电机{n:02d}号", sectors=[rare_earth]) for n in range(25)
    ]
    for n in range(3):
        make.exhibit(source, exhibition=show, name=f"电网巡检机器人{n}", sectors=[other])
    make.exhibit(source, exhibition=show, name="未公开稀土展品", sectors=[rare_earth], is_published=False)
    return made


def test_the_export_benchmark_reports_rows_and_peak_memory(exhibits, capsys):
    exports.main(["/exhibits/export.csv?sector=xitu"])

    report = capsys.readouterr().out
    assert "lines: 26 " in report  # header + 25 rows
    assert "tracemalloc peak during the request:" in report


def test_the_export_benchmark_refuses_a_page_that_is_not_streamed():
    with pytest.raises(SystemExit, match="not a streamed response"):
        exports.main(["/exhibits/"])
