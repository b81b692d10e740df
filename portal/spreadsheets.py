"""Spreadsheet import and export in the admin (django-import-export).

Staff export a changelist to .xlsx or CSV, edit it, and import it back.
Rows are matched by slug; foreign keys and many-to-many fields are written
as the slugs of their targets. An import is first shown as a preview
(added, changed, unchanged rows, and every row's validation errors in
Chinese) and written only when staff confirm it and no row has an error,
in one transaction. Rows are saved through the model's save(), so the
search documents and the content version follow as for an admin edit, and
so does the edit history: each imported change is a version by the importing
user, with the file's name as its change reason.

Who may do what: exporting needs the model's view permission (as the
changelist does), importing its add and change permissions. A record the
import would publish without a citation is saved unpublished instead.

A file is refused as a whole, before any row is imported, when it is too
big, has too many rows, lacks the slug column or has a NUL character in a
cell. Exported text never starts a live formula: CSV cells get a leading
apostrophe, .xlsx cells are written as text, and an unchanged export
imports back as a no-op."""

import csv
import io
import logging

import openpyxl
import tablib
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_permission_codename
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm
from openpyxl.utils.exceptions import IllegalCharacterError

from portal.exports import FORMULA_START, is_finite_number

logger = logging.getLogger(__name__)

SEPARATOR = ","
NOT_IMPORTED = ("id", "created_at", "updated_at")
KEY_COLUMN = "slug"
# The change reason of the versions an import records.
IMPORT_REASON = "表格导入"
# What a CSV cell starts with when we escaped it (see escape_cell).
ESCAPE = "'"


class SpreadsheetRefused(ValueError):
    """The whole file is refused, before any row is imported; the message
    is for staff, in Chinese."""


# --------------------------------------------------------------------------
# Formula escaping. A spreadsheet program reads a CSV cell starting with
# = + - @ tab or CR as a formula (OWASP "CSV injection"); such text gets a
# leading apostrophe, as in the public exports (portal.exports.cell_text).
# Text already starting with an apostrophe gets one more, so that stripping
# one apostrophe on import gives back exactly what was exported.
# django-import-export's IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT is not used:
# in 4.4.3 it only deletes a leading "=" (also in CSV), leaves + - @ alone and
# loses data, so the file would not import back unchanged.


def escape_cell(value):
    if isinstance(value, str) and value.startswith((*FORMULA_START, ESCAPE)) and not is_finite_number(value):
        return ESCAPE + value
    return value


def unescape_cell(value):
    if isinstance(value, str) and value.startswith(ESCAPE) and value[1:].startswith((*FORMULA_START, ESCAPE)):
        return value[1:]
    return value


# --------------------------------------------------------------------------
# The two formats. Each reads a file row by row and stops as soon as it has
# more rows than allowed, so an oversized file costs no import work.


def _checked_dataset(rows, blank=None) -> tablib.Dataset:
    """A dataset from an iterator of rows (the first is the headers), refused
    at the first row over the limit, a missing slug column or a NUL; short
    rows are filled up with `blank`, what an empty cell reads as."""
    limit = settings.SPREADSHEET_IMPORT_MAX_ROWS
    try:
        headers = [("" if cell is None else str(cell).strip()) for cell in next(rows)]
    except StopIteration:
        raise SpreadsheetRefused("文件是空的：第一行应是列名（如 slug、name）。") from None
    if KEY_COLUMN not in headers:
        raise SpreadsheetRefused(
            f"文件缺少“{KEY_COLUMN}”列：每行靠网址标识（{KEY_COLUMN}）对应记录。请先导出，在导出的文件上修改后再导入。"
        )
    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        if all(cell is None or cell == "" for cell in row):
            continue  # blank lines, which spreadsheet programs often leave at the end
        if len(dataset) >= limit:
            raise SpreadsheetRefused(f"文件超过 {limit} 行的上限。请分成几个文件导入，每个不超过 {limit} 行。")
        number = len(dataset) + 1
        if len(row) > len(headers):
            if any(cell not in (None, "") for cell in row[len(headers) :]):
                raise SpreadsheetRefused(f"第 {number} 行的单元格比列名多：请为每一列填写列名。")
            row = row[: len(headers)]
        row = [*row, *[blank] * (len(headers) - len(row))]
        for column, cell in zip(headers, row, strict=True):
            if isinstance(cell, str) and "\x00" in cell:
                raise SpreadsheetRefused(
                    f"第 {number} 行的“{column}”列含有空字符（NUL，\\x00），数据库不能保存。请删除该字符后再导入。"
                )
        dataset.append(row)
    if not len(dataset):
        raise SpreadsheetRefused("文件里只有列名，没有数据行。")
    return dataset


