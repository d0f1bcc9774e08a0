"""The dumps in the Django admin: read-only, as every projection's table (ledger's `ReadOnlyAdmin`);
decisions are taken through the API and the coordinator's work list, which call the services."""

from django.contrib import admin

from dumps.models import Dump
from ledger.admin import ReadOnlyAdmin


@admin.register(Dump)
class DumpAdmin(ReadOnlyAdmin):
    list_display = ["id", "origin", "region", "status", "size", "hidden", "reported_at"]
    list_filter = ["status", "origin", "region", "hidden"]
    search_fields = ["source_id"]
