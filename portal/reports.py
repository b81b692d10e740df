"""The source report files and their paragraphs.

A paragraph is a non-blank line of the file, counted from 1; a line that
holds only whitespace is not a paragraph. Every citation's paragraph number
follows this rule.
"""

from functools import cache
from pathlib import Path

from django.conf import settings


def split_paragraphs(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def report_path(file_name: str) -> Path:
    return Path(settings.REPORTS_DIR) / file_name


@cache
def _read(path: Path) -> tuple[str, ...] | None:
    try:
        return tuple(split_paragraphs(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None


def paragraphs_of(file_name: str) -> list[str] | None:
    """The report's paragraphs, or None when the file is not at hand (the
    portal runs without the reports; only the checks need them)."""
    paragraphs = _read(report_path(file_name))
    return None if paragraphs is None else list(paragraphs)
