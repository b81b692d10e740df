"""fixtures/REVIEW.md, the paragraph-by-paragraph review of the data against
both reports, stays complete and current: every paragraph of each report is
listed exactly once, every record that cites a paragraph is named on that
paragraph's row, and a row names only records that cite it (or the report's
own title, subtitle or credits, where the paragraph prints them)."""

import json
import re

import pytest
from django.conf import settings

from portal.fixtures import FIXTURES_DIR, fixture_files
from portal.reports import paragraphs_of

REVIEW = settings.BASE_DIR / "fixtures" / "REVIEW.md"
ROW = re.compile(r"^\| (\d+) \| (.+?) \| (.+) \|$")
RECORD = re.compile(r"(\w+) `([\w-]+)`(?: \((title|subtitle|credits)\))?")

pytestmark = pytest.mark.usefixtures("reports")


def fixture_records() -> list[dict]:
    return [record for path in fixture_files(FIXTURES_DIR) for record in json.loads(path.read_text())]


def reports_by_slug() -> dict[str, dict]:
    return {r["slug"]: r["fields"] for r in fixture_records() if r["model"] == "portal.report"}


def review_rows() -> dict[str, list[tuple[int, str]]]:
    """{report slug: [(paragraph, coverage)]}, from each report's section,
    which names the report by its title."""
    reports = reports_by_slug()
    sections: dict[str, list[tuple[int, str]]] = {}
    current = None
    for line in REVIEW.read_text().splitlines():
        if line.startswith("## "):
            current = next((slug for slug, fields in reports.items() if fields["title"] in line), None)
            if current:
                sections[current] = []
        elif current and (match := ROW.match(line)):
            sections[current].append((int(match[1]), match[3]))
    return sections


def citing_slugs() -> dict[tuple[str, int], set[str]]:
    cited: dict[tuple[str, int], set[str]] = {}
    for record in fixture_records():
        for citation in record.get("citations", []):
            cited.setdefault((citation["report"], citation["paragraph"]), set()).add(record["slug"])
    return cited


def test_the_review_has_a_section_for_each_report():
    assert set(review_rows()) == set(reports_by_slug())


def test_the_review_lists_every_paragraph_of_each_report_exactly_once():
    for slug, rows in review_rows().items():
        count = len(paragraphs_of(reports_by_slug()[slug]["file_name"]))
        assert [number for number, _ in rows] == list(range(1, count + 1)), slug


def test_every_cited_paragraph_is_covered_and_names_every_record_that_cites_it():
    rows = {(slug, number): coverage for slug, section in review_rows().items() for number, coverage in section}
    for (report, paragraph), slugs in citing_slugs().items():
        coverage = rows[(report, paragraph)]
        assert not coverage.startswith("—"), (report, paragraph)
        named = {slug for kind, slug, _ in RECORD.findall(coverage) if kind != "report"}
        assert named == slugs, (report, paragraph, sorted(slugs ^ named))


def test_a_row_cites_nothing_only_with_a_reason_and_names_only_what_covers_it():
    cited = citing_slugs()
    reports = reports_by_slug()
    for slug, section in review_rows().items():
        text = paragraphs_of(reports[slug]["file_name"])
        for number, coverage in section:
            if coverage.startswith("—"):
                assert len(coverage) > 10, (slug, number, "say why nothing covers it")
                assert (slug, number) not in cited, (slug, number)
                continue
            found = RECORD.findall(coverage)
            assert found, (slug, number)
            for kind, target, part in found:
                if kind != "report":
                    continue
                assert target == slug, (slug, number)
                if part == "credits":
                    names = [n["name"] for line in reports[slug].get("credits", []) for n in line["names"]]
                    assert any(name in text[number - 1] for name in names), (slug, number)
                else:
                    assert reports[slug][part].lstrip("—") in text[number - 1], (slug, number)
