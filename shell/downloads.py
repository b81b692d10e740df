"""The downloads that span every app: the whole dataset as one zip
described on /data/, and the search results as CSV or Excel. The list
pages' own exports, and how files are stored and served, are in
portal.downloads."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from itertools import batched

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from portal import datasets, exports
from portal.addresses import site_origin
from portal.datasets import CHUNK_SIZE, Citations, Column, Dataset, citations_cell
from portal.download_store import Writer
from portal.downloads import export_response, filter_labels, limited, stored_response, table_writer
from portal.models import Citation, Report, SearchDocument, english_requested
from portal.text import MAX_QUERY_LENGTH
from search.kinds import KIND_BY_KEY
from search.query import matching, parse


@require_GET
def search_export(request: HttpRequest, fmt: str) -> HttpResponse:
    query = request.GET.get("q", "")
    parsed = parse(query[:MAX_QUERY_LENGTH])
    results = matching(parsed)
    kind = request.GET.get("type", "")
    if kind in KIND_BY_KEY:
        results = results.filter(kind=kind)
    rows = search_rows(limited(results), site_origin(request), english=english_requested())
    return export_response(request, SEARCH_RESULTS, results, fmt, filter_labels(request, ["q", "type"]), rows=rows)


@require_GET
def data_page(request: HttpRequest) -> HttpResponse:
    files = [
        {"name": f"{dataset.key}.{extension}", "title": dataset.title, "description": dataset.description}
        for dataset in datasets.all_datasets()
        for extension in ("csv", "json")
    ]
    context = {
        "files": files,
        "tables": datasets.all_datasets(),
        "reports": Report.objects.all(),
        "breadcrumbs": [(_("数据下载"), None)],
        "meta_description": _("整站数据一次下载：JSON 与 CSV 文件的压缩包，各文件内容说明、使用说明与数据来源。"),
    }
    return render(request, "portal/data.html", context)


def _zip_writer(base_url: str) -> Writer:
    def write(path: str, scratch: str) -> None:
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for dataset in datasets.all_datasets():
                headers = [str(column.header) for column in dataset.columns]
                keys = [column.key for column in dataset.columns]
                head = {"dataset": dataset.key, "title": str(dataset.title), "source": base_url + reverse("data")}
                members = [os.path.join(scratch, f"{dataset.key}.{extension}") for extension in ("csv", "json")]
                with open(members[0], "wb") as csv_file, open(members[1], "wb") as json_file:
                    rows = dataset.rows(dataset.queryset(), base_url)
                    exports.write_csv_and_json(csv_file, json_file, headers, keys, head, rows)
                for member in members:
                    archive.write(member, os.path.basename(member))
                    os.remove(member)

    return write


def full_downloads(base_url: str) -> list[tuple[str, Writer]]:
    """Every full download, (file name, writer), for `manage.py build_downloads`."""
    tables = [
        (f"{dataset.key}.{fmt}", table_writer(dataset, fmt, base_url))
        for dataset in datasets.all_datasets()
        if dataset.exported_from_list
        for fmt in exports.FORMATS
    ]
    return [*tables, ("data.zip", _zip_writer(base_url))]


@require_GET
def data_zip(request: HttpRequest) -> HttpResponse:
    what = "data" if english_requested() else "数据"
    return stored_response(request, "data.zip", what, _zip_writer(site_origin(request)))


# --------------------------------------------------------------------------
# Search results: documents, with the citations of the records behind them.


def _search_citations(documents: list[SearchDocument]) -> dict[tuple[int, int], Citations]:
    by_type: dict[int, list[int]] = {}
    for document in documents:
        by_type.setdefault(document.content_type_id, []).append(document.object_id)
    condition = Q(pk__in=[])
    for content_type_id, ids in by_type.items():
        condition |= Q(content_type_id=content_type_id, object_id__in=ids)
    found: dict[tuple[int, int], list[Citation]] = {}
    for citation in Citation.objects.filter(condition).select_related("report"):
        found.setdefault((citation.content_type_id, citation.object_id), []).append(citation)
    return {key: citations_cell(items) for key, items in found.items()}


def _search_kind(document: SearchDocument) -> str:
    kind = KIND_BY_KEY.get(document.kind)
    return str(kind.label) if kind else document.kind


SEARCH_RESULTS = Dataset(
    "search",
    gettext_lazy("搜索结果"),
    "",
    [
        Column("kind", gettext_lazy("类型"), _search_kind),
        Column("name", gettext_lazy("名称"), lambda d: d.title),
        Column("name_en", gettext_lazy("英文名称"), lambda d: d.title_en),
        Column(
            "text", gettext_lazy("简介"), lambda d: (d.text_en if d.english and d.text_en else d.text).split("\n", 1)[0]
        ),
        Column("url", gettext_lazy("网址"), lambda d: d.base_url + ("/en" if d.english else "") + d.path),
        Column("citations", gettext_lazy("出处"), lambda d: d.found_citations),
    ],
    lambda: SearchDocument.objects.none(),
)


def search_rows(queryset: QuerySet, base_url: str, english: bool) -> Iterator[list[object]]:
    """Search results as rows: one query per chunk of documents for the
    citations of the records behind them (documents hold no citations)."""
    for chunk in batched(queryset.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
        citations = _search_citations(list(chunk))
        for document in chunk:
            document.base_url = base_url
            document.english = english
            document.found_citations = citations.get((document.content_type_id, document.object_id), Citations())
            yield [column.value(document) for column in SEARCH_RESULTS.columns]
