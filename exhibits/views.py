from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from exhibits.facets import EXHIBITS
from exhibits.filters import ExhibitFilter
from exhibits.models import Exhibit
from portal.caching import (
    VersionedCountPaginator,
    keep_out_of_the_cache,
    names_what_it_serves,
    redirect_to_canonical_query,
)
from portal.downloads import export_response, filter_labels, full_export_response
from portal.filtering import active_filters, bounded_menus, single_value_links, value_page
from portal.seo import jsonld_for

PAGE_SIZE = 20
VALUES_PAGE_SIZE = 50


def filtered(request: HttpRequest, queryset) -> tuple[ExhibitFilter, QuerySet]:
    """The list's filters applied to queryset, in the list's order; the page
    and its exports both use this, so an export holds what the page shows."""
    filterset = ExhibitFilter(request.GET, queryset=queryset)
    results = filterset.qs
    if "sort" not in request.GET or not filterset.form.cleaned_data.get("sort"):
        results = results.order_by("order", "slug")
    return filterset, results


def browser_texts() -> dict[str, str]:
    """The sentences static/js/static-filters.js writes, in the page's
    language, with {n}, {number} and {total} where it puts the numbers:
    the same messages the list's template uses."""
    return {
        "count_one": ngettext("共 %(n)s 件展品", "共 %(n)s 件展品", 1) % {"n": "{n}"},
        "count_other": ngettext("共 %(n)s 件展品", "共 %(n)s 件展品", 2) % {"n": "{n}"},
        "page_of": _("第 %(number)s / %(total)s 页") % {"number": "{number}", "total": "{total}"},
    }


@require_GET
@redirect_to_canonical_query
def exhibit_list(request: HttpRequest) -> HttpResponse:
    filterset, results = filtered(request, Exhibit.objects.for_list_page())
    bounded_menus(request, filterset, lambda name: reverse("exhibits:filter-values", kwargs={"name": name}))
    page = VersionedCountPaginator(results, PAGE_SIZE, request=request).get_page(request.GET.get("page"))
    chips = active_filters(request, filterset)
    context = {
        "filterset": filterset,
        "page": page,
        "active_filters": chips,
        # The title and heading name the filters in use: "稀土 · 展品".
        "heading": " · ".join([*(chip.value for chip in chips), _("展品")]),
        "breadcrumbs": [(_("展品"), None)],
        "meta_description": _(
            "内蒙古展区展出的职工创新成果：按领域、类别、展示区域、单位和研发者梯队筛选，每件注明出处。"
        ),
    }
    if settings.STATIC_SITE_BUILD:
        context["filter_links"] = single_value_links(request, filterset)
        context["browser_texts"] = browser_texts()
    response = render(request, "exhibits/exhibit_list.html", context)
    if not names_what_it_serves(request, page, filterset.form):
        keep_out_of_the_cache(response)
    return response


@require_GET
@redirect_to_canonical_query
def exhibit_filter_values(request: HttpRequest, name: str) -> HttpResponse:
    """Every value of one of the list's menus, for a menu too long to offer
    them all (portal.filtering.bounded_menus)."""
    filterset = ExhibitFilter(queryset=Exhibit.objects.published())
    if not isinstance(filterset.form.fields.get(name), forms.ModelChoiceField):
        raise Http404
    values = value_page(request, filterset, name, reverse("exhibits:list"), VALUES_PAGE_SIZE)
    label = str(filterset.form.fields[name].label)
    list_url = reverse("exhibits:list") + (f"?{values.list_query}" if values.list_query else "")
    # "按单位筛选展品", "Exhibits by organisation": the label runs on in the sentence.
    heading = _("按%(label)s筛选展品") % {"label": label.lower()}
    context = {
        "name": name,
        "label": label,
        "heading": heading,
        "values": values,
        "page": values.page,
        "list_url": list_url,
        "breadcrumbs": [(_("展品"), list_url), (heading, None)],
        "meta_description": _("展品列表按%(label)s筛选时可选的全部值，按展品数排列，可搜索。")
        % {"label": label.lower()},
    }
    response = render(request, "exhibits/filter_values.html", context)
    if not names_what_it_serves(request, values.page) or not values.names_what_it_serves:
        keep_out_of_the_cache(response)
    return response


@require_GET
def exhibit_export(request: HttpRequest, fmt: str) -> HttpResponse:
    filters = filter_labels(request, [*ExhibitFilter.base_filters.keys()])
    if not filters:
        # Everything, in the list's own order: the stored full download.
        return full_export_response(request, EXHIBITS, fmt)
    _, results = filtered(request, EXHIBITS.queryset())
    full_path = reverse("exhibits:export", kwargs={"fmt": fmt})
    return export_response(request, EXHIBITS, results, fmt, filters, full_path=full_path)


@require_GET
def exhibit_detail(request: HttpRequest, slug: str) -> HttpResponse:
    exhibit = get_object_or_404(Exhibit.objects.for_detail_page(), slug=slug)
    context = {
        "exhibit": exhibit,
        "record": exhibit,
        "related": Exhibit.objects.related_to(exhibit),
        # Said once: not when the description shown already says it.
        "makers_unknown_note": not exhibit.makers.all()
        and not exhibit.organisation
        and "未写明研发者" not in exhibit.display_description,
        "breadcrumbs": [(_("展品"), reverse("exhibits:list")), (exhibit.display_name, None)],
        "jsonld": jsonld_for(request, exhibit),
        "meta_description": exhibit.display_description[:150],
    }
    return render(request, "exhibits/exhibit_detail.html", context)
