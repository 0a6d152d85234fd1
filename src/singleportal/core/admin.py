from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from singleportal.config.admin import AuditedModelAdmin, admin_site
from singleportal.core.models import PublicHoliday


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        years = PublicHoliday.objects.dates("date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        # A hand-edited URL may carry anything; only a number filters.
        year = self.value()
        if year and year.isdecimal():
            return queryset.filter(date__year=int(year))
        return queryset


@admin.register(PublicHoliday, site=admin_site)
class PublicHolidayAdmin(AuditedModelAdmin):
    list_display = ("date", "name_km", "name_en", "source", "updated_at")
    list_filter = (YearFilter, "source")
    search_fields = ("name_km", "name_en")
    readonly_fields = ("source", "created_at", "updated_at")

    def save_model(self, request: HttpRequest, obj: PublicHoliday, form, change: bool) -> None:
        # Whatever a person saves here is theirs: the source says which rows were checked by hand.
        obj.source = PublicHoliday.Source.OPERATOR
        super().save_model(request, obj, form, change)
