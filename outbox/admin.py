from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from outbox.models import Message
from outbox.services import message_retry


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Read-only: what was sent, what waits and why. Failed messages can be put back in line."""

    list_display = ["id", "kind", "status", "attempts", "created_at", "next_attempt_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["key"]
    # The payload of an allauth message holds a sign-in link until it is sent: not for the admin.
    exclude = ["payload"]
    actions = ["send_again"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Send the selected failed messages again"))
    def send_again(self, request, queryset) -> None:
        count = message_retry(message_ids=queryset.values_list("pk", flat=True))
        text = ngettext("%(n)d message is waiting to be sent.", "%(n)d messages are waiting to be sent.", count)
        self.message_user(request, text % {"n": count}, messages.SUCCESS)