class SpreadsheetCSV(CSV):
    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8-sig")
        rows = ([unescape_cell(cell) for cell in row] for row in csv.reader(io.StringIO(in_stream)))
        return _checked_dataset(rows, blank="")

    def export_data(self, dataset, **kwargs):
        escaped = tablib.Dataset(headers=dataset.headers)
        for row in dataset:
            escaped.append([escape_cell(cell) for cell in row])
        return super().export_data(escaped, **kwargs)


class SpreadsheetXLSX(XLSX):
    def create_dataset(self, in_stream):
        book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        try:
            rows = (list(row) for row in book.active.iter_rows(values_only=True))
            return _checked_dataset(rows)
        finally:
            book.close()

    def export_data(self, dataset, **kwargs):
        """Every text cell is written as text, never as a formula, so
        there is nothing to escape and it reads back unchanged."""
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = (dataset.title or "Sheet1")[:31]
        sheet.append(dataset.headers)
        try:
            for row in dataset:
                sheet.append(list(row))
                for cell in sheet[sheet.max_row]:
                    if isinstance(cell.value, str):
                        cell.data_type = "s"
        except IllegalCharacterError:
            raise ValueError("导出失败：有单元格含有 Excel 不允许的控制字符，请改用 CSV 导出。") from None
        sheet.freeze_panes = "A2"
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


class SpreadsheetImportForm(ImportForm):
    """The upload form; a file over the size limit is refused before it is
    stored or read."""

    def clean_import_file(self):
        file = self.cleaned_data["import_file"]
        limit = settings.SPREADSHEET_IMPORT_MAX_BYTES
        if file.size > limit:
            raise ValidationError(
                f"文件太大（{filesizeformat(file.size)}），上限是 {filesizeformat(limit)}。请分成几个文件导入。",
                code="too_big",
            )
        return file


# --------------------------------------------------------------------------
# Resources.


class SlugWidget(widgets.ForeignKeyWidget):
    """A foreign key as its target's slug; an unknown slug is a row error."""

    def __init__(self, model: type[models.Model]) -> None:
        super().__init__(model, field="slug")

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except ObjectDoesNotExist:
            raise ValueError(f"找不到网址标识为“{value}”的{self.model._meta.verbose_name}。") from None


class SlugsWidget(widgets.ManyToManyWidget):
    """Many-to-many as slugs separated by commas; unknown slugs are a row
    error rather than silently dropped."""

    def __init__(self, model: type[models.Model]) -> None:
        super().__init__(model, separator=SEPARATOR, field="slug")

    def clean(self, value, row=None, **kwargs):
        found = super().clean(value, row, **kwargs)
        wanted = {slug.strip() for slug in str(value or "").split(SEPARATOR) if slug.strip()}
        missing = sorted(wanted - {item.slug for item in found})
        if missing:
            raise ValueError(f"找不到网址标识为“{'、'.join(missing)}”的{self.model._meta.verbose_name}。")
        return found


def _is_slug_keyed(model: type[models.Model]) -> bool:
    return any(field.name == "slug" for field in model._meta.get_fields())


def _is_cited(record: models.Model) -> bool:
    # Citations are a generic relation, which a spreadsheet has no column
    # for: a record new from a file never has one.
    return record.pk is not None and hasattr(record, "citations") and record.citations.exists()


class SlugResource(resources.ModelResource):
    def import_data(self, dataset, **kwargs):
        # All or nothing: one row's validation error undoes every row, also
        # when called outside the admin (whose preview already does this).
        kwargs.setdefault("rollback_on_validation_errors", True)
        # The admin's formats have checked the file already; a dataset
        # built some other way gets the same checks before any work.
        _checked_dataset(iter([dataset.headers or [], *dataset]))
        self.unpublished_rows: list[str] = []
        result = super().import_data(dataset, **kwargs)
        result.unpublished_rows = self.unpublished_rows
        return result

    def import_row(self, row, instance_loader, **kwargs):
        """A row the database refuses (a constraint the validation did not
        foresee) is an error in Chinese; the database's own text, which on
        PostgreSQL repeats the whole row, goes to the log only."""
        row_result = super().import_row(row, instance_loader, **kwargs)
        for error in row_result.errors:
            logger.error(
                "spreadsheet import: row %s of %s refused",
                kwargs.get("row_number"),
                self._meta.model._meta.label,
                exc_info=error.error,
            )
            slug = row.get(KEY_COLUMN)
            error.error = SpreadsheetRefused(
                f"这一行（网址标识“{slug}”）无法保存。请检查各列的值是否合适（长度、取值范围、是否与其他记录重复）；"
                "详细原因已记入服务器日志。"
            )
            error.__dict__.pop("traceback", None)  # a cached_property of the old error
        return row_result

    def before_save_instance(self, instance, row, **kwargs):
        """Each imported change is a version in the record's edit history,
        as an admin edit is: by the importing user (also outside a request),
        with the spreadsheet's name as the reason."""
        super().before_save_instance(instance, row, **kwargs)
        user = kwargs.get("user")
        if user is not None and user.is_authenticated:
            instance._history_user = user
        file_name = kwargs.get("file_name")
        instance._change_reason = f"{IMPORT_REASON}：{file_name}" if file_name else IMPORT_REASON

    def import_instance(self, instance, row, **kwargs):
        """Check the many-to-many columns with the other fields, so their
        errors are shown in the preview beside the rest of the row's; and
        never publish a record without a citation."""
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors.setdefault(field.attribute, []).append(ValidationError(str(error), code="invalid"))
        if errors:
            raise ValidationError(errors)
        if getattr(instance, "is_published", False) and not _is_cited(instance):
            instance.is_published = False
            self.unpublished_rows.append(f"第 {kwargs.get('row_number')} 行（{row.get(KEY_COLUMN)}）")


