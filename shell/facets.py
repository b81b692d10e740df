"""portal's own kinds of record, each declared once: what the search
indexes of it (search.kinds), its tables for the list exports and the /data/
download (portal.datasets), its API resource (portal.resources) and its
sitemap section (portal.sitemap_sections). Declared here, not in portal,
because their API filters search (search is a floor above portal) and
their pages are this shell's; imported by ShellConfig.ready()."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from portal import datasets, resources, sitemap_sections
from portal.datasets import Column, Dataset, cited, name_of, names_of, number, table, url_of
from portal.models import Event, Figure, Organisation, Place, Programme, Report
from portal.resources import Resource, published
from search import kinds
from search.kinds import Kind, Source
from shell.api import (
    EventFilter,
    EventOut,
    FigureFilter,
    FigureOut,
    OrganisationFilter,
    OrganisationOut,
    PlaceFilter,
    PlaceOut,
    ProgrammeFilter,
    ProgrammeOut,
    ReportOut,
)

# Positions: in the /data/ download, events come first, then programmes,
# organisations, places, figures and reports (80-85); in the API and the
# sitemap, events, organisations, figures, programmes, places, reports.

# --- Events -------------------------------------------------------------------

kinds.declare(
    Kind(
        "event",
        _("活动"),
        6,
        (Source(Event, texts=("theme", "date_as_written"), names=("place", "parent", "hosts")),),
        pinyin=True,
    ),
)

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
    exported_from_list=True,
)
datasets.declare(80, EVENTS)

resources.declare(
    80, Resource("events", "event", EventOut, published(Event, "parent", "place", prefetch=("hosts",)), EventFilter)
)

sitemap_sections.declare(80, Event)

# --- Organisations --------------------------------------------------------------

kinds.declare(
    Kind(
        "organisation",
        _("组织机构"),
        7,
        (Source(Organisation, texts=("short_names",), names=("parent", "place")),),
        pinyin=True,
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
    exported_from_list=True,
)
datasets.declare(82, ORGANISATIONS)

resources.declare(
    81,
    Resource(
        "organisations", "organisation", OrganisationOut, published(Organisation, "parent", "place"), OrganisationFilter
    ),
)

sitemap_sections.declare(81, Organisation)

# --- Figures --------------------------------------------------------------------

kinds.declare(
    Kind("figure", _("数字"), 9, (Source(Figure, texts=("phrase", "unit"), names=("event", "organisation")),)),
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
datasets.declare(84, FIGURES)

resources.declare(
    82, Resource("figures", "figure", FigureOut, published(Figure, "event", "organisation"), FigureFilter)
)

# --- Programmes -----------------------------------------------------------------

kinds.declare(
    Kind("programme", _("工作举措"), 8, (Source(Programme, names=("organisations",)),), pinyin=True),
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
datasets.declare(81, PROGRAMMES)

resources.declare(
    83,
    Resource(
        "programmes", "programme", ProgrammeOut, published(Programme, prefetch=("organisations",)), ProgrammeFilter
    ),
)

# --- Places (not searched) --------------------------------------------------------

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
datasets.declare(83, PLACES)

resources.declare(84, Resource("places", "place", PlaceOut, published(Place, "parent"), PlaceFilter))

# --- Reports, the sources (not searched; their sitemap section is shell.sitemaps' own) --


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
datasets.declare(85, REPORTS)

resources.declare(85, Resource("reports", "report", ReportOut, lambda: Report.objects.all()))
