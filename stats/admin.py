"""Django admin for the totals: the projection's tables, read-only and shown to admins only.

They change only by folding facts (`manage.py ledger rebuild stats.totals` replays them), so nobody
edits them here; the gating and read-only rules are the ledger's `ReadOnlyAdmin`, the one every
projection's admin uses.
"""

from django.contrib import admin

from ledger.admin import ReadOnlyAdmin
from stats.models import EventFigures, Total


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
