"""The tables the portal hands out: one per kind of public record, each a
list of columns with a stable key (JSON, and the file names in the /data/
zip), a translated header (CSV and Excel) and how to read the value from a
record. List-page exports and the whole-dataset download both use them, so
a column means the same wherever it appears."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import batched

from django.db.models import Prefetch, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from craftsmen.models import Academy, AcademyType, Person, PilotCategory, Tier, TierCount
from exhibits.models import Exhibit
from portal.models import (
    Citation,
    Event,
    Figure,
    Organisation,
    Place,
    Programme,
    Report,
    SearchDocument,
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


def _citations(record) -> Citations:
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
        for c in sorted(citations, key=lambda c: (c.report.order, c.paragraph, c.order, c.pk))
    )


def _in_language(record, field: str) -> str:
    """A text in the language the dataset is built in (as the description is)."""
    english = getattr(record, f"{field}_en", "")
    return english if english_requested() and english else getattr(record, field)


def _name(related) -> str:
    return related.display_name if may_show(related) else ""


def _names(records: Iterable) -> str:
    return "、".join(r.display_name for r in records if may_show(r))


def _number(value: Decimal | None) -> int | Decimal | None:
    """200.00 as 200, 1.50 as 1.5; nothing as an empty cell (null in JSON)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value.normalize()


def _url(record) -> str:
    path = record.get_absolute_url()
    return record.base_url + path if path else ""


def _cited(*lookups: str | Prefetch) -> tuple:
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
        Column("url", _("网址"), _url),
        Column("citations", _("出处"), _citations),
    ]


def _table(key, title, description, columns, queryset) -> Dataset:
    return Dataset(key, title, description, [*_common_head(), *columns, *_common_tail()], queryset)


def _exhibits() -> QuerySet:
    return (
        Exhibit.objects.published()
        .select_related("kind", "area", "organisation")
        .prefetch_related(
            *_cited("sectors", Prefetch("makers", queryset=Person.objects.published().select_related("tier")))
        )
        .order_by("order", "slug")
    )


EXHIBITS = _table(
    "exhibits",
    _("展品"),
    _("展出的职工创新成果：类别、领域、展示区域、研发者及其梯队、单位。"),
    [
        Column("kind", _("类别"), lambda r: _name(r.kind)),
        Column("sectors", _("领域"), lambda r: _names(r.sectors.all())),
        Column("area", _("展示区域"), lambda r: _name(r.area)),
        Column("makers", _("研发者"), lambda r: _names(r.makers.all()) or _in_language(r, "makers_as_written")),
        Column("maker_tiers", _("研发者梯队"), lambda r: _names({m.tier for m in r.makers.all() if m.tier})),
        Column("organisation", _("单位"), lambda r: _name(r.organisation)),
    ],
    _exhibits,
)

PEOPLE = _table(
    "people",
    _("人物"),
    _("报道点名的人物：职务称号、工匠梯队及其依据、单位。"),
    [
        Column("title", _("职务、称号"), lambda r: r.title),
        Column("title_en", _("职务、称号（英文）"), lambda r: r.title_en),
        Column("tier", _("工匠梯队"), lambda r: _name(r.tier)),
        Column("tier_basis", _("梯队依据"), lambda r: r.get_tier_basis_display() if r.tier_basis and r.tier else ""),
        Column("organisation", _("单位"), lambda r: _name(r.organisation)),
    ],
    lambda: (
        Person.objects.published()
        .select_related("tier", "organisation")
        .prefetch_related(*_cited())
        .order_by("tier__rank", "order", "slug")
    ),
)

TIERS = _table(
    "tiers",
    _("工匠梯队"),
    _("工匠梯队的各级：层级与次序。"),
    [
        Column("scope", _("层级"), lambda r: r.get_scope_display()),
        Column("rank", _("梯队次序"), lambda r: r.rank),
    ],
    lambda: Tier.objects.published().prefetch_related(*_cited()).order_by("rank", "order", "slug"),
)

TIER_COUNTS = _table(
    "tier_counts",
    _("梯队人数"),
    _("报道给出的各梯队人数：按地区或按培训班次。"),
    [
        Column("tier", _("工匠梯队"), lambda r: _name(r.tier)),
        Column("place", _("地区"), lambda r: _name(r.place)),
        Column("event", _("活动"), lambda r: _name(r.event)),
        Column("count", _("人数"), lambda r: r.count),
        Column("unit", _("量词"), lambda r: r.unit),
        Column("phrase", _("原文表述"), lambda r: r.phrase),
    ],
    lambda: (
        TierCount.objects.published()
        .select_related("tier", "place", "event")
        .prefetch_related(*_cited())
        .order_by("tier__rank", "order", "slug")
    ),
)

