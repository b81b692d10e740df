from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db import models
from django.db.models import Count
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME
from simple_history.utils import get_m2m_reverse_field_name

from portal.admin_site import PortalAdminSite
from portal.models import Citation, Event, Figure, FixtureLoad, Organisation, Place, Programme, Report, Synonym
from portal.reports import paragraphs_of
from portal.spreadsheets import SpreadsheetAdminMixin

# The default site, with two-factor when ADMIN_REQUIRE_2FA is on (the way
# django-otp documents swapping it in without touching the URLs).
admin.site.__class__ = PortalAdminSite
admin.site.site_header = "北疆工匠 · 数据管理"
admin.site.site_title = "北疆工匠管理"
admin.site.index_title = "记录管理"


class CitationInline(GenericTabularInline):
    model = Citation
    extra = 0
    min_num = 0
    fields = ["report", "paragraph", "excerpt", "order", "paragraph_text"]
    readonly_fields = ["paragraph_text"]
    autocomplete_fields = ["report"]
    verbose_name = "引用（报道、段落、原文摘录）"
    verbose_name_plural = "引用（报道、段落、原文摘录）"

    @admin.display(description="该段原文")
    def paragraph_text(self, citation: Citation) -> str:
        return paragraph_with_excerpt(citation)


def paragraph_with_excerpt(citation: Citation) -> str:
    """The cited paragraph with the excerpt marked, so an editor sees the
    proof beside the claim; a warning when the excerpt is not in it."""
    if not citation.pk:
        return "—"
    paragraphs = paragraphs_of(citation.report.file_name)
    if paragraphs is None:
        return "（报道文件不在本机，无法显示原文）"
    if not 1 <= citation.paragraph <= len(paragraphs):
        return format_html('<strong class="errornote">段落号超出范围（共 {} 段）</strong>', len(paragraphs))
    text = paragraphs[citation.paragraph - 1]
    before, found, after = text.partition(citation.excerpt)
    if not found:
        return format_html('<strong class="errornote">摘录不在该段中。</strong> {}', text)
    return format_html("{}<mark>{}</mark>{}", before, found, after)


class TrackedAdmin(SimpleHistoryAdmin):
    """The admin of every model that keeps an edit history: each record's
    versions, with who changed it and when, browsable and revertible from
    its "history" button."""

    history_list_display = ["history_username"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        """On a version's revert page (`obj` is built from the version),
        the many-to-many fields start from the version's relations, not the
        record's current ones, so saving the page restores them too."""
        form = super().get_form(request, obj, change=change, **kwargs)
        version = getattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)
        if version is None:
            return form
        initial = {
            field.name: list(getattr(version, field.name).values_list(get_m2m_reverse_field_name(field), flat=True))
            for field in version._history_m2m_fields
            if field.name in form.base_fields
        }
        if not initial:
            return form

        class VersionForm(form):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, **form_kwargs)
                self.initial.update(initial)

        return VersionForm

    def get_history_queryset(self, request, history_manager, pk_name: str, object_id):
        # simple-history calls select_related() with no names when a model
        # has no foreign key, which Django 6.1 deprecates.
        history = history_manager.filter(**{pk_name: object_id})
        foreign_keys = [f.name for f in history_manager.model.tracked_fields if isinstance(f, models.ForeignKey)]
        return history.select_related(*foreign_keys) if foreign_keys else history


class PublicRecordAdmin(SpreadsheetAdminMixin, TrackedAdmin):
    """What every public, citable record's admin page has: the citations as
    an inline and, read-only, the cited paragraphs with the excerpt marked,
    and spreadsheet import/export on the changelist."""

    inlines = [CitationInline]
    list_display = ["name", "name_en", "slug", "citation_count", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["name", "name_en", "slug", "description"]
    readonly_fields = ["evidence", "created_at", "updated_at"]
    prepopulated_fields: dict[str, tuple[str, ...]] = {}
    list_per_page = 50
    save_on_top = True

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_citation_count=Count("citations", distinct=True))

    @admin.display(description="引用数", ordering="_citation_count")
    def citation_count(self, record) -> int:
        return record._citation_count

    @admin.display(description="出处（只读）")
    def evidence(self, record) -> str:
        citations = record.citations.select_related("report") if record.pk else []
        if not citations:
            return "尚无引用。每条公开记录至少需要一条引用。"
        return format_html_join(
            "",
            "<p><strong>{} 第 {} 段</strong>：{}</p>",
            ((c.report.file_name, c.paragraph, paragraph_with_excerpt(c)) for c in citations),
        )


@admin.register(Report)
class ReportAdmin(TrackedAdmin):
    list_display = ["title", "file_name", "title_is_ours", "date_as_written", "year", "year_is_inferred"]
    search_fields = ["title", "title_en", "file_name", "publisher"]
    list_filter = ["title_is_ours", "year_is_inferred"]


@admin.register(Citation)
class CitationAdmin(TrackedAdmin):
    list_display = ["__str__", "excerpt", "content_type", "object_id"]
    list_filter = ["report", "content_type"]
    search_fields = ["excerpt"]
    list_select_related = ["report", "content_type"]
    autocomplete_fields = ["report"]
    readonly_fields = ["paragraph_text"]

    @admin.display(description="该段原文")
    def paragraph_text(self, citation: Citation) -> str:
        return paragraph_with_excerpt(citation)


@admin.register(Place)
class PlaceAdmin(PublicRecordAdmin):
    list_display = ["name", "name_en", "kind", "parent", "citation_count", "is_published"]
    list_filter = ["kind", "is_published"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


@admin.register(Organisation)
class OrganisationAdmin(PublicRecordAdmin):
    list_display = ["name", "name_en", "kind", "parent", "place", "citation_count", "is_published"]
    list_filter = ["kind", "is_published"]
    search_fields = [*PublicRecordAdmin.search_fields, "short_names"]
    autocomplete_fields = ["parent", "place"]
    list_select_related = ["parent", "place"]


@admin.register(Event)
class EventAdmin(PublicRecordAdmin):
    list_display = ["name", "kind", "date_as_written", "start_date", "place", "parent", "citation_count"]
    list_filter = ["kind", "date_is_inferred", "is_published"]
    search_fields = [*PublicRecordAdmin.search_fields, "theme"]
    autocomplete_fields = ["parent", "place", "hosts"]
    list_select_related = ["place", "parent"]
    date_hierarchy = "start_date"


@admin.register(Programme)
class ProgrammeAdmin(PublicRecordAdmin):
    list_display = ["name", "name_en", "kind", "citation_count", "is_published"]
    list_filter = ["kind", "is_published"]
    autocomplete_fields = ["organisations"]


@admin.register(Figure)
class FigureAdmin(PublicRecordAdmin):
    list_display = ["name", "printed", "value", "unit", "precision", "phrase", "topic", "is_headline", "citation_count"]
    list_filter = ["topic", "precision", "is_headline", "is_published"]
    search_fields = [*PublicRecordAdmin.search_fields, "phrase"]
    autocomplete_fields = ["event", "organisation"]


@admin.register(FixtureLoad)
class FixtureLoadAdmin(admin.ModelAdmin):
    list_display = ["loaded_at", "records", "digest"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Synonym)
class SynonymAdmin(TrackedAdmin):
    list_display = ["term", "expansion", "note"]
    search_fields = ["term", "expansion"]
