from django.contrib import admin

from singleportal.config.admin import admin_site
from singleportal.names.models import NameReservation, NameRule, ReservationEvent, RestrictedWord


@admin.register(NameRule, site=admin_site)
class NameRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "script", "kind", "stage", "position", "enabled")
    list_filter = ("script", "stage", "enabled")
    search_fields = ("code", "description_en", "description_km")


@admin.register(RestrictedWord, site=admin_site)
class RestrictedWordAdmin(admin.ModelAdmin):
    list_display = ("code", "script", "word", "kind", "enabled")
    list_filter = ("script", "kind", "enabled")
    search_fields = ("code", "word")


class EventInline(admin.TabularInline):
    model = ReservationEvent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "from_status", "to_status", "actor", "at", "note")

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(NameReservation, site=admin_site)
class NameReservationAdmin(admin.ModelAdmin):
    """Read-only: reservations change only through the actions (with their audit trail)."""

    list_display = ("name_km", "name_en", "applicant", "status", "expires_at")
    list_filter = ("status",)
    search_fields = ("name_km", "name_en", "applicant__username")
    inlines = [EventInline]

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False
