from django.contrib import admin

from singleportal.activities.models import Activity
from singleportal.config.admin import AuditedModelAdmin, admin_site


@admin.register(Activity, site=admin_site)
class ActivityAdmin(AuditedModelAdmin):
    list_display = ("code", "level", "name_en", "name_km", "active")
    list_filter = ("level", "active")
    search_fields = ("code", "name_en", "name_km")
    raw_id_fields = ("parent",)
