"""The people of the reports, the craftsman tier ladder and its counts, and
the two structures that grow craftsmen: the workforce-reform pilot units and
the craftsman academies."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.models import (
    Event,
    Organisation,
    Place,
    PublicQuerySet,
    PublicRecord,
    citations_prefetch,
    published_prefetch,
)


class PersonQuerySet(PublicQuerySet):
    def for_ladder_page(self):
        return self.published().select_related("tier", "organisation").order_by("tier__rank", "order", "slug")

    def for_untiered_list(self):
        """The people without a tier the public may see (none, or one that is
        unpublished), for the craftsmen page's paged list."""
        # Asked apart (the tiers are a handful): with the OR always there,
        # the list could no longer be read in order from its partial index.
        hidden_tiers = list(Tier.objects.filter(is_published=False).values_list("pk", flat=True))
        untiered = models.Q(tier__isnull=True)
        return (
            self.published()
            .filter(untiered | models.Q(tier__in=hidden_tiers) if hidden_tiers else untiered)
            .select_related("organisation")
            .order_by("order", "slug")
        )

    def for_profile_page(self):
        return (
            self.published()
            .select_related("tier", "organisation")
            .prefetch_related(
                citations_prefetch(),
                published_prefetch("exhibits", "exhibits.Exhibit", "kind", "organisation"),
                published_prefetch("event_roles", "craftsmen.EventRole", "event", "event__parent"),
            )
        )


class TierQuerySet(PublicQuerySet):
    def for_ladder_page(self):
        return (
            self.published()
            .select_related("region")
            .prefetch_related(
                citations_prefetch(),
                Prefetch("people", queryset=Person.objects.published().select_related("organisation")),
            )
        )


class AcademyQuerySet(PublicQuerySet):
    def for_detail_page(self):
        return (
            self.published()
            .select_related("academy_type", "organisation", "recognised_by")
            .prefetch_related(citations_prefetch(), published_prefetch("groups", "craftsmen.AcademyGroup"))
        )


class Tier(PublicRecord):
    """A rung of the craftsman ladder (大国工匠, 北疆工匠, 企业工匠, trainees,
    and Baotou's own city tiers)."""

    class Scope(models.TextChoices):
        NATIONAL = "national", _("全国")
        REGIONAL = "regional", _("自治区")
        ENTERPRISE = "enterprise", _("企业")
        CITY = "city", _("盟市")

    scope = models.CharField("层级", max_length=20, choices=Scope.choices)
    rank = models.PositiveSmallIntegerField("梯队次序", help_text="1 为最高。")
    is_trainee = models.BooleanField("培育对象", default=False)
    ladder_role = models.CharField(
        "梯队作用（原文）", max_length=20, blank=True, help_text="如“引领”“示范”“支撑”，照录报道用词。"
    )
    ladder_role_en = models.CharField("梯队作用（英文）", max_length=40, blank=True)
    region = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="tiers", verbose_name="所属地区"
    )

    objects = TierQuerySet.as_manager()

    class Meta(PublicRecord.Meta):
        verbose_name = "工匠梯队"
        verbose_name_plural = "工匠梯队"
        ordering = ["rank", "order", "slug"]

    def get_absolute_url(self) -> str:
        return reverse("craftsmen:index") + f"#{self.slug}"


