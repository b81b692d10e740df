"""The Inner Mongolia exhibition zone at the conference, its areas, and the
innovation achievements shown there as exhibits."""

from django.db import models
from django.urls import reverse

from portal.models import Event, Organisation, PublicQuerySet, PublicRecord, citations_prefetch, published_prefetch


class ExhibitQuerySet(PublicQuerySet):
    def for_list_page(self):
        # A card names its makers as the report wrote them
        # (makers_as_written), so the list needs no Person rows.
        return (
            self.published()
            .select_related("kind", "area", "organisation")
            .prefetch_related(published_prefetch("sectors", "exhibits.Sector"))
        )

    def for_detail_page(self):
        return (
            self.published()
            .select_related("kind", "area", "exhibition", "exhibition__event", "organisation")
            .prefetch_related(
                published_prefetch("sectors", "exhibits.Sector"),
                published_prefetch("makers", "craftsmen.Person", "tier", "organisation"),
                citations_prefetch(),
            )
        )

    def for_label_page(self):
        return (
            self.published()
            .select_related("organisation", "exhibition", "area")
            .prefetch_related(published_prefetch("makers", "craftsmen.Person"))
        )

    def related_to(self, exhibit: "Exhibit", limit: int = 6):
        """The first `limit` other exhibits, in list order, of the same sector
        or shown in the same area.

        The first `limit` of each condition are found apart, as ids, then
        fetched by primary key and ordered together. Asked as one query, with
        the two as subqueries, both PostgreSQL and SQLite walked the whole
        list index to find the first `limit` that matched either: for an
        exhibit from the reports among 100,000 synthetic ones (its sector
        and area have a handful of exhibits), 25 ms on PostgreSQL and 45 ms
        on SQLite.

        The area has an index of its own in list order. For the sectors, a
        walk of the list index that stops after `limit` matches is quick
        when the sectors hold many exhibits, and slow when they hold a few:
        the walk goes on to the end of the list looking for more (on SQLite
        at 100,000 records, 26 ms for that exhibit from the reports). A few
        are quicker read from the sectors' side and sorted (2.4 ms; 4.7
        against 5.1 for a synthetic exhibit in a big sector). Which it is,
        one bounded read of the sectors' members says."""
        sectors = [sector.pk for sector in exhibit.sectors.all()]  # prefetched on the detail page
        others = self.published().exclude(pk=exhibit.pk).order_by("order", "slug")
        candidates: list[int] = []
        if sectors:
            memberships = Exhibit.sectors.through.objects.filter(sector__in=sectors)
            members = list(memberships.values_list("exhibit_id", flat=True)[: FEW_SECTOR_MEMBERS + 1])
            if len(members) <= FEW_SECTOR_MEMBERS:
                shares_a_sector = others.filter(pk__in=members)
            else:
                shares_a_sector = others.filter(models.Exists(memberships.filter(exhibit=models.OuterRef("pk"))))
            candidates += shares_a_sector.values_list("pk", flat=True)[:limit]
        if exhibit.area_id:
            candidates += others.filter(area_id=exhibit.area_id).values_list("pk", flat=True)[:limit]
        # No is_published here (the candidates are published): with it, the
        # list index looked the cheaper way to both databases again.
        return (
            self.filter(pk__in=candidates)
            .hiding_unshown_relations()
            .select_related("kind")
            .order_by("order", "slug")[:limit]
        )


# Memberships of an exhibit's sectors up to which related exhibits are
# picked from the members rather than found by walking the list.
FEW_SECTOR_MEMBERS = 200


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
    layout_as_written_en = models.CharField("展示格局（英文）", max_length=150, blank=True)
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
        "名称为描述", default=False, help_text="报道未给出专名，名称取自报道的描述。"
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

    text_naming = {"makers_as_written": "makers"}  # names the makers: hidden with any of them

    exhibition = models.ForeignKey(Exhibition, on_delete=models.PROTECT, related_name="exhibits", verbose_name="展区")
    area = models.ForeignKey(
        ExhibitionArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exhibits",
        verbose_name="展示区域",
        # exhibit_area_list_order (below) leads with the area and serves
        # every lookup by it; an index of its own would only cost writes.
        db_index=False,
    )
    kind = models.ForeignKey(
        ExhibitKind, on_delete=models.PROTECT, null=True, blank=True, related_name="exhibits", verbose_name="类别"
    )
    sectors = models.ManyToManyField(Sector, blank=True, related_name="exhibits", verbose_name="领域")
    makers = models.ManyToManyField("craftsmen.Person", blank=True, related_name="exhibits", verbose_name="研发者")
    makers_as_written = models.CharField("研发者（原文）", max_length=200, blank=True)
    makers_as_written_en = models.CharField("研发者（英文）", max_length=250, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exhibits",
        verbose_name="单位",
    )
    problem = models.TextField("解决的问题（本站撰写）", blank=True)
    problem_en = models.TextField("解决的问题（英文）", blank=True)
    how_it_works = models.TextField("原理与做法（本站撰写）", blank=True)
    how_it_works_en = models.TextField("原理与做法（英文）", blank=True)

    objects = ExhibitQuerySet.as_manager()

    class Meta(PublicRecord.Meta):
        verbose_name = "展品"
        verbose_name_plural = "展品"
        # The list page's two orders, led by the published flag: a page is
        # read straight off the index (no sort of every row) and the
        # paginator's COUNT(*) scans the index, not the table (measured in
        # docs/performance.md).
        indexes = [
            models.Index(fields=["is_published", "order", "slug"], name="exhibit_list_order"),
            models.Index(fields=["is_published", "name"], name="exhibit_list_name"),
            # An area's exhibits in list order: the related exhibits of an
            # exhibit in a small area, without walking the whole list.
            models.Index(fields=["area", "is_published", "order", "slug"], name="exhibit_area_list_order"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("exhibits:detail", args=[self.slug])

    jsonld_type = "CreativeWork"

    def jsonld_details(self, link) -> dict:
        return {
            "creator": [{"@type": "Person", "name": p.name} for p in self.makers.all()] or None,
            "producer": self.organisation.jsonld_reference(link) if self.organisation else None,
            "keywords": [s.name for s in self.sectors.all()] or None,
        }
