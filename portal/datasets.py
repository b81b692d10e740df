"""The tables the portal hands out: one per kind of public record, each a
list of columns with a stable key (JSON, and the file names in the /data/
zip), a translated header (CSV and Excel) and how to read the value from a
record. List-page exports and the whole-dataset download both use them, so
a column means the same wherever it appears."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.models import Citation, english_requested, may_show

# Rows per query (and per prefetch): small enough that the prefetched
# relations of one chunk stay a few MiB, large enough to keep queries few.
CHUNK_SIZE = 250


@dataclass(frozen=True)
class Column:
    key: str
    header: str | Promise
    value: Callable[[object], object]


@dataclass(frozen=True)
class Dataset:
    key: str
    title: str | Promise
    description: str | Promise
    columns: list[Column]
    queryset: Callable[[], QuerySet]
    # Its list page exports it: unfiltered, that export is the full download.
    exported_from_list: bool = False

    def rows(self, queryset: QuerySet, base_url: str) -> Iterator[list[object]]:
        """Each record as a list of cell values, read in chunks so memory
        stays flat however many records there are. Prefetches run once per
        chunk."""
        for record in queryset.iterator(chunk_size=CHUNK_SIZE):
            record.base_url = base_url
            yield [column.value(record) for column in self.columns]


class Citations(list):
    """The citations of one record: joined into one cell in CSV and Excel,
    a list of objects in JSON."""

    def __str__(self) -> str:
        between = ", " if english_requested() else ""
        return "；".join(f"{c['label']}{between}{c['paragraph_label']}「{c['excerpt']}」" for c in self)


def citations_of(record) -> Citations:
    return citations_cell(record.citations.all())


def citations_cell(citations: Iterable[Citation]) -> Citations:
    return Citations(
        {
            "report": c.report.slug,
            "label": c.report.short_label,
            "paragraph": c.paragraph,
            "paragraph_label": _("第%(n)s段") % {"n": c.paragraph},
            "excerpt": c.excerpt,
        }
        for c in sorted(citations, key=Citation.reading_order)
    )


def in_language(record, field: str) -> str:
    """A text in the language the dataset is built in (as the description is)."""
    english = getattr(record, f"{field}_en", "")
    return english if english_requested() and english else getattr(record, field)


def name_of(related) -> str:
    return related.display_name if may_show(related) else ""


def names_of(records: Iterable) -> str:
    return "、".join(r.display_name for r in records if may_show(r))


def number(value: Decimal | None) -> int | Decimal | None:
    """200.00 as 200, 1.50 as 1.5; nothing as an empty cell (null in JSON)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value.normalize()


def url_of(record) -> str:
    path = record.get_absolute_url()
    return record.base_url + path if path else ""


def cited(*lookups: str | Prefetch) -> tuple:
    return (*lookups, Prefetch("citations", queryset=Citation.objects.select_related("report")))


def _common_head() -> list[Column]:
    return [
        Column("slug", _("标识"), lambda r: r.slug),
        Column("name", _("名称"), lambda r: r.name),
        Column("name_en", _("英文名称"), lambda r: r.name_en),
    ]


def _common_tail() -> list[Column]:
    return [
        Column("description", _("简介"), lambda r: r.display_description),
        Column("inferred_note", _("推断说明"), lambda r: r.inferred_note),
        Column("inferred_note_en", _("推断说明（英文）"), lambda r: r.inferred_note_en),
        Column("url", _("网址"), url_of),
        Column("citations", _("出处"), citations_of),
    ]


def table(key, title, description, columns, queryset, *, exported_from_list: bool = False) -> Dataset:
    return Dataset(key, title, description, [*_common_head(), *columns, *_common_tail()], queryset, exported_from_list)


# The datasets of each app, declared by the app in its `facets` module
# (portal's own in shell/facets.py), imported by its AppConfig.ready(), each
# with its position in the /data/ download: key → (position, dataset,
# declaring module).
_DECLARED: dict[str, tuple[int, Dataset, str]] = {}


def declare(position: int, *datasets: Dataset) -> None:
    """Add datasets to the /data/ download, from `position` on (the first
    gets `position`, the next `position + 1`…)."""
    # The declaring module, for the message below and for the test that
    # each app declares its facets in one module.
    module = sys._getframe(1).f_globals["__name__"]
    for offset, dataset in enumerate(datasets):
        if dataset.key in _DECLARED:
            raise ValueError(f"Dataset {dataset.key!r} is declared twice (by {_DECLARED[dataset.key][2]} and {module})")
        _DECLARED[dataset.key] = (position + offset, dataset, module)


def all_datasets() -> list[Dataset]:
    """Everything in the /data/ download, in its order."""
    return [dataset for _, dataset, _ in sorted(_DECLARED.values(), key=lambda item: item[0])]


def by_key(key: str) -> Dataset:
    return _DECLARED[key][1]


def declared_by(dataset: Dataset) -> str:
    """The module that declared the dataset."""
    return _DECLARED[dataset.key][2]
