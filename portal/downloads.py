"""Downloads: every list page's records as CSV or Excel (exactly what the
page's filters and query show, all pages), and the whole dataset as one zip
described on /data/ (whose
views, with the search results' export, are the shell's: shell/downloads.py).

A full download (a list without filters, the zip) is built once per content
version and served as a file (portal.download_store). A filtered export
(filters, a sort or a search) is streamed, and bounded: past
DOWNLOADS_FILTERED_ROW_LIMIT rows it ends with a row saying it was cut
there and where the full download is. Streamed exports carry the page
cache's ETag and Cache-Control, so a repeat download of unchanged data is
a 304; the page cache stores neither kind."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal import datasets, exports
from portal.addresses import site_origin
from portal.caching import request_version
from portal.datasets import Dataset
from portal.download_store import Download, Writer, busy_response, file_response, open_download
from portal.models import english_requested


def _in_language(language: str, rows: Iterable) -> Iterator:
    """Rows are produced while the response streams, after the view has
    returned: keep the request's language for headers, names and URLs."""
    with translation.override(language):
        yield from rows


CONTENT_TYPES = {"csv": exports.CSV_CONTENT_TYPE, "xlsx": exports.XLSX_CONTENT_TYPE, "zip": exports.ZIP_CONTENT_TYPE}


def stored_response(request: HttpRequest, name: str, what: str, write: Writer) -> HttpResponse:
    """A full download, built once per content version, as a file."""
    download = Download(name, request_version(request), request.LANGUAGE_CODE, site_origin(request))
    file = open_download(download, write)
    if file is None:
        return busy_response()
    extension = name.rsplit(".", 1)[1]
    made = datetime.fromtimestamp(os.fstat(file.fileno()).st_mtime, tz=UTC)
    return file_response(
        request,
        file,
        content_type=CONTENT_TYPES[extension],
        filename=exports.file_name(what, extension, when=made),
        tag=download.stem,
    )


def table_writer(dataset: Dataset, fmt: str, base_url: str) -> Writer:
    def write(path: str, scratch: str) -> None:
        headers = [str(column.header) for column in dataset.columns]
        rows = dataset.rows(dataset.queryset(), base_url)
        if fmt == "xlsx":
            exports.write_xlsx(path, str(dataset.title), headers, rows, scratch)
        else:
            with open(path, "wb") as file:
                exports.write_csv(file, headers, rows)

    return write


def full_export_response(request: HttpRequest, dataset: Dataset, fmt: str) -> HttpResponse:
    """Every record of a list, in the list's order: a stored file."""
    if fmt not in exports.FORMATS:
        raise Http404("Unknown export format")
    what = dataset.key if english_requested() else str(dataset.title)
    return stored_response(request, f"{dataset.key}.{fmt}", what, table_writer(dataset, fmt, site_origin(request)))


def limited(queryset):
    """The records a filtered export may read: one past the limit, so that
    reaching it shows without a count."""
    return queryset[: settings.DOWNLOADS_FILTERED_ROW_LIMIT + 1]


def _bounded(rows: Iterable[list[object]], limit: int, note: list[object]) -> Iterator[list[object]]:
    for count, row in enumerate(rows):
        if count == limit:
            yield note
            return
        yield row


def _cut_note(request: HttpRequest, dataset: Dataset, limit: int, full_url: str) -> list[object]:
    text = _("（本文件到此截断，只含前 %(limit)s 行。完整数据请下载：%(url)s）") % {
        "limit": f"{limit:,}" if english_requested() else limit,
        "url": full_url,
    }
    return [text] + [""] * (len(dataset.columns) - 1)


def export_response(
    request: HttpRequest,
    dataset: Dataset,
    queryset,
    fmt: str,
    filters: Iterable[str] = (),
    rows=None,
    full_path: str = "",
) -> HttpResponse:
    """A filtered export, streamed and bounded: at most
    DOWNLOADS_FILTERED_ROW_LIMIT rows, then a last row saying the file was
    cut there and where the full download is (`full_path`, else /data/).
    `rows`, when given, must be built from `limited(queryset)`."""
    if fmt not in exports.FORMATS:
        raise Http404("Unknown export format")
    english = english_requested()
    headers = [str(column.header) for column in dataset.columns]
    if rows is None:
        rows = dataset.rows(limited(queryset), site_origin(request))
    limit = settings.DOWNLOADS_FILTERED_ROW_LIMIT
    full_url = site_origin(request) + (full_path or reverse("data"))
    rows = _in_language(request.LANGUAGE_CODE, _bounded(rows, limit, _cut_note(request, dataset, limit, full_url)))
    what = dataset.key if english else str(dataset.title)
    name = exports.file_name(what, fmt, filters)
    return exports.table_response(fmt, str(dataset.title), headers, rows, name)


def filter_labels(request: HttpRequest, names: Iterable[str]) -> list[str]:
    """The filters in use, for the file name: `sector-xitu`."""
    return [f"{name}-{request.GET[name]}"[:40] for name in names if request.GET.get(name, "").strip()]


@require_GET
def simple_export(request: HttpRequest, dataset: str, fmt: str) -> HttpResponse:
    """The lists whose page has no filters: everything the page lists."""
    return full_export_response(request, datasets.by_key(dataset), fmt)
