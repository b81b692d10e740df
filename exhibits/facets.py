"""The exhibits app's kind of record, declared once: what the search
indexes of it (search.kinds), its table for the list page's export and
the /data/ download (portal.datasets), its API resource (portal.resources)
and its sitemap section (portal.sitemap_sections). Imported by the app's
AppConfig.ready()."""

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from craftsmen.models import Person
from exhibits.api import ExhibitOut
from exhibits.filters import ExhibitFilter
from exhibits.models import Exhibit
from portal import datasets, resources, sitemap_sections
from portal.datasets import Column, cited, in_language, name_of, names_of, table
from portal.models import citations_prefetch, published_prefetch
from portal.resources import Resource
from search import kinds
from search.kinds import Kind, Source

# --- Exhibits -------------------------------------------------------------

kinds.declare(
    Kind(
        "exhibit",
        _("展品"),
        1,
        (
            Source(
                Exhibit,
                texts=("makers_as_written", "problem", "how_it_works"),
                names=("makers", "sectors", "organisation", "kind", "area"),
            ),
        ),
        pinyin=True,
    ),
)


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
    exported_from_list=True,
)
datasets.declare(10, EXHIBITS)

resources.declare(
    10,
    Resource(
        "exhibits",
        "exhibit",
        ExhibitOut,
        lambda: (
            Exhibit.objects.for_list_page()
            .select_related("exhibition")
            .prefetch_related(Prefetch("makers", queryset=Person.objects.published()), citations_prefetch())
        ),
        ExhibitFilter,
    ),
)

sitemap_sections.declare(10, Exhibit)
