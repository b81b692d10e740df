"""Pagefind measured against the live search, on the real data (issue 20:
"measure both on recall against the live search before choosing").

The static site of the real fixtures is built (publish.build.build_site,
into a temporary folder, inside a transaction that is rolled back), and
Pagefind (PyPI `pagefind[extended]`, the build with Chinese segmentation)
indexes the records' pages in one of three variants:

- plain: Pagefind as documented, `data-pagefind-body` on the <main> of each
  record's page (both languages; Pagefind keeps one index per language);
- tokens added: the same, plus the record's tokens from our analyzer
  (portal.text: bigrams, pinyin spans and initials, English words, folded
  forms; the search document's head, pinyin and body) in a hidden element;
- tokens only: only that hidden element is indexed, and the query is turned
  into our analyzer's terms before Pagefind sees it (what our own search
  script would have to do).

Every query of the live search's test set (tests/search/test_query.py) and
of the search benchmark (bench.search_timing.build_groups) is then typed
into Pagefind's own JavaScript, in Chromium (Debian's, through Playwright),
on a page in Chinese served by a plain static file server: what a visitor
on the Chinese site gets. Its results (all of them, not only the first
page) are compared with the live search's, `matching(parse(query))`, by
record: recall, precision, queries answered exactly, misses per category,
and the bytes a visitor downloads for one query on a cold cache (Pagefind's
code, its index and the fragments of the first SHOWN results; every file as
gzip would send it).

    DATABASE_URL=sqlite:////tmp/pf.sqlite3 python manage.py migrate
    DATABASE_URL=sqlite:////tmp/pf.sqlite3 python -m bench.pagefind_recall

Pagefind is not a project dependency: it is looked for at $PAGEFIND (the
binary), then in $PAGEFIND_VENV (default /tmp/pfvenv), and `--install`
installs PAGEFIND_PACKAGE there with pip.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import functools
import gzip
import html
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

PAGEFIND_PACKAGE = "pagefind[extended]==1.5.2"
PAGEFIND_VENV = Path(os.environ.get("PAGEFIND_VENV") or "/tmp/pfvenv")
CHROMIUM = Path(os.environ.get("CHROMIUM") or "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
SHOWN = 10  # results whose excerpts a visitor's first screen loads
HARNESS = "_pagefind_bench.html"
BUNDLE = "pagefind"
INDEX_FILES = (".pf_meta", ".pf_index", ".pf_fragment")

# The queries of tests/search/test_query.py (the live search's test set),
# each with what kind of query it is; tests/bench/test_pagefind_recall.py
# checks that none of that file's parametrized queries is missing here.
TEST_QUERIES: tuple[tuple[str, str], ...] = (
    ("稀土", "Chinese word"),
    ("锁止", "Chinese word"),
    ("牵引锁止", "Chinese word"),
    ("巴彦淖尔", "Chinese word"),
    ("内蒙古", "Chinese word"),
    ("工匠", "Chinese word"),
    ("试点", "Chinese word"),
    ("学院", "Chinese word"),
    ("创新", "Chinese word"),
    ("工匠学院", "Chinese word"),
    ("李冬凉", "Chinese name"),
    ("高凤林", "Chinese name"),
    ("凤林", "Chinese inside a word"),
    ("磁", "single character"),
    ("稀土 电机", "several words"),
    ("稀土 锁止", "several words"),
    ("稀土 工匠", "several words"),
    ("chen honglei 稀土", "several words"),
    ("内蒙古 g", "several words"),
    ("工匠 b", "several words"),
    ("rare earth", "English"),
    ("rare-earth", "English"),
    ("Baotou", "English"),
    ("weld", "English"),
    ("welds", "English"),
    ("稀土產品", "traditional / full-width"),
    ("稀土 電機", "traditional / full-width"),
    ("ｆ－１２", "traditional / full-width"),
    ("Ｆ１２", "traditional / full-width"),
    ("F-12", "model number"),
    ("F12", "model number"),
    ("f12", "model number"),
    ("F\u201012", "model number"),
    ("F\u201412", "model number"),
    ("F_12", "model number"),
    ("F·12", "model number"),
    ("F/12", "model number"),
    ("F.12", "model number"),
    ("F 12", "model number"),
    ("F12芳纶", "model number"),
    ("gaofenglin", "pinyin / initials"),
    ("gao fenglin", "pinyin / initials"),
    ("gao feng lin", "pinyin / initials"),
    ("Gao Fenglin", "pinyin / initials"),
    ("gfl", "pinyin / initials"),
    ("lidongliang", "pinyin / initials"),
    ("ldl", "pinyin / initials"),
    ("neimenggu zonggonghui", "pinyin / initials"),
    ("全总", "synonym / abbreviation"),
    ("产改", "synonym / abbreviation"),
    ("區總", "synonym / abbreviation"),
)

VARIANTS = ("plain", "tokens added", "tokens only")


# The comparison: pure functions, tested on a tiny case.


@dataclass
class Outcome:
    """One query: the records (their paths) each search found, and the bytes
    Pagefind downloaded for it."""

    query: str
    category: str
    live: frozenset[str]
    found: frozenset[str]
    bytes: int = 0
    code_bytes: int = 0  # of which Pagefind's code (script, worker, WebAssembly)

    @property
    def missed(self) -> frozenset[str]:
        return self.live - self.found

    @property
    def extra(self) -> frozenset[str]:
        return self.found - self.live


@dataclass
class Score:
    """Recall and precision over (query, record) pairs: every record the
    live search finds for a query counts once."""

    queries: int
    live: int
    found: int
    hits: int
    exact: int
    missed_by_category: dict[str, tuple[int, int]] = field(default_factory=dict)  # category: (missed, of)
    extra_by_category: dict[str, int] = field(default_factory=dict)  # found, but not by the live search
    bytes_median: int = 0
    bytes_max: int = 0
    code_bytes: int = 0  # the median

    @property
    def recall(self) -> float:
        return self.hits / self.live if self.live else 1.0

    @property
    def precision(self) -> float:
        return self.hits / self.found if self.found else 1.0


def score(outcomes: Iterable[Outcome]) -> Score:
    outcomes = list(outcomes)
    by_category: dict[str, tuple[int, int]] = {}
    extra: dict[str, int] = {}
    for outcome in outcomes:
        missed, of = by_category.get(outcome.category, (0, 0))
        by_category[outcome.category] = (missed + len(outcome.missed), of + len(outcome.live))
        extra[outcome.category] = extra.get(outcome.category, 0) + len(outcome.extra)
    sizes = [outcome.bytes for outcome in outcomes] or [0]
    return Score(
        queries=len(outcomes),
        live=sum(len(outcome.live) for outcome in outcomes),
        found=sum(len(outcome.found) for outcome in outcomes),
        hits=sum(len(outcome.live & outcome.found) for outcome in outcomes),
        exact=sum(outcome.live == outcome.found for outcome in outcomes),
        missed_by_category=by_category,
        extra_by_category=extra,
        bytes_median=int(statistics.median(sizes)),
        bytes_max=max(sizes),
        code_bytes=int(statistics.median([outcome.code_bytes for outcome in outcomes] or [0])),
    )


def gzip_size(data: bytes) -> int:
    """What the file costs over the wire: Pagefind's index files are gzip
    already (sent as they are); anything else as gzip -9 would send it."""
    if data[:2] == b"\x1f\x8b":
        return len(data)
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def record_of(url: str, records: dict[str, str]) -> str:
    """The record a result stands for (records maps the addresses Pagefind
    gives to records); any other page stands for itself."""
    path = unquote(urlsplit(url).path)
    return records.get(path, path)


def table(scores: dict[str, Score]) -> str:
    """The comparison as a Markdown table, one column per variant."""
    names = list(scores)
    categories = list(dict.fromkeys(c for s in scores.values() for c in s.missed_by_category))
    any_score = next(iter(scores.values()))
    rows = [
        ("queries (records the live search finds)", [f"{s.queries} ({s.live})" for s in scores.values()]),
        ("recall", [f"{s.recall:.1%} ({s.hits}/{s.live})" for s in scores.values()]),
        ("precision", [f"{s.precision:.1%} ({s.hits}/{s.found})" for s in scores.values()]),
        ("queries answered exactly", [f"{s.exact}/{s.queries}" for s in scores.values()]),
        ("Pagefind's code, KB (gzip)", [f"{s.code_bytes / 1024:.0f}" for s in scores.values()]),
        ("code and index, KB per query, median (gzip)", [f"{s.bytes_median / 1024:.0f}" for s in scores.values()]),
        ("code and index, KB per query, max (gzip)", [f"{s.bytes_max / 1024:.0f}" for s in scores.values()]),
    ]
    for category in categories:
        of = any_score.missed_by_category.get(category, (0, 0))[1]
        cells = [
            f"{s.missed_by_category.get(category, (0, 0))[0]} / {s.extra_by_category.get(category, 0)}"
            for s in scores.values()
        ]
        rows.append((f"{category} ({of}): missed / more found", cells))
    lines = ["| | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    lines += [f"| {label} | " + " | ".join(cells) + " |" for label, cells in rows]
    return "\n".join(lines)


# Pagefind: finding it, preparing the pages, indexing, searching.


class PagefindMissing(Exception):
    pass


def pagefind_binary(install: bool = False) -> Path:
    """The Pagefind binary (the extended one if there is one)."""
    if os.environ.get("PAGEFIND"):
        return Path(os.environ["PAGEFIND"])
    for name in ("pagefind_extended", "pagefind"):
        found = sorted(PAGEFIND_VENV.glob(f"lib/python*/site-packages/pagefind_bin*/{name}"))
        if found:
            return found[0]
    if install:
        subprocess.run([sys.executable, "-m", "venv", str(PAGEFIND_VENV)], check=True)
        subprocess.run([str(PAGEFIND_VENV / "bin" / "pip"), "install", "--quiet", PAGEFIND_PACKAGE], check=True)
        return pagefind_binary()
    raise PagefindMissing(
        f"no Pagefind binary: set PAGEFIND, or install {PAGEFIND_PACKAGE} into {PAGEFIND_VENV} (--install)"
    )


class _Element(HTMLParser):
    """Finds the element with a given id and where it ends."""

    def __init__(self, element_id: str) -> None:
        super().__init__(convert_charrefs=False)
        self.element_id = element_id
        self.tag = ""
        self.depth = 0
        self.start: tuple[int, int] | None = None
        self.end: tuple[int, int] | None = None

    def handle_starttag(self, tag, attrs) -> None:
        if self.start is None and dict(attrs).get("id") == self.element_id:
            self.tag, self.depth, self.start = tag, 1, self.getpos()
        elif self.start is not None and self.end is None and tag == self.tag:
            self.depth += 1

    def handle_endtag(self, tag) -> None:
        if self.start is not None and self.end is None and tag == self.tag:
            self.depth -= 1
            if not self.depth:
                line, column = self.getpos()
                self.end = (line, column + len(f"</{tag}>"))


def element_html(text: str, element_id: str) -> str:
    """The outer HTML of the element with this id."""
    finder = _Element(element_id)
    finder.feed(text)
    if finder.start is None or finder.end is None:
        raise ValueError(f"no element #{element_id}")
    lines = text.splitlines(keepends=True)

    def offset(position: tuple[int, int]) -> int:
        return sum(len(line) for line in lines[: position[0] - 1]) + position[1]

    return text[offset(finder.start) : offset(finder.end)]


@dataclass(frozen=True)
class RecordPage:
    """Where Pagefind finds one record in one language: the record's own
    page, or, for a record shown as a block of a list page (its path has an
    #anchor), a page of that block alone written for Pagefind (Pagefind
    splits a page only at headings, and these blocks are not headings)."""

    record: str  # the live search's document path
    language: str  # "zh" or "en"
    source: str  # the built file it comes from, relative

    @property
    def anchor(self) -> str:
        return self.record.partition("#")[2]

    @property
    def file(self) -> str:
        """The file Pagefind indexes, relative."""
        if not self.anchor:
            return self.source
        prefix = "en/" if self.language == "en" else ""
        page = self.record.partition("#")[0].strip("/").replace("/", "-")
        return f"{prefix}_records/{page}-{self.anchor}/index.html"

    @property
    def url(self) -> str:
        """The address Pagefind gives the result."""
        return "/" + self.file.removesuffix("index.html")


def with_body(text: str, extra: str = "", main_indexed: bool = True) -> str:
    """A record's page marked for Pagefind: its <main> indexed (or not),
    and `extra` (hidden index text) inside <main>, indexed."""
    head, found, rest = text.partition("<main")
    if not found:
        raise ValueError("a record page without <main>")
    opening, _, body = rest.partition(">")
    marker = " data-pagefind-body" if main_indexed else ""
    hidden = ""
    if extra:
        hidden = f"<div hidden{'' if main_indexed else ' data-pagefind-body'}>{html.escape(extra)}</div>"
    return f"{head}<main{opening}{marker}>{hidden}{body}"


def block_page(source: str, page: RecordPage) -> str:
    """A page holding only a record's block of a list page, in the list
    page's language."""
    language = "en" if page.language == "en" else "zh-Hans"
    return (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8"><title>{page.anchor}</title></head>'
        f'<body><main id="main">{element_html(source, page.anchor)}</main></body></html>'
    )


