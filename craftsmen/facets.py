"""The craftsmen app's kinds of record, each declared once: what the search
indexes of it (search.kinds), its tables for the list exports and the /data/
download (portal.datasets), its API resource (portal.resources) and its
sitemap section (portal.sitemap_sections). Imported by the app's
AppConfig.ready()."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from craftsmen.api import (
    AcademyFilter,
    AcademyOut,
    PersonFilter,
    PersonOut,
    PilotBatchOut,
    TierCountFilter,
    TierCountOut,
    TierFilter,
    TierOut,
)
from craftsmen.models import Academy, AcademyGroup, AcademyType, Person, PilotBatch, PilotCategory, Tier, TierCount
from portal import datasets, resources, sitemap_sections
from portal.datasets import Column, cited, name_of, table
from portal.models import citations_prefetch
from portal.resources import Resource, published
from search import kinds
from search.kinds import Kind, Source

# --- People -----------------------------------------------------------------

kinds.declare(
    Kind(
        "person",
        _("人物"),
        2,
        (Source(Person, texts=("title",), names=("organisation", "tier"), person=True),),
        pinyin=True,
    ),
)

PEOPLE = table(
    "people",
    _("人物"),
    _("报道点名的人物：职务称号、工匠梯队及其依据、单位。"),
    [
        Column("title", _("职务、称号"), lambda r: r.title),
        Column("title_en", _("职务、称号（英文）"), lambda r: r.title_en),
        Column("tier", _("工匠梯队"), lambda r: name_of(r.tier)),
        Column("tier_basis", _("梯队依据"), lambda r: r.get_tier_basis_display() if r.tier_basis and r.tier else ""),
        Column("organisation", _("单位"), lambda r: name_of(r.organisation)),
    ],
    lambda: (
        Person.objects.published()
        .select_related("tier", "organisation")
        .prefetch_related(*cited())
        .order_by("tier__rank", "order", "slug")
    ),
    exported_from_list=True,
)
datasets.declare(20, PEOPLE)

resources.declare(20, Resource("people", "person", PersonOut, published(Person, "tier", "organisation"), PersonFilter))

sitemap_sections.declare(20, Person)

# --- The tier ladder, and the counts of each tier -----------------------------

kinds.declare(
    Kind("tier", _("工匠梯队"), 3, (Source(Tier, texts=("ladder_role",), names=("region",)),), pinyin=True),
)

TIERS = table(
    "tiers",
    _("工匠梯队"),
    _("工匠梯队的各级：层级与次序。"),
    [
        Column("scope", _("层级"), lambda r: r.get_scope_display()),
        Column("rank", _("梯队次序"), lambda r: r.rank),
    ],
    lambda: Tier.objects.published().prefetch_related(*cited()).order_by("rank", "order", "slug"),
)

TIER_COUNTS = table(
    "tier_counts",
    _("梯队人数"),
    _("报道给出的各梯队人数：按地区或按培训班次。"),
    [
        Column("tier", _("工匠梯队"), lambda r: name_of(r.tier)),
        Column("place", _("地区"), lambda r: name_of(r.place)),
        Column("event", _("活动"), lambda r: name_of(r.event)),
        Column("count", _("人数"), lambda r: r.count),
        Column("unit", _("量词"), lambda r: r.unit),
        Column("phrase", _("原文表述"), lambda r: r.phrase),
    ],
    lambda: (
        TierCount.objects.published()
        .select_related("tier", "place", "event")
        .prefetch_related(*cited())
        .order_by("tier__rank", "order", "slug")
    ),
)
datasets.declare(21, TIERS, TIER_COUNTS)

resources.declare(
    21,
    Resource("tiers", "tier", TierOut, published(Tier, "region"), TierFilter),
    Resource(
        "tier-counts", "tier_count", TierCountOut, published(TierCount, "tier", "place", "event"), TierCountFilter
    ),
)

# --- Pilot units: batches and their categories --------------------------------

kinds.declare(
    Kind(
        "pilot",
        _("试点单位"),
        4,
        (Source(PilotBatch), Source(PilotCategory, texts=("phrase",), names=("batch",))),
    ),
)

PILOT_CATEGORIES = table(
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
        .prefetch_related(*cited())
        .order_by("batch__order", "batch__number", "order", "slug")
    ),
    exported_from_list=True,
)
datasets.declare(23, PILOT_CATEGORIES)

resources.declare(
    23,
    Resource(
        "pilot-batches",
        "pilot_batch",
        PilotBatchOut,
        published(
            PilotBatch,
            prefetch=(
                Prefetch(
                    "categories",
                    queryset=PilotCategory.objects.published().prefetch_related(citations_prefetch()),
                ),
            ),
        ),
    ),
)

# --- Academies, with their groups and types -----------------------------------

kinds.declare(
    Kind(
        "academy",
        _("工匠学院"),
        5,
        (
            Source(
                Academy,
                texts=("recognition",),
                names=("academy_type", "organisation", "recognised_by", "groups"),
            ),
            Source(AcademyGroup, texts=("phrase",), names=("fields",)),
            Source(AcademyType),
        ),
        pinyin=True,
    ),
)

ACADEMIES = table(
    "academies",
    _("工匠学院"),
    _("报道点名的工匠学院：类型、机构、认定与认定单位。"),
    [
        Column("academy_type", _("类型"), lambda r: name_of(r.academy_type)),
        Column("organisation", _("机构"), lambda r: name_of(r.organisation)),
        Column("recognition", _("认定、荣誉"), lambda r: r.recognition),
        Column("recognition_en", _("认定、荣誉（英文）"), lambda r: r.recognition_en),
        Column("recognised_by", _("认定单位"), lambda r: name_of(r.recognised_by)),
    ],
    lambda: (
        Academy.objects.published()
        .select_related("academy_type", "organisation", "recognised_by")
        .prefetch_related(*cited())
        .order_by("order", "slug")
    ),
    exported_from_list=True,
)

ACADEMY_TYPES = table(
    "academy_types",
    _("工匠学院类型"),
    _("30家工匠学院按类型的数量。"),
    [
        Column("count", _("数量"), lambda r: r.count),
        Column("unit", _("量词"), lambda r: r.unit),
        Column("phrase", _("原文表述"), lambda r: r.phrase),
    ],
    lambda: AcademyType.objects.published().prefetch_related(*cited()).order_by("order", "slug"),
)
datasets.declare(24, ACADEMIES, ACADEMY_TYPES)

resources.declare(
    24,
    Resource(
        "academies",
        "academy",
        AcademyOut,
        published(Academy, "academy_type", "organisation", "recognised_by", prefetch=("groups",)),
        AcademyFilter,
    ),
)

sitemap_sections.declare(24, Academy)
