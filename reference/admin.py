"""Django admin for reference data: the regions' names and population are editable, their codes fixed."""

from django.contrib import admin
from django.http import HttpRequest

from reference.models import Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_kk", "name_ru", "name_en", "kind", "centre_en", "population"]
    list_editable = ["population"]
    list_filter = ["kind"]
    search_fields = ["code", "name_kk", "name_ru", "name_en", "centre_en"]
    ordering = ["code"]

    def get_readonly_fields(self, request: HttpRequest, obj: Region | None = None) -> list[str]:
        # The ISO code is the primary key that facts and targets refer to.
        return ["code"] if obj is not None else []

    def has_add_permission(self, request: HttpRequest) -> bool:
        # The 20 regions come with the migration; a new one would be a new administrative division.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Region | None = None) -> bool:
        return False