def prepare(site: Path, out: Path, pages: list[RecordPage], tokens: dict[str, str] | None, tokens_only: bool) -> None:
    """A copy of the built site with the record pages marked for Pagefind;
    tokens maps a record to its analyzer tokens, added to its Chinese page."""
    shutil.copytree(site, out)
    for page in pages:
        text = (site / page.source).read_text()
        if page.anchor:
            text = block_page(text, page)
        extra = (tokens or {}).get(page.record, "") if page.language == "zh" else ""
        if tokens_only and not extra:
            continue  # not indexed at all
        file = out / page.file
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(with_body(text, extra, main_indexed=not tokens_only))
    (out / HARNESS).write_text(
        '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><title>pagefind</title></head>'
        "<body></body></html>"
    )


def index(pagefind: Path, site: Path) -> str:
    result = subprocess.run(
        [str(pagefind), "--site", str(site), "--output-subdir", BUNDLE],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(f"pagefind failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


# The search, then the excerpts of the first screen of results (what a
# visitor waits for), then the addresses of the others.
SEARCH_JS = f"""
async ([query, shown]) => {{
  const pagefind = await import("/{BUNDLE}/pagefind.js");
  await pagefind.init();
  const search = await pagefind.search(query);
  window.results = search.results;
  return (await Promise.all(search.results.slice(0, shown).map((r) => r.data()))).map((d) => d.url);
}}
"""
REST_JS = """
async (shown) => (await Promise.all(window.results.slice(shown).map((r) => r.data()))).map((d) => d.url)
"""


@functools.cache
def _size_of(file: Path) -> int:
    return gzip_size(file.read_bytes())


def serve(site: Path) -> ThreadingHTTPServer:
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def search_all(site: Path, queries: list[str]) -> list[tuple[list[str], int, int]]:
    """Each query typed into Pagefind on the Chinese harness page, each in
    a fresh browser context (a cold cache): the result addresses, the
    bytes downloaded for the first screen, and of those Pagefind's code. Runs Playwright in a thread of
    its own, so its event loop never sits in the caller's thread."""
    with concurrent.futures.ThreadPoolExecutor(1) as executor:
        return executor.submit(_search_all, site, queries).result()


def _search_all(site: Path, queries: list[str]) -> list[tuple[list[str], int, int]]:
    from playwright.sync_api import sync_playwright

    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    answers = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for query in queries:
                context = browser.new_context()
                requested: list[str] = []  # the page's and its worker's
                context.on("request", lambda request, requested=requested: requested.append(request.url))
                page = context.new_page()
                page.goto(f"{base}/{HARNESS}")
                first = page.evaluate(SEARCH_JS, [query, SHOWN])
                downloaded = code = 0
                for url in dict.fromkeys(requested):
                    path = unquote(urlsplit(url).path)
                    if path.startswith(f"/{BUNDLE}/"):
                        size = _size_of(site / path.lstrip("/"))
                        downloaded += size
                        code += 0 if path.endswith(INDEX_FILES) else size
                rest = page.evaluate(REST_JS, SHOWN)
                context.close()
                answers.append((first + rest, downloaded, code))
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return answers


def tokens_query(query: str) -> str:
    """The query as our analyzer's tokens: what the tokens-only variant
    hands Pagefind."""
    from portal.text import query_terms

    return " ".join(token for term in query_terms(query) for token in term.tokens)


def compare(
    site: Path,
    cases: list[tuple[str, str, frozenset[str]]],
    records: dict[str, str],
    rewrite: Callable[[str], str] = lambda query: query,
) -> list[Outcome]:
    """Pagefind's answers (on an indexed site) against the live ones:
    cases are (query, category, the live search's records); records maps
    Pagefind's result addresses to records."""
    answers = search_all(site, [rewrite(query) for query, _, _ in cases])
    return [
        Outcome(query, category, live, frozenset(record_of(url, records) for url in urls), downloaded, code)
        for (query, category, live), (urls, downloaded, code) in zip(cases, answers, strict=True)
    ]


# The real data.


def benchmark_queries() -> list[tuple[str, str]]:
    from bench.search_timing import build_groups

    return [(query, f"benchmark: {group.label}") for group in build_groups() for query in group.queries]


def live_side(site: Path, downloads: Path, queries: list[tuple[str, str]]):
    """Build the site of the real fixtures and ask the live search every
    query, inside a transaction that is rolled back: the record pages, each
    record's tokens, and (query, category, records found) for each query."""
    import bench.django_setup  # noqa: F401

    # isort: split
    from django.db import transaction
    from django.test.utils import override_settings

    from portal.fixtures import load_fixtures
    from portal.models import SearchDocument
    from publish.addresses import file_for
    from publish.build import build_site
    from search.query import matching, parse

    cache = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pagefind"}}
    with transaction.atomic(), override_settings(DOWNLOADS_DIR=downloads, CACHES=cache):
        load_fixtures()
        build_site(site, "https://static.example.org")
        pages: list[RecordPage] = []
        tokens: dict[str, str] = {}
        for document in SearchDocument.objects.order_by("id"):
            address = document.path.partition("#")[0]
            pages.append(RecordPage(document.path, "zh", file_for(address)))
            pages.append(RecordPage(document.path, "en", file_for("/en" + address)))
            tokens[document.path] = " ".join([document.head, document.pinyin, document.body])
        cases = [(query, category, frozenset(d.path for d in matching(parse(query)))) for query, category in queries]
        transaction.set_rollback(True)
    return pages, tokens, cases


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--install", action="store_true", help=f"install {PAGEFIND_PACKAGE} if it is missing")
    parser.add_argument("--variants", nargs="*", default=list(VARIANTS), choices=VARIANTS)
    parser.add_argument("--limit", type=int, default=0, help="only the first N queries (a quick look)")
    parser.add_argument("--misses", type=int, default=8, help="queries with different answers to list per variant")
    return parser


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    try:
        pagefind = pagefind_binary(install=args.install)
    except PagefindMissing as error:
        sys.exit(f"error: {error}")
    version = subprocess.run([str(pagefind), "--version"], capture_output=True, text=True, check=True).stdout
    print(f"Pagefind: {pagefind.name} {version.split()[-1]}; Chromium: {CHROMIUM}")
    unique: dict[str, str] = {}  # each query once, with the first category it comes with
    for query, category in [*TEST_QUERIES, *benchmark_queries()]:
        unique.setdefault(query, category)
    queries = list(unique.items())
    if args.limit:
        queries = queries[: args.limit]
    with tempfile.TemporaryDirectory(prefix="pagefind-") as work:
        work = Path(work)
        pages, tokens, cases = live_side(work / "site", work / "downloads", queries)
        records = {page.url: page.record for page in pages}
        print(f"Records: {len(tokens)} (pages indexed: {len(pages)}, both languages); queries: {len(cases)}")
        scores: dict[str, Score] = {}
        for variant in args.variants:
            folder = work / variant.replace(" ", "-")
            prepare(work / "site", folder, pages, tokens if variant != "plain" else None, variant == "tokens only")
            report = index(pagefind, folder)
            indexed = "; ".join(line.strip() for line in report.splitlines() if line.strip().startswith("Indexed"))
            rewrite = tokens_query if variant == "tokens only" else (lambda query: query)
            outcomes = compare(folder, cases, records, rewrite)
            scores[variant] = score(outcomes)
            print(f"\n{variant}: {indexed}. Queries whose answers differ:")
            for outcome in [o for o in outcomes if o.live != o.found][: args.misses]:
                print(
                    f"  {outcome.query!r} ({outcome.category}): missed {len(outcome.missed)} of {len(outcome.live)},"
                    f" {len(outcome.extra)} more found"
                )
        print()
        print(table(scores))


if __name__ == "__main__":
    main()