class Person(PublicRecord):
    """Anyone the reports name: craftsmen (with a tier) and everyone else."""

    class TierBasis(models.TextChoices):
        NONE = "", _("无（非工匠）")
        STATED = "stated", _("报道直接称其为该梯队")
        GROUP_LABEL = "group_label", _("仅在群体称谓下被点名")

    title = models.CharField("职务、称号（原文）", max_length=200, blank=True)
    title_en = models.CharField("职务、称号（英文）", max_length=250, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="people", verbose_name="单位"
    )
    tier = models.ForeignKey(
        Tier, on_delete=models.PROTECT, null=True, blank=True, related_name="people", verbose_name="工匠梯队"
    )
    tier_basis = models.CharField("梯队依据", max_length=20, choices=TierBasis.choices, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta(PublicRecord.Meta):
        verbose_name = "人物"
        verbose_name_plural = "人物"
        # The craftsmen page's list of the people without a tier, in order:
        # read from the index, not sorted from every person. Partial, since
        # PostgreSQL orders by an index only past equality conditions, and
        # `tier IS NULL` is not one.
        indexes = [
            models.Index(
                fields=["is_published", "order", "slug"], condition=models.Q(tier__isnull=True), name="person_untiered"
            )
        ]

    def get_absolute_url(self) -> str:
        return reverse("craftsmen:detail", args=[self.slug])

    jsonld_type = "Person"

    def jsonld_details(self, link) -> dict:
        return {
            "jobTitle": self.title or None,
            "worksFor": self.organisation.jsonld_reference(link) if self.organisation else None,
            "award": self.tier.name if self.tier else None,
        }

    def clean(self):
        if self.tier_id and not self.tier_basis:
            raise ValidationError({"tier_basis": "有梯队时须说明依据。"})
        if not self.tier_id and self.tier_basis:
            raise ValidationError({"tier_basis": "没有梯队时不应填写依据。"})


class TierCount(PublicRecord):
    """A reported count of one tier: in a place (包头市: 3 位大国工匠) or in a
    cohort (the 43 trainees of the training camp)."""

    shown_with = ("tier",)  # a count of a hidden tier says nothing

    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="counts", verbose_name="工匠梯队")
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="tier_counts", verbose_name="地区"
    )
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, null=True, blank=True, related_name="tier_counts", verbose_name="活动"
    )
    count = models.PositiveIntegerField("人数")
    unit = models.CharField("量词（原文）", max_length=10)
    phrase = models.CharField("原文表述", max_length=100)

    class Meta(PublicRecord.Meta):
        verbose_name = "梯队人数"
        verbose_name_plural = "梯队人数"

    def get_absolute_url(self) -> str:
        return reverse("craftsmen:index") + "#counts"


class PilotBatch(PublicRecord):
    """One of the four batches of workforce-reform (产改) pilot units."""

    number = models.PositiveSmallIntegerField("批次", unique=True)

    class Meta(PublicRecord.Meta):
        verbose_name = "产改试点批次"
        verbose_name_plural = "产改试点批次"
        ordering = ["number"]

    def get_absolute_url(self) -> str:
        return reverse("pilot-units") + f"#{self.slug}"


class PilotCategory(PublicRecord):
    """A category of pilot unit within a batch, with its count as printed."""

    # The reported total the counts of all categories make (checked by
    # validate_portal_data and the tests, never on a public page).
    adds_up_to = "pilot-units-total"

    shown_with = ("batch",)  # a category of a hidden batch says nothing

    batch = models.ForeignKey(PilotBatch, on_delete=models.CASCADE, related_name="categories", verbose_name="批次")
    count = models.PositiveIntegerField("数量")
    unit = models.CharField("量词（原文）", max_length=10, default="家")
    phrase = models.CharField("原文表述", max_length=100)

    class Meta(PublicRecord.Meta):
        verbose_name = "试点类别"
        verbose_name_plural = "试点类别"
        ordering = ["batch__number", "order", "slug"]

    def get_absolute_url(self) -> str:
        return reverse("pilot-units") + f"#{self.slug}"


class PilotUnit(PublicRecord):
    """A named pilot unit. The reports name none; admins may add them later
    from other sources, each with its citation."""

    shown_with = ("batch",)  # a unit of a hidden batch says nothing

    batch = models.ForeignKey(PilotBatch, on_delete=models.PROTECT, related_name="units", verbose_name="批次")
    category = models.ForeignKey(
        PilotCategory, on_delete=models.PROTECT, null=True, blank=True, related_name="units", verbose_name="类别"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="pilot_units", verbose_name="单位"
    )

    class Meta(PublicRecord.Meta):
        verbose_name = "产改试点单位"
        verbose_name_plural = "产改试点单位"

    def get_absolute_url(self) -> str:
        return reverse("pilot-units") + f"#{self.slug}"

    def clean(self):
        if self.category_id and self.batch_id and self.category.batch_id != self.batch_id:
            raise ValidationError({"category": "类别不属于所选批次。"})


