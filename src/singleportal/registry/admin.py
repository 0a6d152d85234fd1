from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from singleportal.config.admin import AuditedModelAdmin, ViewOnlyAdmin, ViewOnlyInline, admin_site
from singleportal.registry import events, metering
from singleportal.registry.models import ApiKey, Business, BusinessRecord

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

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        """A status the operator changes goes into the register's change stream too."""
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if change and "status" in form.changed_data:
                events.status_changed(obj, form.initial["status"], obj.status)


@admin.register(BusinessRecord, site=admin_site)
class BusinessRecordAdmin(ViewOnlyAdmin):
    """Read-only: records are issued by the agencies' approvals (registry.entries)."""

    list_display = ("number", "kind", "agency_code", "business", "issued_at")
    list_filter = ("kind", "agency_code")
    list_select_related = ("business",)
    search_fields = ("number", "business__registration_number", "business__name_km")
    date_hierarchy = "issued_at"


@admin.register(ApiKey, site=admin_site)
class ApiKeyAdmin(AuditedModelAdmin):
    """Keys of the open data API. The key is made here and shown once, when the key is added;
    only its hash is kept. Switch a key off with `active` rather than deleting it."""

    list_display = ("name", "owner", "prefix", "active", "rate", "created_at", "last_used_at")
    list_filter = ("active",)
    search_fields = ("name", "prefix", "owner__email")
    raw_id_fields = ("owner",)
    readonly_fields = ("prefix", "created_at", "last_used_at")
    fields = ("name", "owner", "active", "rate", "prefix", "created_at", "last_used_at")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        key = None
        if not change:
            key, obj.prefix, obj.key_hash = metering.new_key()
        super().save_model(request, obj, form, change)
        if key is not None:
            messages.warning(
                request,
                _("Copy the new key now; it is not kept and will not be shown again: %(key)s")
                % {"key": key},
            )
