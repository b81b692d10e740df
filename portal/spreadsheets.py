"""Spreadsheet import and export in the admin (django-import-export).

Staff export a changelist to .xlsx or CSV, edit it, and import it back.
Rows are matched by slug; foreign keys and many-to-many fields are written
as the slugs of their targets. An import is first shown as a preview
(added, changed, unchanged rows, and every row's validation errors in
Chinese) and written only when staff confirm it and no row has an error,
in one transaction. Rows are saved through the model's save(), so the
search documents and the content version follow as for an admin edit, and
so does the edit history: each imported change is a version by the importing
user, with the file's name as its change reason."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX

SEPARATOR = ","
NOT_IMPORTED = ("id", "created_at", "updated_at")
# The change reason of the versions an import records.
IMPORT_REASON = "表格导入"


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


class SlugResource(resources.ModelResource):
    def import_data(self, dataset, **kwargs):
        # All or nothing: one row's validation error undoes every row, also
        # when called outside the admin (whose preview already does this).
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, **kwargs)

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
        errors are shown in the preview beside the rest of the row's."""
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


def resource_for(model: type[models.Model]) -> type[resources.ModelResource]:
    """A resource for any public record model: every concrete field but the
    id and timestamps, relations by slug, rows matched by slug."""
    attrs: dict = {}
    for field in model._meta.get_fields():
        if field.auto_created or not field.is_relation or not (field.concrete or field.many_to_many):
            continue
        if not _is_slug_keyed(field.related_model):
            continue
        widget = SlugsWidget(field.related_model) if field.many_to_many else SlugWidget(field.related_model)
        attrs[field.name] = fields.Field(attribute=field.name, column_name=field.name, widget=widget, m2m_add=False)

    class Meta:
        pass

    Meta.model = model
    Meta.import_id_fields = ("slug",)
    Meta.exclude = NOT_IMPORTED
    Meta.skip_unchanged = True
    Meta.report_skipped = True
    Meta.use_transactions = True
    Meta.clean_model_instances = True
    attrs["Meta"] = Meta
    return type(f"{model.__name__}Resource", (SlugResource,), attrs)


class SpreadsheetAdminMixin(ImportExportMixin):
    """Import and export buttons on a changelist, for .xlsx and CSV."""

    import_formats = [XLSX, CSV]
    export_formats = [XLSX, CSV]

    def get_resource_classes(self, request):
        return [resource_for(self.model)]
