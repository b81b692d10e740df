"""Streamed downloads: CSV (UTF-8 with a BOM, so Excel reads the Chinese
right), Excel .xlsx, and the CSV and JSON files of the whole-dataset zip,
streamed or written to files (portal.download_store keeps full downloads).

Nothing here holds a whole table in memory. CSV is written a few hundred
rows at a time. XlsxWriter's constant_memory mode keeps one row in memory
and spills the sheet to a temporary file; a streamed workbook is then sent
from that file in chunks."""

from __future__ import annotations

import csv
import io
import json
import tempfile
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
    if text.startswith(FORMULA_START) and not is_finite_number(text):
        return "'" + text
    return text


def is_finite_number(text: str) -> bool:
    """A number a spreadsheet reads as one (-5, +1.5), which starts like a
    formula but is none; "-Infinity" and "NaN" are text, and escaped."""
    try:
        return Decimal(text).is_finite()
    except (ArithmeticError, ValueError):
        return False


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


def write_csv_and_json(
    csv_file: BinaryIO, json_file: BinaryIO, headers: list[str], keys: list[str], head: dict, rows: Iterable[list]
) -> None:
    """A table's CSV and JSON files (for the /data/ zip) in one pass over
    its rows: reading the records is most of the cost."""
    text = io.TextIOWrapper(csv_file, encoding="utf-8", newline="")
    writer = csv.writer(text)
    text.write(BOM)
    writer.writerow(headers)

    def records() -> Iterator[dict]:
        for row in rows:
            writer.writerow([cell_text(value) for value in row])
            yield dict(zip(keys, row, strict=True))

    for chunk in json_chunks(head, records()):
        json_file.write(chunk.encode())
    text.flush()
    text.detach()


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
