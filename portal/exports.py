"""Streamed downloads: CSV (UTF-8 with a BOM, so Excel reads the Chinese
right), Excel .xlsx and the whole-dataset zip.

Nothing here holds a whole table in memory. CSV is written and sent a few
hundred rows at a time. XlsxWriter's constant_memory mode keeps one row in
memory and spills the sheet to a temporary file; the finished workbook is
then sent from that file in chunks. The zip is written with the standard
library's zipfile to a buffer that is emptied after every chunk."""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from decimal import Decimal
from typing import BinaryIO

import xlsxwriter
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_CONTENT_TYPE = "application/zip"
BOM = "\ufeff"
ROWS_PER_CHUNK = 200
FILE_CHUNK = 64 * 1024
FORMATS = ("csv", "xlsx")

# A cell starting with one of these is read as a formula by spreadsheet
# programs (OWASP "CSV injection"); such text gets a leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, int | Decimal):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def file_name(what: str, extension: str, filters: Iterable[str] = (), when: datetime | None = None) -> str:
    """`北疆工匠-展品-sector-xitu-20261122-1430.csv`: what, the filters in
    use, and when (local time) the file was made."""
    now = timezone.localtime(when)
    parts = ["北疆工匠" if not what.isascii() else "beijiang-gongjiang", what, *filters, f"{now:%Y%m%d-%H%M}"]
    name = "-".join(part.replace("/", "-").replace("\\", "-") for part in parts if part)
    return f"{name[:180]}.{extension}"


def _attachment(response: StreamingHttpResponse, name: str) -> StreamingHttpResponse:
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def csv_chunks(headers: list[str], rows: Iterable[list[object]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow(headers)
    for count, row in enumerate(rows, start=1):
        writer.writerow([cell_text(value) for value in row])
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_response(headers: list[str], rows: Iterable[list[object]], name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_chunks(headers, rows), content_type=CSV_CONTENT_TYPE)
    return _attachment(response, name)


def write_csv(file: BinaryIO, headers: list[str], rows: Iterable[list[object]]) -> None:
    for chunk in csv_chunks(headers, rows):
        file.write(chunk.encode())


def write_xlsx(path: str, sheet_name: str, headers: list[str], rows: Iterable[list[object]], tmpdir: str) -> None:
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "tmpdir": tmpdir, "strings_to_formulas": False})
    sheet = workbook.add_worksheet(sheet_name[:31])
    bold = workbook.add_format({"bold": True})
    sheet.write_row(0, 0, headers, bold)
    sheet.freeze_panes(1, 0)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if isinstance(value, int | Decimal) and not isinstance(value, bool):
                sheet.write_number(number, column, float(value))
            else:
                sheet.write_string(number, column, "" if value is None else str(value))
    workbook.close()


def xlsx_chunks(sheet_name: str, headers: list[str], rows: Iterable[list[object]]) -> Iterator[bytes]:
    with tempfile.TemporaryDirectory(prefix="portal-xlsx-") as directory:
        path = f"{directory}/export.xlsx"
        write_xlsx(path, sheet_name, headers, rows, directory)
        with open(path, "rb") as finished:
            while chunk := finished.read(FILE_CHUNK):
                yield chunk


def xlsx_response(sheet_name: str, headers: list[str], rows: Iterable[list[object]], name: str):
    response = StreamingHttpResponse(xlsx_chunks(sheet_name, headers, rows), content_type=XLSX_CONTENT_TYPE)
    return _attachment(response, name)


def table_response(fmt: str, title: str, headers: list[str], rows: Iterable[list[object]], name: str):
    if fmt == "xlsx":
        return xlsx_response(title, headers, rows, name)
    return csv_response(headers, rows, name)


# --------------------------------------------------------------------------
# The zip: files written one after another, each streamed into the archive.


class _Drain(io.RawIOBase):
    """A write-only, unseekable stream whose bytes are taken out as they
    come; zipfile then writes data descriptors instead of seeking back."""

    def __init__(self) -> None:
        self.pending = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.pending += data
        return len(data)

    def take(self) -> bytes:
        data = bytes(self.pending)
        self.pending.clear()
        return data


def zip_chunks(members: Iterable[tuple[str, Iterable[str | bytes]]]) -> Iterator[bytes]:
    """members: (file name, the file's chunks)."""
    drain = _Drain()
    with zipfile.ZipFile(drain, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, chunks in members:
            info = zipfile.ZipInfo(name, date_time=timezone.localtime().timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w") as member:
                for chunk in chunks:
                    member.write(chunk.encode() if isinstance(chunk, str) else chunk)
                    if len(drain.pending) >= FILE_CHUNK:
                        yield drain.take()
            yield drain.take()
    yield drain.take()


def write_zip(file: BinaryIO, members: Iterable[tuple[str, Iterable[str | bytes]]]) -> None:
    for chunk in zip_chunks(members):
        file.write(chunk)


def json_chunks(head: dict, records: Iterable[dict]) -> Iterator[str]:
    """`{...head, "records": [...]}`, one record per line."""
    opening = json.dumps(head, ensure_ascii=False, indent=None)[:-1]
    yield opening + (', "records": [' if head else '{"records": [')
    for number, record in enumerate(records):
        yield ("\n" if number == 0 else ",\n") + json.dumps(record, ensure_ascii=False, default=_json_default)
    yield "\n]}\n"


def _json_default(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value)
