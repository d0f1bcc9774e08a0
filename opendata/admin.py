"""Django admin for the open data: the errata log and the releases made, read-only, to admins only.

The errata change only by folding facts (`manage.py ledger rebuild opendata.errata`), a release
never changes once made; so nobody edits either here (the ledger's `ReadOnlyAdmin`).
"""

from django.contrib import admin

from ledger.admin import ReadOnlyAdmin
from opendata.models import Erratum, Release


@admin.register(Erratum)
class ErratumAdmin(ReadOnlyAdmin):
    list_display = ["position", "occurred_at", "kind", "region", "event_id", "reason"]
    list_filter = ["kind", "region"]
    search_fields = ["event_id", "reason"]
    ordering = ["-position"]


@admin.register(Release)
class ReleaseAdmin(ReadOnlyAdmin):
    list_display = ["name", "made_at", "as_of_position", "license"]
    ordering = ["-made_at"]
