"""Time of the base template alone (header, footer, navigation, language
switch, no content), rendered in process with the request's context
processors, in both languages: the floor under every cold page.

    python -m bench.base_template [--runs 500] [--rounds 5]

It reads no records, so the database does not matter."""

from __future__ import annotations

import argparse
import statistics
import time

import bench.django_setup  # noqa: F401  (before any model is imported)

# isort: split
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import resolve
from django.utils import translation

PAGES = {"zh-hans": "/exhibits/", "en": "/en/exhibits/"}


def render_once(factory: RequestFactory, language: str, path: str) -> str:
    with translation.override(language):
        request = factory.get(path)
        request.user = AnonymousUser()
        request.resolver_match = resolve(path)
        request.LANGUAGE_CODE = language
        return render_to_string("base.html", {"meta_description": "…"}, request=request)


def timings(runs: int, rounds: int) -> dict[str, list[float]]:
    """Milliseconds per render, one figure per round, per language."""
    factory = RequestFactory(HTTP_HOST="127.0.0.1")
    results = {}
    for language, path in PAGES.items():
        for _ in range(runs):  # warm the template and URL caches
            render_once(factory, language, path)
        rounds_ms = []
        for _ in range(rounds):
            started = time.perf_counter()
            for _ in range(runs):
                render_once(factory, language, path)
            rounds_ms.append((time.perf_counter() - started) / runs * 1000)
        results[language] = rounds_ms
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=500, help="renders per round")
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args(argv)
    for language, rounds_ms in timings(options.runs, options.rounds).items():
        print(f"base.html, {language}: median {statistics.median(rounds_ms):.3f} ms, best {min(rounds_ms):.3f} ms")


if __name__ == "__main__":
    main()
