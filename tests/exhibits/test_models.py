import pytest

from exhibits import models
from exhibits.models import Exhibit
from tests import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["picked from the sectors' members", "found by walking the list"], autouse=True)
def sector_strategy(request, monkeypatch):
    """Every test here runs both ways related exhibits are found by sector:
    with few members (picked from them) and with many (a walk of the list)."""
    if request.param == "found by walking the list":
        monkeypatch.setattr(models, "FEW_SECTOR_MEMBERS", 0)


def related_the_slow_way(exhibit: Exhibit, limit: int = 6) -> list[str]:
    """Every other published exhibit sharing a sector or the area, in list order."""
    sectors = set(exhibit.sectors.values_list("pk", flat=True))
    others = Exhibit.objects.published().exclude(pk=exhibit.pk).order_by("order", "slug").prefetch_related("sectors")
    return [
        other.slug
        for other in others
        if (exhibit.area_id and other.area_id == exhibit.area_id) or sectors & {s.pk for s in other.sectors.all()}
    ][:limit]


def test_related_exhibits_are_the_first_six_in_list_order_sharing_a_sector_or_the_area():
    source = make.report()
    show = make.exhibition(source)
    field, other_field = make.sector(source), make.sector(source)
    here, elsewhere = make.area(source, exhibition=show), make.area(source, exhibition=show)
    item = make.exhibit(source, exhibition=show, sectors=[field], area=here, order=50)
    # Interleaved in list order: sector matches, area matches, both, neither,
    # and an unpublished one that must never show.
    for order in range(30):
        make.exhibit(
            source,
            exhibition=show,
            order=(order * 7) % 30,
            sectors=[field] if order % 3 == 0 else [other_field],
            area=here if order % 4 == 0 else elsewhere,
            is_published=order != 9,
        )

    related = [other.slug for other in Exhibit.objects.related_to(item)]

    assert related == related_the_slow_way(item)
    assert len(related) == 6


@pytest.mark.parametrize("has", ["sector only", "area only", "neither"])
def test_related_exhibits_follow_whichever_link_the_exhibit_has(has):
    source = make.report()
    show = make.exhibition(source)
    field, region = make.sector(source), make.area(source, exhibition=show)
    item = make.exhibit(
        source,
        exhibition=show,
        sectors=[field] if has == "sector only" else [],
        area=region if has == "area only" else None,
    )
    for order in range(8):
        make.exhibit(source, exhibition=show, order=order, sectors=[field], area=region if order % 2 else None)

    related = [other.slug for other in Exhibit.objects.related_to(item)]

    assert related == related_the_slow_way(item)
    assert (len(related) == 0) == (has == "neither")
