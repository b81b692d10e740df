"""The benchmark script: its pure pieces, and the whole of it in its
`--smoke` mode (60 records, 1-second runs, without Datasette). A full
`make bench` takes minutes and is not part of CI."""

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

spec = importlib.util.spec_from_file_location("bench_run", Path(settings.BASE_DIR) / "bench" / "run.py")
bench = importlib.util.module_from_spec(spec)
sys.modules["bench_run"] = bench  # dataclasses look their module up there
spec.loader.exec_module(bench)

WRK_OUTPUT = """\
Running 5s test @ http://127.0.0.1:8151/exhibits/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    13.90ms    5.01ms  31.12ms   70.00%
    Req/Sec   269.50     20.11   300.00     75.00%
  Latency Distribution
     50%  850.00us
     75%   16.00ms
     90%   20.00ms
     99%    1.21s
  2690 requests in 5.01s, 13.19MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:    536.91
Transfer/sec:      2.63MB
"""


def test_it_reads_throughput_percentiles_in_any_unit_and_failures_from_wrk():
    result = bench.parse_wrk(WRK_OUTPUT)

    assert result.requests_per_second == 536.91
    assert result.p50_ms == pytest.approx(0.85)
    assert result.p99_ms == pytest.approx(1210)
    assert result.errors == 7


def test_a_clean_run_has_no_errors():
    clean = "\n".join(line for line in WRK_OUTPUT.splitlines() if "errors" not in line and "Non-2xx" not in line)
    assert bench.parse_wrk(clean).errors == 0


def test_the_table_gives_each_page_as_a_share_of_the_static_file():
    targets = [
        bench.Target("static file (whitenoise)", "portal-warm", "/static/x.css", [bench.Result(1000, 1, 2, 0)]),
        bench.Target("home", "portal-warm", "/", [bench.Result(600, 2, 5, 0), bench.Result(700, 2, 4, 0)]),
    ]
    args = type("Args", (), {"database": "sqlite", "connections": 8, "duration": 5, "rounds": 2, "workers": 2})()
    args.redis_url = None

    text = bench.table(targets, {"portal-warm": [100.4, 101.6]}, 1000, args)

    assert "| home | portal-warm | 600 | 2.0 | 5.0 | 60% | 0 |" in text
    assert "portal-warm 100, 102" in text


def test_only_picks_pages_by_label_and_server():
    cold_detail = bench.Target("exhibit detail, from the reports", "portal-cold", "/exhibits/x/")
    warm_detail = bench.Target("exhibit detail", "portal-warm", "/exhibits/y/")
    tuned_row = bench.Target("Datasette row page", "datasette-tuned", "/db/exhibits/1")
    plain_row = bench.Target("Datasette row page", "datasette", "/db/exhibits/1")
    only = "detail.*cold|row page.*tuned"

    assert [bench.chosen(t, only) for t in (cold_detail, warm_detail, tuned_row, plain_row)] == [
        True,
        False,
        True,
        False,
    ]
    assert bench.chosen(plain_row, None)


def _free_port_block(size: int) -> int:
    """The first of `size` consecutive free ports."""
    for base in range(18150, 19150, size):
        if all(bench.port_is_free(port) for port in range(base, base + size)):
            return base
    raise RuntimeError("no free ports")


@pytest.mark.once
def test_make_bench_runs_end_to_end_in_its_smoke_mode(tmp_path):
    """The whole benchmark, small: it builds its database, starts the cold
    and warm servers as make serve does, and every page answers 200 to wrk.
    (A page that redirects, as every page did once SSL redirects came in,
    fails here.) Datasette, which needs a download, is left out."""
    if not shutil.which("wrk"):
        if os.environ.get("CI"):
            pytest.fail("wrk is missing (apt-get install wrk); CI installs it")
        pytest.skip("wrk is not installed (apt-get install wrk)")
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "DATABASE_REPLICA_URL")}
    result = subprocess.run(
        [
            sys.executable,
            "bench/run.py",
            "--smoke",
            "--no-datasette",
            "--workdir",
            str(tmp_path),
            "--port",
            str(_free_port_block(4)),
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ") and "---" not in line][1:]
    labels = {row.split(" | ")[0].lstrip("| ") for row in rows}
    assert {
        "static file (whitenoise)",
        "home",
        "exhibit list",
        "exhibit detail",
        "exhibit detail, from the reports",
        "craftsmen",
    } <= labels
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert cells[-1] == "0", row  # no errors
        assert float(cells[2].replace(",", "")) > 0, row  # requests per second
