"""Peak memory and time of one streamed export, measured in-process.

Runs the URL through Django's test client against the configured database,
reads the streamed body chunk by chunk without keeping it, and reports the
rows, bytes, seconds, the tracemalloc peak (Python allocations during the
request) and the process's peak RSS before and after. Run it with
DEBUG=false: in debug mode Django logs every query (up to 9,000), which
an export of many chunks fills with tens of MiB of SQL. Use it on a
database filled by `python -m bench.synthetic`, e.g.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 DEBUG=false python -m bench.exports '/search/export.csv?q=合成'

Run benchmarks one at a time (flock) on a shared machine."""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc

import bench.django_setup  # noqa: F401  (before any model is imported)

# isort: split
from django.conf import settings
from django.test import Client

from bench import BenchError


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.exports", description="Measure the peak memory and time of one streamed export (a URL)."
    )
    parser.add_argument("url", help="e.g. /exhibits/export.csv or '/search/export.csv?q=合成'")
    parser.add_argument("--host", default="127.0.0.1", help="Host header (must be in ALLOWED_HOSTS).")
    return parser


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    try:
        measure(args.url, args.host)
    except BenchError as error:
        sys.exit(f"error: {error}")


def measure(url: str, host: str = "127.0.0.1") -> None:
    if settings.DEBUG:
        print("Warning: DEBUG is on; its query log inflates the memory measured. Set DEBUG=false.", file=sys.stderr)
    client = Client(HTTP_HOST=host)
    rss_before = peak_rss_mib()
    tracemalloc.start()
    started = time.perf_counter()
    # As over HTTPS: with DEBUG off, a plain-HTTP request is only a redirect.
    response = client.get(url, secure=True)
    if response.status_code != 200:
        tracemalloc.stop()
        raise BenchError(f"{url} answered {response.status_code}")
    if not response.streaming:
        tracemalloc.stop()
        raise BenchError(f"{url} is not a streamed response")
    size = newlines = chunks = 0
    first_chunk = None
    for chunk in response.streaming_content:
        if first_chunk is None:
            first_chunk = time.perf_counter() - started
        size += len(chunk)
        newlines += chunk.count(b"\n")
        chunks += 1
    response.close()
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{url}\n"
        f"  bytes: {size:,} in {chunks:,} chunks; lines: {newlines:,} (CSV: rows + header)\n"
        f"  time: {elapsed:.1f} s (first chunk after {first_chunk or 0:.2f} s)\n"
        f"  tracemalloc peak during the request: {peak / 1024 / 1024:.1f} MiB\n"
        f"  process peak RSS: {rss_before:.1f} MiB before, {peak_rss_mib():.1f} MiB after"
    )


if __name__ == "__main__":
    main()
