"""The operator sees the catalogue read-only: products are changed by their profile's members
(catalog.actions), marks decided by programme staff on their queue."""

from django.contrib import admin

from singleportal.catalog.models import MarkDecision, Product, ProductImport, ProductMark
from singleportal.config.admin import ViewOnlyAdmin, ViewOnlyInline, admin_site


class MarkDecisionInline(ViewOnlyInline):
    model = MarkDecision
    fields = ("outcome", "decided_by", "reason", "decided_at")
    readonly_fields = fields


@admin.register(Product, site=admin_site)
class ProductAdmin(ViewOnlyAdmin):
    list_display = ("title_km", "title_en", "profile", "category", "stock_status", "published")
    list_filter = ("published", "category", "stock_status", "currency")
    search_fields = ("title_km", "title_en", "slug", "profile__name_en", "hs_code")
    list_select_related = ("profile",)


@admin.register(ProductMark, site=admin_site)
class ProductMarkAdmin(ViewOnlyAdmin):
    list_display = ("product", "kind", "issuer", "number", "valid_until", "status")
    list_filter = ("kind", "status")
    search_fields = ("number", "issuer", "product__title_en", "product__title_km")
    list_select_related = ("product",)
    inlines = [MarkDecisionInline]


@admin.register(ProductImport, site=admin_site)
class ProductImportAdmin(ViewOnlyAdmin):
    list_display = ("file_name", "profile", "status", "rows_total", "created_count")
    list_filter = ("status",)
    search_fields = ("file_name", "profile__name_en")
    list_select_related = ("profile",)
