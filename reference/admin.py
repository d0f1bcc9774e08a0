"""Django admin for reference data: names and population are editable, codes fixed."""

from django.contrib import admin
from django.http import HttpRequest

from reference.models import Country, Region


class _FixedRows(admin.ModelAdmin):
    """Rows come with the shipped data; codes are the primary keys that facts and targets refer to."""

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        return self.fixed if obj is not None else []

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A new row would be a new country or a new administrative division: shipped data, not an edit.
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Country)
class CountryAdmin(_FixedRows):
    fixed = ["code"]
    list_display = ["code", "name_local", "name_kk", "name_ru", "name_en", "time_zone", "population", "population_year"]
    search_fields = ["code", "name_local", "name_kk", "name_ru", "name_en"]
    ordering = ["code"]


@admin.register(Region)
class RegionAdmin(_FixedRows):
    fixed = ["code", "country"]
    list_display = ["code", "country", "name_local", "name_kk", "name_ru", "name_en", "kind", "centre_en", "population"]
    list_editable = ["population"]
    list_filter = ["country", "kind"]
    search_fields = ["code", "name_local", "name_kk", "name_ru", "name_en", "centre_en"]
    ordering = ["code"]
