from django.contrib import admin

from regional.models import InstanceMirror


@admin.register(InstanceMirror)
class InstanceMirrorAdmin(admin.ModelAdmin):
    """Read-only: the state is the mirror's, written by its steps. Deleting a forked instance's mirror
    (after looking) is done in the database with its facts, on purpose not a button."""

    list_display = ("country", "status", "size", "seen_size", "verified_at", "last_error")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
