"""The exhibits' table, for the list page's export and the /data/ download
(portal.datasets says what a dataset is)."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from exhibits.models import Exhibit
from portal.datasets import Column, cited, declare, in_language, name_of, names_of, table
from portal.models import published_prefetch


def _exhibits() -> QuerySet:
    return (
        Exhibit.objects.published()
        .select_related("kind", "area", "organisation")
        .prefetch_related(*cited("sectors", published_prefetch("makers", "craftsmen.Person", "tier")))
        .order_by("order", "slug")
    )


EXHIBITS = table(
    "exhibits",
    _("展品"),
    _("展出的职工创新成果：类别、领域、展示区域、研发者及其梯队、单位。"),
    [
        Column("kind", _("类别"), lambda r: name_of(r.kind)),
        Column("sectors", _("领域"), lambda r: names_of(r.sectors.all())),
        Column("area", _("展示区域"), lambda r: name_of(r.area)),
        Column("makers", _("研发者"), lambda r: names_of(r.makers.all()) or in_language(r, "makers_as_written")),
        Column("maker_tiers", _("研发者梯队"), lambda r: names_of({m.tier for m in r.makers.all() if m.tier})),
        Column("organisation", _("单位"), lambda r: name_of(r.organisation)),
    ],
    _exhibits,
)

declare(10, EXHIBITS)
