from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite

from singleportal.audit import chain as audit


class SinglePortalAdminSite(OTPAdminSite):
    """The operator's admin: staff only, and only after the second factor (TOTP)."""

    site_header = _("Single Portal administration")
    site_title = _("Single Portal administration")
    index_title = _("Operator tools")

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """One sign-in for everyone: the site's, with its lockout and second factor."""
        return redirect_to_login(
            request.GET.get("next") or reverse("admin:index"), reverse("accounts:login")
        )

    def logout(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        return redirect("accounts:login")


admin_site = SinglePortalAdminSite(name="admin")


class AuditedModelAdmin(admin.ModelAdmin):
    """Operator edits in the admin go into the audit log like every other write."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            action = "admin.changed" if change else "admin.added"
            audit.record(request.user, action, obj, {"fields": sorted(form.changed_data)})

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_formset(request, form, formset, change)
            for obj in formset.new_objects:
                audit.record(request.user, "admin.added", obj)
            for obj, fields in formset.changed_objects:
                audit.record(request.user, "admin.changed", obj, {"fields": sorted(fields)})
            for obj in formset.deleted_objects:
                audit.record(request.user, "admin.deleted", None, _deleted(obj))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit.record(request.user, "admin.deleted", None, _deleted(obj))
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        with transaction.atomic():
            for obj in queryset:
                audit.record(request.user, "admin.deleted", None, _deleted(obj))
            super().delete_queryset(request, queryset)


def _deleted(obj: Any) -> dict[str, str]:
    """What a deleted row was, since the entry cannot point at it any more."""
    return {"model": obj._meta.label_lower, "id": str(obj.pk), "was": str(obj)}


class ViewOnly:
    """For admins and inlines of rows only the actions write (decisions, records): the
    operator sees them and can change nothing."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ViewOnlyAdmin(ViewOnly, admin.ModelAdmin):  # type: ignore[misc]
    pass


class ViewOnlyInline(ViewOnly, admin.TabularInline):  # type: ignore[misc]
    extra = 0
    can_delete = False
    show_change_link = False
