"""Django admin for the log: leaves and checkpoints, read-only (the ledger's `ReadOnlyAdmin`).

Leaves change only by the projection; checkpoints never change (the database refuses it). Tiles
are hashes, unreadable in a list: they are served at /log/tile/ instead.
"""

from django.contrib import admin

from ledger.admin import ReadOnlyAdmin
from transparency.models import Checkpoint, Leaf


@admin.register(Leaf)
class LeafAdmin(ReadOnlyAdmin):
    list_display = ["index", "position", "fact_id"]
    search_fields = ["fact_id"]
    ordering = ["-index"]


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    list_display = ["size", "published_at"]
    ordering = ["-size"]
    exclude = ["root"]
