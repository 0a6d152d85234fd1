from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from singleportal.accounts.models import ApiToken, RoleAssignment, User
from singleportal.config.admin import AuditedModelAdmin, admin_site


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(User, site=admin_site)
class SinglePortalUserAdmin(AuditedModelAdmin, UserAdmin):
    list_display = ("username", "full_name", "email", "phone", "verified_at", "is_active")
    search_fields = ("username", "full_name", "email", "phone")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (None, {"fields": ("full_name", "phone", "preferred_language", "verified_at")}),
    )
    inlines = [RoleInline]


@admin.register(ApiToken, site=admin_site)
class ApiTokenAdmin(AuditedModelAdmin):
    list_display = ("name", "user", "hint", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("token_hash", "hint")
    search_fields = ("name", "user__username")
