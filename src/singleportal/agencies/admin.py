from django.contrib import admin

from singleportal.agencies.models import Agency
from singleportal.config.admin import AuditedModelAdmin, admin_site


@admin.register(Agency, site=admin_site)
class AgencyAdmin(AuditedModelAdmin):
    list_display = ("code", "name_km", "name_en")
