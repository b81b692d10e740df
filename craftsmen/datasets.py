"""The craftsmen app's tables: people, the tier ladder and its counts, the
pilot units and the academies (portal.datasets says what a dataset is)."""

from django.utils.translation import gettext_lazy as _

from craftsmen.models import Academy, AcademyType, Person, PilotCategory, Tier, TierCount
from portal.datasets import Column, cited, declare, name_of, table

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

declare(20, PEOPLE, TIERS, TIER_COUNTS, PILOT_CATEGORIES, ACADEMIES, ACADEMY_TYPES)
