"""The outbox: one row per message to send, written in the transaction of the facts that cause it.

An ordinary table, not the ledger: a message is a side effect of facts, not a fact. Its `key` names
the cause and the recipient (`events.waitlist_promoted:<fact id>`), so recording the same message
twice, as a replayed request would, stores it once.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Message-IDs are uuid5 of the key in this namespace: a message sent again after a crash carries the
# same Message-ID, so a mail client shows it once.
MESSAGE_ID_NAMESPACE = uuid.UUID("3f0b6c1e-6f4e-4d55-9a57-1c1a3d5b7e21")


class Message(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        # Nothing to send any more: the account was deleted, the place given back before we sent.
        DROPPED = "dropped", _("no longer needed")
        # Refused for good by the mail server, or still not sent when its retries ran out.
        FAILED = "failed", _("failed")

    id = models.BigAutoField(primary_key=True)  # the order messages are sent in
    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=64)
    # The recipient's account, looked up when the message is sent (so an erased person gets nothing),
    # or, for a message rendered when it was recorded (allauth's), the address it goes to.
    volunteer_id = models.UUIDField(null=True, blank=True, db_index=True)
    to = models.EmailField(blank=True, db_index=True)
    # What the renderer of `kind` needs (ids, a reason); emptied once sent when it holds the message.
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"], condition=models.Q(status="pending"), name="outbox_message_due"
            )
        ]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def message_id(self) -> uuid.UUID:
        return uuid.uuid5(MESSAGE_ID_NAMESPACE, self.key)
