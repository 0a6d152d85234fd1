from django.contrib import admin

from singleportal.config.admin import AuditedModelAdmin, ViewOnlyAdmin, ViewOnlyInline, admin_site
from singleportal.registry.models import Business, BusinessRecord

RECORD_FIELDS = (
    "kind",
    "agency_code",
    "number",
    "issued_at",
    "application_reference",
    "details",
)


class RecordInline(ViewOnlyInline):
    """What the agencies issued, read-only: a record is never changed, a change is a new one."""

    model = BusinessRecord
    fields = RECORD_FIELDS
    readonly_fields = RECORD_FIELDS


@admin.register(Business, site=admin_site)
class BusinessAdmin(AuditedModelAdmin):
    list_display = ("registration_number", "name_km", "name_en", "legal_form", "status", "tin")
    list_filter = ("status", "legal_form")
    search_fields = ("registration_number", "name_en", "name_km", "tin")
    readonly_fields = (
        "name_km_normalized",
        "name_en_normalized",
        "name_km_key",
        "name_en_key",
        "tin",
        "application_reference",
    )
    inlines = [RecordInline]


@admin.register(BusinessRecord, site=admin_site)
class BusinessRecordAdmin(ViewOnlyAdmin):
    """Read-only: records are issued by the agencies' approvals (registry.entries)."""

    list_display = ("number", "kind", "agency_code", "business", "issued_at")
    list_filter = ("kind", "agency_code")
    list_select_related = ("business",)
    search_fields = ("number", "business__registration_number", "business__name_km")
    date_hierarchy = "issued_at"
