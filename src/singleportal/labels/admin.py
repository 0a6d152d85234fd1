"""The operator sees label runs and copy reports read-only: runs are issued and withdrawn by
their business (labels.actions), reports reviewed by programme staff on their queue."""

from django.contrib import admin

from singleportal.config.admin import ViewOnlyAdmin, admin_site
from singleportal.labels.models import CopyReport, LabelRun


@admin.register(LabelRun, site=admin_site)
class LabelRunAdmin(ViewOnlyAdmin):
    list_display = ("pk", "profile", "product", "kind", "quantity", "made_on", "issued_at")
    list_filter = ("kind",)
    search_fields = ("profile__name_en", "profile__name_km", "batch_reference")
    list_select_related = ("profile", "product")


@admin.register(CopyReport, site=admin_site)
class CopyReportAdmin(ViewOnlyAdmin):
    list_display = ("created_at", "code", "place", "status")
    list_filter = ("status",)
    search_fields = ("code", "place")
