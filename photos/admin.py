"""Photos in the Django admin: read-only, as every projection's table (ledger's `ReadOnlyAdmin`);
moderation goes through the API and the coordinator's pages, which call the services."""

from django.contrib import admin

from ledger.admin import ReadOnlyAdmin
from photos.models import Photo


@admin.register(Photo)
class PhotoAdmin(ReadOnlyAdmin):
    list_display = ["id", "subject", "subject_id", "role", "public", "hidden", "attached_at"]
    list_filter = ["subject", "role", "public", "hidden"]
