"""Downloads: every list page's records as CSV or Excel (exactly what the
page's filters and query show, all pages), and the whole dataset as one zip
described on /data/.

Exports are streamed, so the page cache never stores them (it stores no
streaming response); they do carry the page cache's ETag and
Cache-Control, so a repeat download of unchanged data is a 304."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal import datasets, exports, search
from portal.addresses import site_origin
from portal.datasets import Dataset
from portal.models import Report
from portal.text import MAX_QUERY_LENGTH


def _base_url(request: HttpRequest) -> str:
    return site_origin(request)


def _in_language(language: str, rows: Iterable) -> Iterator:
    """Rows are produced while the response streams, after the view has
    returned: keep the request's language for headers, names and URLs."""
    with translation.override(language):
        yield from rows


def export_response(
    request: HttpRequest, dataset: Dataset, queryset, fmt: str, filters: Iterable[str] = (), rows=None
) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404("Unknown export format")
    english = request.LANGUAGE_CODE == "en"
    headers = [str(column.header) for column in dataset.columns]
    if rows is None:
        rows = dataset.rows(queryset, _base_url(request))
    rows = _in_language(request.LANGUAGE_CODE, rows)
    what = dataset.key if english else str(dataset.title)
    name = exports.file_name(what, fmt, filters)
    return exports.table_response(fmt, str(dataset.title), headers, rows, name)


def filter_labels(request: HttpRequest, names: Iterable[str]) -> list[str]:
    """The filters in use, for the file name: `sector-xitu`."""
    return [f"{name}-{request.GET[name]}"[:40] for name in names if request.GET.get(name, "").strip()]


@require_GET
def simple_export(request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
    """The lists whose page has no filters: everything the page lists."""
    table = datasets.BY_KEY[dataset]
    return export_response(request, table, table.queryset(), fmt)


@require_GET
def search_export(request: HttpRequest, fmt: str) -> HttpResponse:
    query = request.GET.get("q", "")
    if "\x00" in query:
        return HttpResponseBadRequest("The query contains a NUL character.", content_type="text/plain; charset=utf-8")
    parsed = search.parse(query[:MAX_QUERY_LENGTH])
    results = search.matching(parsed)
    kind = request.GET.get("type", "")
    if kind in search.KIND_BY_KEY:
        results = results.filter(kind=kind)
    rows = datasets.search_rows(results, _base_url(request), english=request.LANGUAGE_CODE == "en")
    return export_response(
        request, datasets.SEARCH_RESULTS, results, fmt, filter_labels(request, ["q", "type"]), rows=rows
    )


@require_GET
def data_page(request: HttpRequest) -> HttpResponse:
    files = [
        {"name": f"{dataset.key}.{extension}", "title": dataset.title, "description": dataset.description}
        for dataset in datasets.ALL
        for extension in ("csv", "json")
    ]
    context = {
        "files": files,
        "tables": datasets.ALL,
        "reports": Report.objects.all(),
        "breadcrumbs": [(_("数据下载"), None)],
        "meta_description": _("整站数据一次下载：JSON 与 CSV 文件的压缩包，各文件内容说明、使用说明与数据来源。"),
    }
    return render(request, "portal/data.html", context)


@require_GET
def data_zip(request: HttpRequest) -> HttpResponse:
    base_url = _base_url(request)
    language = request.LANGUAGE_CODE

    def members() -> Iterator[tuple[str, Iterable]]:
        for dataset in datasets.ALL:
            headers = [str(column.header) for column in dataset.columns]
            rows = dataset.rows(dataset.queryset(), base_url)
            yield f"{dataset.key}.csv", exports.csv_chunks(headers, rows)
            head = {"dataset": dataset.key, "title": str(dataset.title), "source": base_url + reverse("data")}
            yield f"{dataset.key}.json", exports.json_chunks(head, dataset.records(dataset.queryset(), base_url))

    archive = _in_language(language, exports.zip_chunks(members()))
    return exports.zip_response(archive, exports.file_name("data" if language == "en" else "数据", "zip"))