class AcademyType(PublicRecord):
    """A kind of host institution among the 30 craftsman academies, with the
    reported count."""

    adds_up_to = "academies-total"

    count = models.PositiveIntegerField("数量")
    unit = models.CharField("量词（原文）", max_length=10, default="家")
    phrase = models.CharField("原文表述", max_length=100)

    class Meta(PublicRecord.Meta):
        verbose_name = "工匠学院类型"
        verbose_name_plural = "工匠学院类型"

    def get_absolute_url(self) -> str:
        return reverse("academies:list") + f"#{self.slug}"


class AcademyGroup(PublicRecord):
    """A reported group of academies or training units (the 8 special-industry
    academies, report 003's 6 plaqued academies and 6 planned units), with
    its reported size. Groups are kept apart unless a report links them."""

    count = models.PositiveIntegerField("数量", null=True, blank=True)
    unit = models.CharField("量词（原文）", max_length=10, blank=True)
    phrase = models.CharField("原文表述", max_length=200, blank=True)
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, null=True, blank=True, related_name="academy_groups", verbose_name="相关活动"
    )
    relation_note = models.TextField("与其他群组的关系", blank=True)
    relation_note_en = models.TextField("与其他群组的关系（英文）", blank=True)

    class Meta(PublicRecord.Meta):
        verbose_name = "工匠学院群组"
        verbose_name_plural = "工匠学院群组"

    def get_absolute_url(self) -> str:
        return reverse("academies:list") + f"#{self.slug}"


class AcademyField(PublicRecord):
    """An industry or field a group of academies covers, in the report's order."""

    shown_with = ("group",)  # a field of a hidden group says nothing

    group = models.ForeignKey(AcademyGroup, on_delete=models.CASCADE, related_name="fields", verbose_name="群组")

    class Meta(PublicRecord.Meta):
        verbose_name = "学院行业领域"
        verbose_name_plural = "学院行业领域"
        ordering = ["group", "order", "slug"]

    def get_absolute_url(self) -> str:
        return reverse("academies:list") + f"#{self.slug}"


class Academy(PublicRecord):
    """A craftsman academy the reports name."""

    academy_type = models.ForeignKey(
        AcademyType, on_delete=models.PROTECT, null=True, blank=True, related_name="academies", verbose_name="类型"
    )
    groups = models.ManyToManyField(AcademyGroup, blank=True, related_name="academies", verbose_name="所属群组")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="academies", verbose_name="机构"
    )
    recognition = models.CharField("认定、荣誉（原文）", max_length=200, blank=True)
    recognition_en = models.CharField("认定、荣誉（英文）", max_length=250, blank=True)
    recognised_by = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recognised_academies",
        verbose_name="认定单位",
    )

    objects = AcademyQuerySet.as_manager()

    class Meta(PublicRecord.Meta):
        verbose_name = "工匠学院"
        verbose_name_plural = "工匠学院"

    def get_absolute_url(self) -> str:
        return reverse("academies:detail", args=[self.slug])

    jsonld_type = "EducationalOrganization"


class EventRole(PublicRecord):
    """Who did what at an event, as the report words it (讲话, 主持, 授牌,
    作交流发言…). Either a person or an organisation, or both."""

    shown_with = ("event",)  # a role at a hidden event says nothing

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="roles", verbose_name="活动")
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="event_roles",
        verbose_name="人物",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="event_roles",
        verbose_name="组织机构",
    )

    class Meta(PublicRecord.Meta):
        verbose_name = "活动角色"
        verbose_name_plural = "活动角色"
        ordering = ["event", "order", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(organisation__isnull=False),
                name="eventrole_has_person_or_organisation",
            )
        ]

    def get_absolute_url(self) -> str:
        return self.event.get_absolute_url()
