from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from craftsmen.models import (
    Academy,
    AcademyField,
    AcademyGroup,
    AcademyType,
    Person,
    PilotBatch,
    PilotCategory,
    Tier,
    TierCount,
)
from portal.caching import (
    VersionedCountPaginator,
    keep_out_of_the_cache,
    names_what_it_serves,
    redirect_to_canonical_query,
)
from portal.charts import bar_chart, ladder
from portal.models import Figure, citations_prefetch, english_requested
from portal.seo import jsonld_for

# People without a tier, per page: the real data has a dozen (one page); a
# large directory is paged.
PAGE_SIZE = 50


@require_GET
@redirect_to_canonical_query
def craftsmen_index(request: HttpRequest) -> HttpResponse:
    others = Person.objects.for_untiered_list()
    page = VersionedCountPaginator(others, PAGE_SIZE, request=request).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "breadcrumbs": [(_("工匠"), None)],
        "meta_description": _("大国工匠、北疆工匠、企业工匠与培育对象的梯队，包头市各梯队人数，以及报道点名的人物。"),
    }
    if page.number == 1:
        # The ladder and the counts head the first page only; later pages
        # are the next people, at the top.
        context.update(_ladder_context())
    response = render(request, "craftsmen/index.html", context)
    if not names_what_it_serves(request, page):
        keep_out_of_the_cache(response)
    return response


def _ladder_context() -> dict:
    tiers = list(Tier.objects.for_ladder_page())
    counts = list(
        TierCount.objects.published()
        .select_related("tier", "place", "event")
        .prefetch_related(citations_prefetch())
        .order_by("tier__rank", "order")
    )
    # By place or by cohort; one whose place or event is hidden is neither.
    baotou = [c for c in counts if c.place]
    regional_ladder = [t for t in tiers if t.scope != Tier.Scope.CITY]
    rungs, ladder_height = ladder(regional_ladder)
    return {
        "ladder": regional_ladder,
        "rungs": rungs,
        "ladder_height": ladder_height,
        "city_tiers": [t for t in tiers if t.scope == Tier.Scope.CITY],
        "tiers": tiers,
        "baotou_counts": baotou,
        "baotou_chart": bar_chart(
            _("包头市各梯队人数"), [(c.tier.display_name, c.count, c.unit, None) for c in baotou]
        ),
        "cohorts": [c for c in counts if c.event],
    }


@require_GET
def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(Person.objects.for_profile_page(), slug=slug)
    context = {
        "person": person,
        "record": person,
        "breadcrumbs": [(_("工匠"), reverse("craftsmen:index")), (person.display_name, None)],
        "jsonld": jsonld_for(request, person),
        "meta_description": person.display_description[:150],
    }
    return render(request, "craftsmen/person_detail.html", context)


def batch_label(number: int) -> str:
    """第一批 … 第四批 on Chinese pages, Batch 1 … on English ones."""
    if english_requested():
        return f"Batch {number}"
    numerals = "一二三四五六七八九十"
    return f"第{numerals[number - 1] if 0 < number <= len(numerals) else number}批"


@require_GET
def pilot_units(request: HttpRequest) -> HttpResponse:
    batches = list(
        PilotBatch.objects.published().prefetch_related(
            citations_prefetch(),
            Prefetch(
                "categories",
                queryset=PilotCategory.objects.published().prefetch_related(citations_prefetch()),
            ),
        )
    )
    total = (
        Figure.objects.published().prefetch_related(citations_prefetch()).filter(slug=PilotCategory.adds_up_to).first()
    )
    categories = [(b, c) for b in batches for c in b.categories.all()]
    context = {
        "batches": batches,
        # The numbers once: a chart and its table, the report's total as the
        # table's last row. That the parts add up is checked in the tests.
        "chart": bar_chart(
            _("各批次试点单位数"),
            [(c.display_name, c.count, c.unit, None) for _b, c in categories],
            anchors=[c.slug for _b, c in categories],
            groups=[(batch_label(b.number), b.slug) for b, _c in categories],
            group_heading=_("批次"),
            label_heading=_("类别"),
            total=None if total is None else int(total.value),
            total_unit="" if total is None else total.unit,
        ),
        "total": total,
        "notes": [c for _b, c in categories if c.inferred_note],
        "breadcrumbs": [(_("试点单位"), None)],
        "meta_description": _("产业工人队伍建设改革的四批195家试点单位：各批次的类别与数量。"),
    }
    return render(request, "craftsmen/pilot_units.html", context)


@require_GET
def academy_list(request: HttpRequest) -> HttpResponse:
    types = list(AcademyType.objects.published().prefetch_related(citations_prefetch()))
    total = (
        Figure.objects.published().prefetch_related(citations_prefetch()).filter(slug=AcademyType.adds_up_to).first()
    )
    groups = AcademyGroup.objects.published().prefetch_related(
        citations_prefetch(),
        Prefetch("fields", queryset=AcademyField.objects.published()),
        Prefetch("academies", queryset=Academy.objects.published()),
    )
    context = {
        "types": types,
        "total": total,
        "chart": bar_chart(
            _("工匠学院按类型"),
            [(t.display_name, t.count, t.unit, None) for t in types],
            anchors=[t.slug for t in types],
            label_heading=_("类型"),
            total=None if total is None else int(total.value),
            total_unit="" if total is None else total.unit,
        ),
        # The academies' other figures (how many they train), as cards.
        "figures": Figure.objects.published()
        .filter(topic=Figure.Topic.ACADEMIES)
        .exclude(slug=AcademyType.adds_up_to)
        .prefetch_related(citations_prefetch()),
        "groups": groups,
        "academies": Academy.objects.published().select_related("academy_type").prefetch_related(citations_prefetch()),
        "breadcrumbs": [(_("工匠学院"), None)],
        "meta_description": _("30家内蒙古工匠学院的类型构成、8家特色产业工匠学院的行业领域，以及报道点名的学院。"),
    }
    return render(request, "craftsmen/academy_list.html", context)


@require_GET
def academy_detail(request: HttpRequest, slug: str) -> HttpResponse:
    academy = get_object_or_404(Academy.objects.for_detail_page(), slug=slug)
    context = {
        "academy": academy,
        "record": academy,
        "breadcrumbs": [(_("工匠学院"), reverse("academies:list")), (academy.display_name, None)],
        "jsonld": jsonld_for(request, academy),
        "meta_description": academy.display_description[:150],
    }
    return render(request, "craftsmen/academy_detail.html", context)
