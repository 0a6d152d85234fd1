from django.contrib import admin

from singleportal.config.admin import admin_site
from singleportal.registry.models import Business


@admin.register(Business, site=admin_site)
class BusinessAdmin(admin.ModelAdmin):
    list_display = ("registration_number", "name_km", "name_en", "legal_form", "status")
    list_filter = ("status", "legal_form")
    search_fields = ("registration_number", "name_en", "name_km")
    readonly_fields = ("name_km_normalized", "name_en_normalized", "name_km_key", "name_en_key")