PILOT_CATEGORIES = _table(
    "pilot_categories",
    _("试点单位"),
    _("产业工人队伍建设改革试点单位：各批次的类别与数量（报道未点名具体单位）。"),
    [
        Column("batch", _("批次"), lambda r: r.batch.display_name),
        Column("count", _("数量"), lambda r: r.count),
        Column("unit", _("量词"), lambda r: r.unit),
        Column("phrase", _("原文表述"), lambda r: r.phrase),
    ],
    lambda: (
        PilotCategory.objects.published()
        .select_related("batch")
        .prefetch_related(*_cited())
        .order_by("batch__order", "batch__number", "order", "slug")
    ),
)

ACADEMIES = _table(
    "academies",
    _("工匠学院"),
    _("报道点名的工匠学院：类型、机构、认定与认定单位。"),
    [
        Column("academy_type", _("类型"), lambda r: _name(r.academy_type)),
        Column("organisation", _("机构"), lambda r: _name(r.organisation)),
        Column("recognition", _("认定、荣誉"), lambda r: r.recognition),
        Column("recognition_en", _("认定、荣誉（英文）"), lambda r: r.recognition_en),
        Column("recognised_by", _("认定单位"), lambda r: _name(r.recognised_by)),
    ],
    lambda: (
        Academy.objects.published()
        .select_related("academy_type", "organisation", "recognised_by")
        .prefetch_related(*_cited())
        .order_by("order", "slug")
    ),
)

ACADEMY_TYPES = _table(
    "academy_types",
    _("工匠学院类型"),
    _("30家工匠学院按类型的数量。"),
    [
        Column("count", _("数量"), lambda r: r.count),
        Column("unit", _("量词"), lambda r: r.unit),
        Column("phrase", _("原文表述"), lambda r: r.phrase),
    ],
    lambda: AcademyType.objects.published().prefetch_related(*_cited()).order_by("order", "slug"),
)

EVENTS = _table(
    "events",
    _("活动"),
    _("大会、训练营、座谈会、推进会与行动：类型、所属活动、日期、地点、主题、主办单位。"),
    [
        Column("kind", _("类型"), lambda r: r.get_kind_display()),
        Column("parent", _("所属活动"), lambda r: _name(r.parent)),
        Column("date_as_written", _("日期（原文）"), lambda r: r.date_as_written),
        Column("date_as_written_en", _("日期（英文）"), lambda r: r.date_as_written_en),
        Column("start_date", _("开始日期"), lambda r: r.start_date.isoformat() if r.start_date else ""),
        Column("end_date", _("结束日期"), lambda r: r.end_date.isoformat() if r.end_date else ""),
        Column("place", _("地点"), lambda r: _name(r.place)),
        Column("theme", _("主题"), lambda r: r.theme),
        Column("theme_en", _("主题（英文）"), lambda r: r.theme_en),
        Column("hosts", _("主办单位"), lambda r: _names(r.hosts.all())),
    ],
    lambda: (
        Event.objects.published()
        .select_related("place", "parent")
        .prefetch_related(*_cited(Prefetch("hosts", queryset=Organisation.objects.published())))
        .order_by("order", "slug")
    ),
)

PROGRAMMES = _table(
    "programmes",
    _("工作举措"),
    _("改革、工程、行动与文件：类型与相关组织机构。"),
    [
        Column("kind", _("类型"), lambda r: r.get_kind_display()),
        Column("organisations", _("相关组织机构"), lambda r: _names(r.organisations.all())),
    ],
    lambda: (
        Programme.objects.published()
        .prefetch_related(*_cited(Prefetch("organisations", queryset=Organisation.objects.published())))
        .order_by("order", "slug")
    ),
)

ORGANISATIONS = _table(
    "organisations",
    _("组织机构"),
    _("工会、党政机关、企业、院校、媒体与场馆：类型、简称、上级单位、所在地。"),
    [
        Column("kind", _("类型"), lambda r: r.get_kind_display()),
        Column("short_names", _("报道中的简称"), lambda r: r.short_names),
        Column("parent", _("上级单位"), lambda r: _name(r.parent)),
        Column("place", _("所在地"), lambda r: _name(r.place)),
    ],
    lambda: (
        Organisation.objects.published()
        .select_related("parent", "place")
        .prefetch_related(*_cited())
        .order_by("order", "slug")
    ),
)

