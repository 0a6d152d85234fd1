from django.contrib import admin

from singleportal.config.admin import AuditedModelAdmin, admin_site
from singleportal.geo.models import Commune, District, PlaceAlias, Province, Village

PLACE_SEARCH = ("code", "name_km", "name_en")


@admin.register(Province, site=admin_site)
class ProvinceAdmin(AuditedModelAdmin):
    list_display = ("code", "name_km", "name_en", "kind")
    list_filter = ("kind",)
    search_fields = PLACE_SEARCH


@admin.register(District, site=admin_site)
class DistrictAdmin(AuditedModelAdmin):
    list_display = ("code", "name_km", "name_en", "kind", "province")
    list_filter = ("kind", "province")
    list_select_related = ("province",)
    search_fields = PLACE_SEARCH
    autocomplete_fields = ("province",)


@admin.register(Commune, site=admin_site)
class CommuneAdmin(AuditedModelAdmin):
    list_display = ("code", "name_km", "name_en", "kind", "district")
    list_filter = ("kind", "district__province")
    list_select_related = ("district",)
    search_fields = PLACE_SEARCH
    autocomplete_fields = ("district",)


@admin.register(Village, site=admin_site)
class VillageAdmin(AuditedModelAdmin):
    list_display = ("code", "name_km", "name_en", "commune")
    list_filter = ("commune__district__province",)
    list_select_related = ("commune",)
    search_fields = PLACE_SEARCH
    autocomplete_fields = ("commune",)


@admin.register(PlaceAlias, site=admin_site)
class PlaceAliasAdmin(AuditedModelAdmin):
    list_display = ("alias", "level", "code", "reason")
    list_filter = ("level", "reason")
    search_fields = ("alias", "code")
