"""The Inner Mongolia exhibition zone at the conference, its areas, and the
innovation achievements shown there as exhibits."""

from django.db import models
from django.db.models import Prefetch
from django.urls import reverse

from craftsmen.models import Person
from portal.models import Event, Organisation, PublicQuerySet, PublicRecord, citations_prefetch


class ExhibitQuerySet(PublicQuerySet):
    def for_list_page(self):
        # A card names its makers as the report wrote them
        # (makers_as_written), so the list needs no Person rows.
        return self.published().select_related("kind", "area", "organisation").prefetch_related("sectors")

    def for_detail_page(self):
        return (
            self.published()
            .select_related("kind", "area", "exhibition", "exhibition__event", "organisation")
            .prefetch_related(
                "sectors",
                Prefetch("makers", queryset=Person.objects.published().select_related("tier", "organisation")),
                citations_prefetch(),
            )
        )

    def for_label_page(self):
        return (
            self.published()
            .select_related("organisation")
            .prefetch_related(Prefetch("makers", queryset=Person.objects.published()))
        )

    def related_to(self, exhibit: "Exhibit", limit: int = 6):
        """The first `limit` other exhibits, in list order, of the same sector
        or shown in the same area.

        The first `limit` of each condition are found apart, then ordered
        together: alone, each is a walk of the list index that stops after
        `limit` rows (a semi-join for the sectors; under 0.3 ms on
        PostgreSQL at 100,000 records), while under one OR PostgreSQL
        hashed every exhibit of the sector first (8.5 ms for a common one)."""
        sectors = [sector.pk for sector in exhibit.sectors.all()]  # prefetched on the detail page
        others = self.published().exclude(pk=exhibit.pk).order_by("order", "slug")
        same = models.Q(pk__in=[])
        if sectors:
            shares_a_sector = models.Exists(
                Exhibit.sectors.through.objects.filter(exhibit=models.OuterRef("pk"), sector__in=sectors)
            )
            same |= models.Q(pk__in=others.filter(shares_a_sector).values("pk")[:limit])
        if exhibit.area_id:
            same |= models.Q(pk__in=others.filter(area_id=exhibit.area_id).values("pk")[:limit])
        return others.filter(same).select_related("kind")[:limit]


class Exhibition(PublicRecord):
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, null=True, blank=True, related_name="exhibitions", verbose_name="所在活动"
    )
    organiser = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exhibitions",
        verbose_name="布展单位",
    )
    layout_as_written = models.CharField("展示格局（原文）", max_length=100, blank=True)
    board_count = models.PositiveSmallIntegerField("板块数", null=True, blank=True)
    special_zone_count = models.PositiveSmallIntegerField("专区数", null=True, blank=True)

    class Meta(PublicRecord.Meta):
        verbose_name = "展区"
        verbose_name_plural = "展区"

    def get_absolute_url(self) -> str:
        return reverse("exhibits:list")


class ExhibitionArea(PublicRecord):
    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="areas", verbose_name="展区")
    name_is_descriptive = models.BooleanField(
        "名称为描述", default=False, help_text="报告未给出专名，名称取自报告的描述。"
    )

    class Meta(PublicRecord.Meta):
        verbose_name = "展示区域"
        verbose_name_plural = "展示区域"

    def get_absolute_url(self) -> str:
        return reverse("exhibits:list") + f"?area={self.slug}"


class Sector(PublicRecord):
    class Meta(PublicRecord.Meta):
        verbose_name = "领域"
        verbose_name_plural = "领域"

    def get_absolute_url(self) -> str:
        return reverse("exhibits:list") + f"?sector={self.slug}"


class ExhibitKind(PublicRecord):
    class Meta(PublicRecord.Meta):
        verbose_name = "成果类别"
        verbose_name_plural = "成果类别"

    def get_absolute_url(self) -> str:
        return reverse("exhibits:list") + f"?kind={self.slug}"


class Exhibit(PublicRecord):
    """A named innovation achievement shown at the exhibition."""

    exhibition = models.ForeignKey(Exhibition, on_delete=models.PROTECT, related_name="exhibits", verbose_name="展区")
    area = models.ForeignKey(
        ExhibitionArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exhibits",
        verbose_name="展示区域",
    )
    kind = models.ForeignKey(
        ExhibitKind, on_delete=models.PROTECT, null=True, blank=True, related_name="exhibits", verbose_name="类别"
    )
    sectors = models.ManyToManyField(Sector, blank=True, related_name="exhibits", verbose_name="领域")
    makers = models.ManyToManyField(Person, blank=True, related_name="exhibits", verbose_name="研发者")
    makers_as_written = models.CharField("研发者（原文）", max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exhibits",
        verbose_name="单位",
    )
    problem = models.TextField("解决的问题（本站撰写）", blank=True)
    how_it_works = models.TextField("原理与做法（本站撰写）", blank=True)

    objects = ExhibitQuerySet.as_manager()

    class Meta(PublicRecord.Meta):
        verbose_name = "展品"
        verbose_name_plural = "展品"
        # The list page's two orders, led by the published flag: a page is
        # read straight off the index (no sort of every row) and the
        # paginator's COUNT(*) scans the index, not the table. With 100,000
        # synthetic records on SQLite: the count from 28-35 ms to 2-4 ms,
        # the page's rows from 45-50 ms to under 1 ms.
        indexes = [
            models.Index(fields=["is_published", "order", "slug"], name="exhibit_list_order"),
            models.Index(fields=["is_published", "name"], name="exhibit_list_name"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("exhibits:detail", args=[self.slug])
