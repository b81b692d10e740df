"""Printable exhibit labels for exhibition stands: what a visitor at the
stand needs, and nothing a visitor cannot use. The name in Chinese and in
English, the makers and the organisation where the report names them, the
exhibition and its area, a QR code to the exhibit's page and the portal's
name. No description: ours carry the research notes ("报告未写明研发者…")
that belong on the exhibit's page, and a description cut short to fit is
worse than none; what the report does not say is simply left off.
One A6 label per sheet, or four to an A4 sheet (A4 is exactly four A6)."""

from __future__ import annotations

import io
from itertools import batched

import segno
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from exhibits.models import Exhibit, ExhibitionArea
from portal.addresses import absolute_url
from portal.models import english_requested
from portal.templatetags.portal_tags import local

LAYOUTS = ("a6", "a4")


def qr_svg(url: str) -> SafeString:
    """The QR code as inline SVG, sized by CSS (no width/height, a viewBox),
    with error correction M: readable when the print is slightly worn."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        buffer, kind="svg", xmldecl=False, svgns=True, nl=False, omitsize=True, border=2, svgclass="qr", lineclass=None
    )
    return mark_safe(buffer.getvalue().decode())  # noqa: S308 -- segno's own markup, the URL is encoded in modules


def _layout(request: HttpRequest) -> str:
    layout = request.GET.get("layout", "")
    return layout if layout in LAYOUTS else LAYOUTS[0]


def _label(request: HttpRequest, exhibit: Exhibit) -> dict:
    url = absolute_url(request, exhibit.get_absolute_url())
    makers = [maker.display_name for maker in exhibit.makers.all()]
    return {
        "exhibit": exhibit,
        "makers": (", " if english_requested() else "、").join(makers)
        if makers
        else local(exhibit, "makers_as_written"),
        "url": url,
        "qr": qr_svg(url),
    }


def _sheets(labels: list[dict], layout: str) -> list[list[dict]]:
    return [list(sheet) for sheet in batched(labels, 4 if layout == "a4" else 1)]


@require_GET
def exhibit_label(request: HttpRequest, slug: str) -> HttpResponse:
    exhibit = get_object_or_404(Exhibit.objects.for_label_page(), slug=slug)
    layout = _layout(request)
    label = _label(request, exhibit)
    context = {
        "exhibit": exhibit,
        "layout": layout,
        # A4: four copies of the label, to cut apart.
        "sheets": _sheets([label] * (4 if layout == "a4" else 1), layout),
        "heading": _("展品标签：%(name)s") % {"name": exhibit.display_name},
        "breadcrumbs": [
            (_("展品"), reverse("exhibits:list")),
            (exhibit.display_name, exhibit.get_absolute_url()),
            (_("标签"), None),
        ],
        "meta_description": _("可打印的展品标签（A6，或 A4 每页四张），附指向展品页面的二维码。"),
    }
    return render(request, "exhibits/labels.html", context)


@require_GET
def area_labels(request: HttpRequest, slug: str) -> HttpResponse:
    area = get_object_or_404(ExhibitionArea.objects.published(), slug=slug)
    layout = _layout(request)
    exhibits = Exhibit.objects.for_label_page().filter(area=area).order_by("order", "slug")
    labels = [_label(request, exhibit) for exhibit in exhibits]
    context = {
        "area": area,
        "layout": layout,
        "sheets": _sheets(labels, layout),
        "heading": _("展示区域标签：%(name)s") % {"name": area.display_name},
        "breadcrumbs": [
            (_("展品"), reverse("exhibits:list")),
            (area.display_name, area.get_absolute_url()),
            (_("标签"), None),
        ],
        "meta_description": _("一个展示区域全部展品的可打印标签，一次打印整个展台。"),
    }
    return render(request, "exhibits/labels.html", context)
