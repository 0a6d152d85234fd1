from django.contrib import admin
from django.http import HttpRequest

from singleportal.audit.models import AuditEntry
from singleportal.config.admin import admin_site


@admin.register(AuditEntry, site=admin_site)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only, through audit.chain.record."""

    list_display = ("sequence", "at", "actor_label", "action", "object_type", "object_id")
    list_filter = ("action", "object_type")
    search_fields = ("actor_label", "action", "object_id")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