PLACES = _table(
    "places",
    _("地点"),
    _("报道提到的地区：类型与上级。"),
    [
        Column("kind", _("类型"), lambda r: r.get_kind_display()),
        Column("parent", _("上级"), lambda r: _name(r.parent)),
    ],
    lambda: Place.objects.published().select_related("parent").prefetch_related(*_cited()).order_by("order", "slug"),
)

FIGURES = _table(
    "figures",
    _("数字"),
    _("报道中的全部数字：数值、单位、精确程度与原文表述。"),
    [
        Column("topic", _("主题"), lambda r: r.get_topic_display()),
        Column("value", _("数值"), lambda r: _number(r.value)),
        Column("value_max", _("区间上限"), lambda r: _number(r.value_max)),
        Column("unit", _("计量单位"), lambda r: r.unit),
        Column("unit_en", _("英文单位"), lambda r: r.unit_en),
        Column("precision", _("精确程度"), lambda r: r.get_precision_display()),
        Column("printed", _("数字原文"), lambda r: r.printed),
        Column("phrase", _("原文表述"), lambda r: r.phrase),
        Column("event", _("相关活动"), lambda r: _name(r.event)),
        Column("organisation", _("相关组织机构"), lambda r: _name(r.organisation)),
    ],
    lambda: (
        Figure.objects.published()
        .select_related("event", "organisation")
        .prefetch_related(*_cited())
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
        Column("url", _("网址"), _url),
    ],
    lambda: Report.objects.order_by("order", "file_name"),
)

# Everything in the /data/ download, in this order.
ALL = [
    EXHIBITS,
    PEOPLE,
    TIERS,
    TIER_COUNTS,
    PILOT_CATEGORIES,
    ACADEMIES,
    ACADEMY_TYPES,
    EVENTS,
    PROGRAMMES,
    ORGANISATIONS,
    PLACES,
    FIGURES,
    REPORTS,
]
BY_KEY = {dataset.key: dataset for dataset in ALL}


# --------------------------------------------------------------------------
# Search results: documents, with the citations of the records behind them.


def _search_citations(documents: list[SearchDocument]) -> dict[tuple[int, int], Citations]:
    by_type: dict[int, list[int]] = {}
    for document in documents:
        by_type.setdefault(document.content_type_id, []).append(document.object_id)
    condition = Q(pk__in=[])
    for content_type_id, ids in by_type.items():
        condition |= Q(content_type_id=content_type_id, object_id__in=ids)
    found: dict[tuple[int, int], list[Citation]] = {}
    for citation in Citation.objects.filter(condition).select_related("report"):
        found.setdefault((citation.content_type_id, citation.object_id), []).append(citation)
    return {key: citations_cell(items) for key, items in found.items()}


def _search_kind(document: SearchDocument) -> str:
    from portal import search

    kind = search.KIND_BY_KEY.get(document.kind)
    return str(kind.label) if kind else document.kind


SEARCH_RESULTS = Dataset(
    "search",
    _("搜索结果"),
    "",
    [
        Column("kind", _("类型"), _search_kind),
        Column("name", _("名称"), lambda d: d.title),
        Column("name_en", _("英文名称"), lambda d: d.title_en),
        Column("text", _("简介"), lambda d: (d.text_en if d.english and d.text_en else d.text).split("\n", 1)[0]),
        Column("url", _("网址"), lambda d: d.base_url + ("/en" if d.english else "") + d.path),
        Column("citations", _("出处"), lambda d: d.found_citations),
    ],
    lambda: SearchDocument.objects.none(),
)


def search_rows(queryset: QuerySet, base_url: str, english: bool) -> Iterator[list[object]]:
    """Search results as rows: one query per chunk of documents for the
    citations of the records behind them (documents hold no citations)."""
    for chunk in batched(queryset.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
        citations = _search_citations(list(chunk))
        for document in chunk:
            document.base_url = base_url
            document.english = english
            document.found_citations = citations.get((document.content_type_id, document.object_id), Citations())
            yield [column.value(document) for column in SEARCH_RESULTS.columns]
