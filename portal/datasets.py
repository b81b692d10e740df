"""The tables the portal hands out: one per kind of public record, each a
list of columns with a stable key (JSON, and the file names in the /data/
zip), a translated header (CSV and Excel) and how to read the value from a
record. List-page exports and the whole-dataset download both use them, so
a column means the same wherever it appears."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.models import (
    Citation,
    Event,
    Figure,
    Organisation,
    Place,
    Programme,
    Report,
    english_requested,
    may_show,
)

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


def table(key, title, description, columns, queryset) -> Dataset:
    return Dataset(key, title, description, [*_common_head(), *columns, *_common_tail()], queryset)


# The datasets of each app, declared by the app (portal's below, then each
# app's `datasets` module, imported by its AppConfig.ready()), each with its
# position in the /data/ download.
_DECLARED: dict[str, tuple[int, Dataset]] = {}


def declare(position: int, *datasets: Dataset) -> None:
    """Add datasets to the /data/ download, from `position` on (the first
    gets `position`, the next `position + 1`…)."""
    for offset, dataset in enumerate(datasets):
        if dataset.key in _DECLARED:
            raise ValueError(f"Dataset {dataset.key!r} is declared twice")
        _DECLARED[dataset.key] = (position + offset, dataset)


def all_datasets() -> list[Dataset]:
    """Everything in the /data/ download, in its order."""
    return [dataset for _, dataset in sorted(_DECLARED.values(), key=lambda item: item[0])]


def by_key(key: str) -> Dataset:
    return _DECLARED[key][1]


EVENTS = table(
    "events",
    _("活动"),
    _("大会、训练营、座谈会、推进会与行动：类型、所属活动、日期、地点、主题、主办单位。"),
    [
        Column("kind", _("类型"), lambda r: r.get_kind_display()),
        Column("parent", _("所属活动"), lambda r: name_of(r.parent)),
        Column("date_as_written", _("日期（原文）"), lambda r: r.date_as_written),
        Column("date_as_written_en", _("日期（英文）"), lambda r: r.date_as_written_en),
        Column("start_date", _("开始日期"), lambda r: r.start_date.isoformat() if r.start_date else ""),
        Column("end_date", _("结束日期"), lambda r: r.end_date.isoformat() if r.end_date else ""),
        Column("place", _("地点"), lambda r: name_of(r.place)),
        Column("theme", _("主题"), lambda r: r.theme),
        Column("theme_en", _("主题（英文）"), lambda r: r.theme_en),
        Column("hosts", _("主办单位"), lambda r: names_of(r.hosts.all())),
    ],
    lambda: (
        Event.objects.published()
        .select_related("place", "parent")
        .prefetch_related(*cited(Prefetch("hosts", queryset=Organisation.objects.published())))
        .order_by("order", "slug")
    ),
)

PROGRAMMES = table(
    "programmes",
    _("工作举措"),
    _("改革、工程、行动与文件：类型与相关组织机构。"),
    [
        Column("kind", _("类型"), lambda r: r.get_kind_display()),
        Column("organisations", _("相关组织机构"), lambda r: names_of(r.organisations.all())),
    ],
    lambda: (
        Programme.objects.published()
        .prefetch_related(*cited(Prefetch("organisations", queryset=Organisation.objects.published())))
        .order_by("order", "slug")
    ),
)

ORGANISATIONS = table(
    "organisations",
    _("组织机构"),
    _("工会、党政机关、企业、院校、媒体与场馆：类型、简称、上级单位、所在地。"),
    [
        Column("kind", _("类型"), lambda r: r.get_kind_display()),
        Column("short_names", _("报道中的简称"), lambda r: r.short_names),
        Column("parent", _("上级单位"), lambda r: name_of(r.parent)),
        Column("place", _("所在地"), lambda r: name_of(r.place)),
    ],
    lambda: (
        Organisation.objects.published()
        .select_related("parent", "place")
        .prefetch_related(*cited())
        .order_by("order", "slug")
    ),
)

PLACES = table(
    "places",
    _("地点"),
    _("报道提到的地区：类型与上级。"),
    [
        Column("kind", _("类型"), lambda r: r.get_kind_display()),
        Column("parent", _("上级"), lambda r: name_of(r.parent)),
    ],
    lambda: Place.objects.published().select_related("parent").prefetch_related(*cited()).order_by("order", "slug"),
)

FIGURES = table(
    "figures",
    _("数字"),
    _("报道中的全部数字：数值、单位、精确程度与原文表述。"),
    [
        Column("topic", _("主题"), lambda r: r.get_topic_display()),
        Column("value", _("数值"), lambda r: number(r.value)),
        Column("value_max", _("区间上限"), lambda r: number(r.value_max)),
        Column("unit", _("计量单位"), lambda r: r.unit),
        Column("unit_en", _("英文单位"), lambda r: r.unit_en),
        Column("precision", _("精确程度"), lambda r: r.get_precision_display()),
        Column("printed", _("数字原文"), lambda r: r.printed),
        Column("phrase", _("原文表述"), lambda r: r.phrase),
        Column("event", _("相关活动"), lambda r: name_of(r.event)),
        Column("organisation", _("相关组织机构"), lambda r: name_of(r.organisation)),
    ],
    lambda: (
        Figure.objects.published()
        .select_related("event", "organisation")
        .prefetch_related(*cited())
        .order_by("topic", "order", "slug")
    ),
)


def _credit_lines(credits: list[dict]) -> str:
    """The credit lines as printed: 文：王瑞波、张旭；图：霍日查."""
    return "；".join(f"{line['role']}：{'、'.join(n['name'] for n in line['names'])}" for line in credits)


REPORTS = Dataset(
    "reports",
    _("来源报道"),
    _("全部内容的两篇来源报道：标题、发布者、署名、日期；引用中的报道标识指向这里。"),
    [
        Column("slug", _("标识"), lambda r: r.slug),
        Column("file_name", _("文件名"), lambda r: r.file_name),
        Column("title", _("标题"), lambda r: r.title),
        Column("title_en", _("英文标题"), lambda r: r.title_en),
        Column("publisher", _("发布者"), lambda r: r.publisher),
        Column("credits", _("署名"), lambda r: _credit_lines(r.credits)),
        Column("date_as_written", _("日期（原文）"), lambda r: r.date_as_written),
        Column("date_as_written_en", _("日期（英文）"), lambda r: r.date_as_written_en),
        Column("year", _("年份"), lambda r: r.year or ""),
        Column("url", _("网址"), url_of),
    ],
    lambda: Report.objects.order_by("order", "file_name"),
)

declare(80, EVENTS, PROGRAMMES, ORGANISATIONS, PLACES, FIGURES, REPORTS)
