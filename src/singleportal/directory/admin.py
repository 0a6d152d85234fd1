"""The operator sees profiles, their members and the claims, read-only: profiles are changed
by their members (directory.actions), claims decided by programme staff on their queue."""

from django.contrib import admin
from django.db import models

from singleportal.config.admin import ViewOnlyAdmin, ViewOnlyInline, admin_site
from singleportal.directory.models import ClaimDecision, Profile, ProfileClaim, ProfileMember


class MemberInline(ViewOnlyInline):
    model = ProfileMember
    fields = ("user", "role", "added_by", "created_at")
    readonly_fields = fields


class DecisionInline(ViewOnlyInline):
    model = ClaimDecision
    fields = ("outcome", "decided_by", "note", "decided_at")
    readonly_fields = fields


@admin.register(Profile, site=admin_site)
class ProfileAdmin(ViewOnlyAdmin):
    list_display = ("name_km", "name_en", "slug", "business", "province", "published")
    list_filter = ("published", "province")
    search_fields = ("name_km", "name_en", "slug", "business__registration_number")
    list_select_related = ("business", "province")
    inlines = [MemberInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(ProfileClaim, site=admin_site)
class ProfileClaimAdmin(ViewOnlyAdmin):
    list_display = ("business", "user", "basis", "officer_name", "created_at")
    list_filter = ("basis",)
    search_fields = ("business__registration_number", "user__username", "officer_name")
    list_select_related = ("business", "user")
    inlines = [DecisionInline]
