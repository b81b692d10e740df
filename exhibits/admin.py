from django.contrib import admin

from exhibits.models import Exhibit, Exhibition, ExhibitionArea, ExhibitKind, Sector
from portal.admin import PublicRecordAdmin


@admin.register(Exhibition)
class ExhibitionAdmin(PublicRecordAdmin):
    list_display = ["name", "event", "organiser", "layout_as_written", "citation_count"]
    autocomplete_fields = ["event", "organiser"]
    list_select_related = ["event", "organiser"]


@admin.register(ExhibitionArea)
class ExhibitionAreaAdmin(PublicRecordAdmin):
    list_display = ["name", "name_en", "exhibition", "name_is_descriptive", "citation_count"]
    list_filter = ["exhibition", "name_is_descriptive"]
    autocomplete_fields = ["exhibition"]
    list_select_related = ["exhibition"]


@admin.register(Sector)
class SectorAdmin(PublicRecordAdmin):
    pass


@admin.register(ExhibitKind)
class ExhibitKindAdmin(PublicRecordAdmin):
    pass


@admin.register(Exhibit)
class ExhibitAdmin(PublicRecordAdmin):
    list_display = ["name", "name_en", "kind", "area", "organisation", "makers_as_written", "citation_count"]
    list_filter = ["kind", "area", "sectors", "organisation", "is_published"]
    search_fields = [
        *PublicRecordAdmin.search_fields,
        "makers_as_written",
        "makers__name",
        "organisation__name",
    ]
    autocomplete_fields = ["exhibition", "area", "kind", "sectors", "makers", "organisation"]
    list_select_related = ["kind", "area", "organisation"]
