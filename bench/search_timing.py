"""Time search the way the search page runs it, and check its recall.

A fixed set of queries (built from the synthetic-data vocabulary with a
fixed seed, so it is the same on every run and every database) goes through
`parse`, `counts_by_kind` and the first page of `matching`, materialised,
exactly as the search page does; each is timed with time.perf_counter.
Single Chinese characters, which match far more, are reported as a group of
their own and left out of the overall figures.

Recall: for a random sample of documents, every document whose stored text
contains a Chinese query (or has a word starting with an English query
word), by a plain Python scan of the normalized text, must be among the
results. Extra results are allowed (e.g. matches in the inferred note,
which is indexed but not stored). It fails unless recall is 100%.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 python -m bench.search_timing
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

import bench.django_setup  # noqa: F401  (before any model is imported)

# isort: split
from django.db import connection
from django.db.models import Count
from django.test.utils import override_settings
from pypinyin import Style, lazy_pinyin

from bench import BenchError, synthetic
from portal.caching import current_version
from portal.models import SearchDocument
from portal.text import SURNAME_PINYIN, is_cjk, normalize, runs
from search.index import rebuild
from search.kinds import KINDS
from search.query import SearchResults, counts_by_kind, filtered, parse
from search.schema import ensure_search_schema

QUERY_SEED = 20260601  # fixed: the query set never changes with --seed
PAGE_SIZE = 20  # portal.pages.SEARCH_PAGE_SIZE
# Words every synthetic record carries (its label and note): a benchmark of
# them would measure the label, not the search.
LABEL_WORDS = {"合成", "测试", "数据", "真实", "报道", "synthetic", "test", "data", "not", "real", "report"}
LABEL_PINYIN = ("hecheng", "hc")


@dataclass
class Group:
    key: str
    label: str
    queries: list[str]
    chinese: bool = False  # recall-checked by substring
    english: bool = False  # recall-checked by word prefix
    overall: bool = True  # counted in the overall figures
    timings: dict[str, list[float]] = field(default_factory=dict)  # phase -> seconds
    hits: list[int] = field(default_factory=list)
    cold: list[float] = field(default_factory=list)  # the warm-up run of each query
    per_query: dict[str, list[dict[str, float]]] = field(default_factory=dict)  # query -> phases of each run


def _spaced(items: list, count: int) -> list:
    """`count` items spread evenly over a list ordered most common first,
    so a group runs from frequent to rare words."""
    if count >= len(items):
        return list(items)
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def _unique(items) -> list:
    return list(dict.fromkeys(items))


def _pinyin(text: str, surname: bool = False) -> list[str]:
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="ignore")
    if surname and text[0] in SURNAME_PINYIN:
        syllables[0] = SURNAME_PINYIN[text[0]]
    return syllables


def _not_label(query: str) -> bool:
    folded = normalize(query)
    if any(word in folded for word in LABEL_WORDS if is_cjk(word)):
        return False
    words = folded.split()
    if any(word in LABEL_WORDS or any(label.startswith(word) for label in LABEL_WORDS) for word in words):
        return False
    return not any(label.startswith(word) for label in LABEL_PINYIN for word in words)


def build_groups() -> list[Group]:
    """The fixed query set: 240 queries in six groups."""
    rng = random.Random(QUERY_SEED)
    words = [zh for zh, _ in synthetic.vocabulary() if _not_label(zh)]
    two = _unique(w for w in words if len(w) == 2)
    longer_words = _unique(w for w in words if 3 <= len(w) <= 6)

    # Longer substrings: whole long words, the compounds names are built
    # from, and windows that cut across word boundaries.
    compounds = []
    for _ in range(200):
        material, process, device = synthetic.MATERIAL(rng)[0], synthetic.PROCESS(rng)[0], synthetic.DEVICE(rng)[0]
        adjective = synthetic.ADJECTIVE(rng)[0]
        place, industry = rng.choice(synthetic.PLACES)[0], rng.choice(synthetic.INDUSTRIES)[0]
        compounds += [material + process, material + process + device, adjective + material, place + industry]
    windows = []
    for compound in compounds[1::4]:
        start = 1
        length = rng.randint(3, 5)
        if len(compound) - start >= length:
            windows.append(compound[start : start + length])
    longer = _unique(
        _spaced(longer_words, 12) + [c for c in _unique(compounds) if 3 <= len(c) <= 6][:20] + _unique(windows)[:8]
    )[:40]

    # Person names: common two-character names, three-character full names,
    # their parts (surname + first given character, the given name alone),
    # and Mongolian names whole and in part.
    full_names: list[str] = []
    while len(full_names) < 60:
        name = synthetic.SURNAME(rng) + synthetic.GIVEN_CHAR(rng) + synthetic.GIVEN_CHAR(rng)
        full_names = _unique([*full_names, name])
    mongolian = _spaced(synthetic.MONGOLIAN_NAMES, 6)
    name_queries = _unique(
        full_names[:14]
        + [name[:2] for name in full_names[14:26]]  # surname and first given character
        + [name[1:] for name in full_names[26:30]]  # the given name alone
        + mongolian
        + [name[:2] for name in mongolian[:4]]
        + full_names[30:]  # more full names where parts coincided
    )[:40]

    # Pinyin: person names unspaced, spaced and as initials; words unspaced
    # and cut short.
    pinyin = []
    for name in full_names[:30]:
        syllables = _pinyin(name, surname=True)
        pinyin += ["".join(syllables), f"{syllables[0]} {''.join(syllables[1:])}", "".join(s[0] for s in syllables)]
    pinyin = pinyin[:10] + pinyin[31:39] + pinyin[62:70]
    for word in _spaced(two, 14):
        syllables = _pinyin(word)
        pinyin.append("".join(syllables))
        pinyin.append("".join(syllables)[:-1])
    pinyin = _unique(p for p in pinyin if _not_label(p))[:40]

    english_words = _unique(
        word.lower()
        for _, en in synthetic.vocabulary()
        for word in en.replace("-", " ").split()
        if len(word) >= 4 and word.isalpha() and _not_label(word)
    )
    english = _unique(_spaced(english_words, 18) + [w[: max(3, len(w) - 3)] for w in _spaced(english_words[1:], 12)])
    english = [q for q in english if _not_label(q)][:30]

    characters = _unique(ch for zh, _ in synthetic.vocabulary() for ch in zh if ch not in "合成测试数据真实报道")
    single = _spaced(_unique(characters + list(synthetic.SURNAMES[:20])), 30)

    return [
        Group("two", "two-character words", _spaced(two, 60), chinese=True),
        Group("longer", "substrings of 3-6 characters", longer, chinese=True),
        Group("names", "person names and parts", name_queries, chinese=True),
        Group("pinyin", "pinyin (joined, spaced, initials)", pinyin),
        Group("english", "English words and prefixes", english, english=True),
        Group("single", "single characters", single, chinese=True, overall=False),
    ]


def select(groups: list[Group], count: int) -> None:
    """Keep `count` queries, taken evenly from every group."""
    ranked = sorted(
        ((index + 0.5) / len(group.queries), position, index)
        for position, group in enumerate(groups)
        for index in range(len(group.queries))
    )
    keep = Counter(position for _, position, _ in ranked[:count])
    for position, group in enumerate(groups):
        group.queries = group.queries[: keep[position]]


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def run_query(query: str) -> tuple[dict[str, float], int]:
    """The search page's work for one query: parse, the counts per kind
    (with the one read of the content version a request makes), and the
    first page of results, materialised."""
    started = time.perf_counter()
    parsed = parse(query)
    parsed_at = time.perf_counter()
    version = current_version()[0]
    counts = counts_by_kind(parsed, version)
    counted_at = time.perf_counter()
    page = SearchResults(parsed, counts=counts, version=version)[:PAGE_SIZE]
    finished = time.perf_counter()
    assert len(page) == min(PAGE_SIZE, sum(counts.values()))
    phases = {
        "parse": parsed_at - started,
        "counts": counted_at - parsed_at,
        "page": finished - counted_at,
        "total": finished - started,
    }
    return phases, sum(counts.values())


DESCRIPTION = "Time search as the search page runs it, over a fixed query set, and check its recall (must be 100%)."


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench.search_timing", description=DESCRIPTION)
    parser.add_argument("--queries", type=int, default=240, help="How many of the fixed queries to run.")
    parser.add_argument("--repeat", type=int, default=3, help="Timed runs of every query (after one warm-up).")
    parser.add_argument("--sample", type=int, default=2000, help="Documents in the recall check (0: every document).")
    parser.add_argument("--seed", type=int, default=1, help="Seed for the recall sample.")
    parser.add_argument("--skip-rebuild", action="store_true", help="Do not rebuild the index first.")
    parser.add_argument("--slowest", type=int, default=10, help="List this many of the slowest queries.")
    return parser


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    try:
        run(args.queries, args.repeat, args.sample, args.seed, args.skip_rebuild, args.slowest)
    except BenchError as error:
        sys.exit(f"error: {error}")


def run(queries: int, repeat: int, sample: int, seed: int, skip_rebuild: bool, slowest: int) -> None:
    groups = build_groups()
    available = sum(len(group.queries) for group in groups)
    if not 1 <= queries <= available:
        raise BenchError(f"--queries must be between 1 and {available}.")
    if repeat < 1:
        raise BenchError("--repeat must be at least 1.")
    select(groups, queries)
    groups = [group for group in groups if group.queries]

    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    if skip_rebuild:
        rebuilt = None
        ensure_search_schema()
    else:
        started = time.perf_counter()
        rebuild()
        rebuilt = time.perf_counter() - started
    if connection.vendor == "postgresql":
        # What autovacuum does shortly after a rebuild: fresh planner
        # statistics and an empty GIN pending list (VACUUM cannot run in
        # a transaction, as under the tests).
        with connection.cursor() as cursor:
            vacuum = "" if connection.in_atomic_block else "VACUUM "
            cursor.execute(f"{vacuum}ANALYZE portal_searchdocument")
    documents = dict(SearchDocument.objects.order_by().values("kind").annotate(n=Count("id")).values_list("kind", "n"))
    total = sum(documents.values())
    print(
        f"Documents: {total} ("
        + ", ".join(f"{kind.key} {documents[kind.key]}" for kind in KINDS if documents.get(kind.key))
        + ")"
    )
    print("Rebuild: " + ("skipped" if rebuilt is None else f"{rebuilt:.1f} s"))

    with override_settings(DEBUG=False):  # no query logging, as in production
        time_queries(groups, repeat)
    report_timings(groups, repeat)
    report_slowest(groups, slowest)
    check_recall(groups, sample, seed)


# ------------------------------------------------------------------
# Timing


def time_queries(groups: list[Group], repeat: int) -> None:
    for group in groups:
        for query in group.queries:
            phases, hits = run_query(query)  # warm-up
            group.hits.append(hits)
            group.cold.append(phases["total"])
    for _ in range(repeat):
        for group in groups:
            for query in group.queries:
                phases, _ = run_query(query)
                group.per_query.setdefault(query, []).append(phases)
                for phase, seconds in phases.items():
                    group.timings.setdefault(phase, []).append(seconds)


def report_timings(groups: list[Group], repeat: int) -> None:
    count = sum(len(group.queries) for group in groups)
    print(
        f"Queries: {count} in {len(groups)} groups; {repeat} timed run(s) of each after one warm-up run; "
        "times in ms for parse + counts_by_kind + first page of 20"
    )
    print(
        "p50/p95/max: over every timed run. best p50/p95: over each query's fastest run, which leaves out "
        "most of the waiting for a CPU when other work shares the machine."
    )
    header = (
        f"{'group':<38}{'queries':>8}{'median hits':>12}{'p50':>9}{'p95':>9}{'max':>9}{'best p50':>10}{'best p95':>10}"
    )
    print(header)
    print("-" * len(header))
    for group in groups:
        print(row(group.label, len(group.queries), group.hits, group.timings["total"], group))
    overall = [group for group in groups if group.overall]
    if overall:
        print("-" * len(header))
        print(
            row(
                "overall, excluding single characters",
                sum(len(group.queries) for group in overall),
                [hit for group in overall for hit in group.hits],
                [seconds for group in overall for seconds in group.timings["total"]],
                *overall,
            )
        )
    cold = [seconds for group in overall for seconds in group.cold]
    if cold:
        print(
            f"First (warm-up) run of each query, nothing cached yet, excluding single characters: "
            f"p50 {percentile(cold, 0.5) * 1000:.2f}, p95 {percentile(cold, 0.95) * 1000:.2f}, "
            f"max {max(cold) * 1000:.2f} ms"
        )

    print("")
    print("Where the time goes (p50 / p95 ms):")
    header = f"{'group':<38}{'parse':>16}{'counts_by_kind':>16}{'first page':>16}"
    print(header)
    for group in groups:
        cells = ""
        for phase in ("parse", "counts", "page"):
            seconds = group.timings[phase]
            cells += f"{percentile(seconds, 0.5) * 1000:>8.2f}/{percentile(seconds, 0.95) * 1000:<7.2f}"
        print(f"{group.label:<38}{cells}")


def report_slowest(groups: list[Group], count: int) -> None:
    if count <= 0:
        return
    rows = []
    for group in groups:
        for query, hits in zip(group.queries, group.hits, strict=True):
            runs = group.per_query[query]
            median = {phase: statistics.median(run[phase] for run in runs) * 1000 for phase in runs[0]}
            rows.append((median["total"], query, group.label, hits, median))
    rows.sort(reverse=True)
    print("")
    print(f"Slowest {min(count, len(rows))} queries (median ms over the timed runs):")
    print(f"{'query':<16}{'group':<38}{'hits':>8}{'total':>9}{'parse':>8}{'counts':>8}{'page':>8}")
    for total, query, label, hits, median in rows[:count]:
        print(
            f"{query:<16}{label:<38}{hits:>8}{total:>9.2f}{median['parse']:>8.2f}"
            f"{median['counts']:>8.2f}{median['page']:>8.2f}"
        )


def row(label: str, queries: int, hits: list[int], seconds: list[float], *groups: Group) -> str:
    best = [min(run["total"] for run in runs) for group in groups for runs in group.per_query.values()]
    return (
        f"{label:<38}{queries:>8}{statistics.median(hits):>12.0f}"
        f"{percentile(seconds, 0.5) * 1000:>9.2f}{percentile(seconds, 0.95) * 1000:>9.2f}"
        f"{max(seconds) * 1000:>9.2f}{percentile(best, 0.5) * 1000:>10.2f}{percentile(best, 0.95) * 1000:>10.2f}"
    )


# ------------------------------------------------------------------
# Recall


def check_recall(groups: list[Group], sample: int, seed: int) -> None:
    ids = list(SearchDocument.objects.order_by("id").values_list("id", flat=True))
    if 0 < sample < len(ids):
        ids = sorted(random.Random(seed).sample(ids, sample))
    texts: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for pk, title, title_en, text, text_en in SearchDocument.objects.filter(pk__in=chunk).values_list(
            "pk", "title", "title_en", "text", "text_en"
        ):
            texts[pk] = normalize(f"{title} {title_en} {text} {text_en}")
    words = {pk: {run for run in runs(text) if not is_cjk(run)} for pk, text in texts.items()}

    expected_total = found_total = checked = 0
    misses: list[str] = []
    for group in groups:
        if not (group.chinese or group.english):
            continue
        for query in group.queries:
            checked += 1
            results = set(filtered(parse(query)).values_list("id", flat=True))
            if group.chinese:
                needle = normalize(query)
                expected = {pk for pk, text in texts.items() if needle in text}
            else:
                prefixes = runs(normalize(query))
                expected = {
                    pk
                    for pk, found in words.items()
                    if all(any(word.startswith(prefix) for word in found) for prefix in prefixes)
                }
            missed = expected - results
            expected_total += len(expected)
            found_total += len(expected) - len(missed)
            if missed:
                misses.append(f"  {query!r}: {len(missed)} of {len(expected)} missed, e.g. ids {sorted(missed)[:5]}")
    recall = 1.0 if expected_total == 0 else found_total / expected_total
    print("")
    print(
        f"Recall: {recall:.2%} ({found_total} of {expected_total} expected matches found; "
        f"{checked} Chinese and English queries against {len(texts)} sampled documents)"
    )
    if misses:
        print("\n".join(misses[:20]))
    if recall < 1:
        raise BenchError(f"Recall is {recall:.2%}, below 100%.")
    print("Recall is 100%.")


if __name__ == "__main__":
    main()
