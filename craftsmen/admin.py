from django.contrib import admin

from craftsmen.models import (
    Academy,
    AcademyField,
    AcademyGroup,
    AcademyType,
    EventRole,
    Person,
    PilotBatch,
    PilotCategory,
    PilotUnit,
    Tier,
    TierCount,
)
from portal.admin import PublicRecordAdmin


@admin.register(Tier)
class TierAdmin(PublicRecordAdmin):
    list_display = ["name", "name_en", "scope", "rank", "is_trainee", "ladder_role", "region", "citation_count"]
    list_filter = ["scope", "is_trainee", "is_published"]
    autocomplete_fields = ["region"]
    list_select_related = ["region"]


@admin.register(Person)
class PersonAdmin(PublicRecordAdmin):
    list_display = ["name", "name_en", "title", "organisation", "tier", "tier_basis", "citation_count"]
    list_filter = ["tier", "tier_basis", "is_published"]
    search_fields = [*PublicRecordAdmin.search_fields, "title", "organisation__name"]
    autocomplete_fields = ["organisation", "tier"]
    list_select_related = ["organisation", "tier"]


@admin.register(TierCount)
class TierCountAdmin(PublicRecordAdmin):
    list_display = ["name", "tier", "place", "event", "count", "unit", "phrase", "citation_count"]
    list_filter = ["tier", "place"]
    search_fields = [*PublicRecordAdmin.search_fields, "phrase"]
    autocomplete_fields = ["tier", "place", "event"]
    list_select_related = ["tier", "place", "event"]


@admin.register(EventRole)
class EventRoleAdmin(PublicRecordAdmin):
    list_display = ["name", "event", "person", "organisation", "citation_count"]
    list_filter = ["event"]
    search_fields = [*PublicRecordAdmin.search_fields, "person__name", "organisation__name", "event__name"]
    autocomplete_fields = ["event", "person", "organisation"]
    list_select_related = ["event", "person", "organisation"]


class PilotCategoryInline(admin.TabularInline):
    model = PilotCategory
    extra = 0
    fields = ["name", "slug", "count", "unit", "phrase", "order"]
    show_change_link = True


@admin.register(PilotBatch)
class PilotBatchAdmin(PublicRecordAdmin):
    list_display = ["number", "name", "name_en", "citation_count"]
    inlines = [*PublicRecordAdmin.inlines, PilotCategoryInline]


@admin.register(PilotCategory)
class PilotCategoryAdmin(PublicRecordAdmin):
    list_display = ["name", "batch", "count", "unit", "phrase", "citation_count"]
    list_filter = ["batch"]
    search_fields = [*PublicRecordAdmin.search_fields, "phrase"]
    autocomplete_fields = ["batch"]
    list_select_related = ["batch"]


@admin.register(PilotUnit)
class PilotUnitAdmin(PublicRecordAdmin):
    list_display = ["name", "batch", "category", "organisation", "citation_count", "is_published"]
    list_filter = ["batch", "is_published"]
    autocomplete_fields = ["batch", "category", "organisation"]
    list_select_related = ["batch", "category", "organisation"]


@admin.register(AcademyType)
class AcademyTypeAdmin(PublicRecordAdmin):
    list_display = ["name", "name_en", "count", "unit", "phrase", "citation_count"]
    search_fields = [*PublicRecordAdmin.search_fields, "phrase"]


class AcademyFieldInline(admin.TabularInline):
    model = AcademyField
    extra = 0
    fields = ["name", "name_en", "slug", "order"]
    show_change_link = True


@admin.register(AcademyGroup)
class AcademyGroupAdmin(PublicRecordAdmin):
    list_display = ["name", "count", "unit", "phrase", "event", "citation_count"]
    search_fields = [*PublicRecordAdmin.search_fields, "phrase"]
    autocomplete_fields = ["event"]
    list_select_related = ["event"]
    inlines = [*PublicRecordAdmin.inlines, AcademyFieldInline]


@admin.register(AcademyField)
class AcademyFieldAdmin(PublicRecordAdmin):
    list_display = ["name", "name_en", "group", "order", "citation_count"]
    list_filter = ["group"]
    autocomplete_fields = ["group"]
    list_select_related = ["group"]


@admin.register(Academy)
class AcademyAdmin(PublicRecordAdmin):
    list_display = ["name", "name_en", "academy_type", "recognition", "citation_count", "is_published"]
    list_filter = ["academy_type", "groups", "is_published"]
    search_fields = [*PublicRecordAdmin.search_fields, "recognition"]
    autocomplete_fields = ["academy_type", "groups", "organisation", "recognised_by"]
    list_select_related = ["academy_type"]