def _text_widget(field: models.Field) -> widgets.Widget | None:
    # An empty cell reads back as None from .xlsx; a text column that
    # cannot be null takes it as "" (as the admin form does), so an
    # unchanged export imports back unchanged.
    if isinstance(field, models.CharField | models.TextField) and not field.null and not field.choices:
        return widgets.CharWidget(allow_blank=True)
    return None


def resource_for(model: type[models.Model]) -> type[resources.ModelResource]:
    """A resource for any public record model: every concrete field but the
    id and timestamps, relations by slug, rows matched by slug."""
    attrs: dict = {}
    for field in model._meta.get_fields():
        if field.name in NOT_IMPORTED or getattr(field, "auto_created", False):
            continue
        if not field.is_relation:
            if widget := _text_widget(field):
                attrs[field.name] = fields.Field(attribute=field.name, column_name=field.name, widget=widget)
            continue
        if not (field.concrete or field.many_to_many) or not _is_slug_keyed(field.related_model):
            continue
        widget = SlugsWidget(field.related_model) if field.many_to_many else SlugWidget(field.related_model)
        attrs[field.name] = fields.Field(attribute=field.name, column_name=field.name, widget=widget, m2m_add=False)

    class Meta:
        pass

    Meta.model = model
    Meta.import_id_fields = (KEY_COLUMN,)
    Meta.exclude = NOT_IMPORTED
    Meta.skip_unchanged = True
    Meta.report_skipped = True
    Meta.use_transactions = True
    Meta.clean_model_instances = True
    attrs["Meta"] = Meta
    return type(f"{model.__name__}Resource", (SlugResource,), attrs)


# --------------------------------------------------------------------------
# The admin.


class SpreadsheetAdminMixin(ImportExportMixin):
    """Import and export buttons on a changelist, for .xlsx and CSV, each
    shown and answered only to staff with the permissions it needs."""

    import_formats = [SpreadsheetXLSX, SpreadsheetCSV]
    export_formats = [SpreadsheetXLSX, SpreadsheetCSV]
    import_form_class = SpreadsheetImportForm

    def get_resource_classes(self, request):
        return [resource_for(self.model)]

    def _has_model_permission(self, request, action: str) -> bool:
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")

    def has_import_permission(self, request) -> bool:
        # An import both adds and changes records.
        return self._has_model_permission(request, "add") and self._has_model_permission(request, "change")

    def has_export_permission(self, request) -> bool:
        # Whoever may see the changelist (the view permission, or change,
        # which Django's admin takes to include view) may download it; the
        # export shows nothing the changelist does not.
        return self.has_view_permission(request)

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, SpreadsheetRefused):
            form.add_error("import_file", str(e))
            return
        logger.info("spreadsheet import: unreadable file", exc_info=e)
        form.add_error("import_file", "无法读取这个文件。请确认所选格式（.xlsx 或 CSV，UTF-8 编码）与文件一致。")

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        result = (getattr(response, "context_data", None) or {}).get("result")
        rows = getattr(result, "unpublished_rows", None)
        if rows:
            listed = "、".join(rows)
            messages.warning(request, f"以下记录没有引用，导入后不公开：{listed}。请在记录页添加引用后再公开。")
        return response

    def process_result(self, result, request):
        response = super().process_result(result, request)
        rows = getattr(result, "unpublished_rows", None)
        if rows:
            messages.warning(request, f"以下记录没有引用，已保存为不公开：{'、'.join(rows)}。")
        return response
