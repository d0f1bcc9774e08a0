"""Django admin for the totals: read-only views of the projection's tables (they change only by
folding facts; `manage.py ledger rebuild stats.totals` replays them)."""

from django.contrib import admin
from django.http import HttpRequest

from stats.models import EventFigures, Total


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Total)
class TotalAdmin(ReadOnlyAdmin):
    list_display = ["scope", "key", "metric", "verified", "awaiting"]
    list_filter = ["scope", "metric"]
    search_fields = ["key"]
    ordering = ["scope", "key", "metric"]


@admin.register(EventFigures)
class EventFiguresAdmin(ReadOnlyAdmin):
    list_display = ["event_id", "region", "day", "kind", "status", "volunteers", "result_version", "decision"]
    list_filter = ["status", "region", "kind"]
    search_fields = ["event_id"]
    date_hierarchy = "day"
