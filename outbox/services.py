"""Recording messages in the writer's transaction, and what an admin may do with them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from outbox.models import Message
from outbox.tasks import queue_send


@dataclass(frozen=True)
class Draft:
    """A message to record: `key` names its cause and recipient, unique for ever."""

    kind: str
    key: str
    volunteer_id: uuid.UUID | None = None
    to: str = ""
    payload: dict[str, Any] = field(default_factory=dict)


def messages_record(drafts: Iterable[Draft]) -> int:
    """Record messages in the current transaction; they are sent once it commits.

    A rolled-back transaction leaves no message. A key recorded before is skipped (a replayed
    request records nothing new). Sending is queued after commit and never fails the writer: with the
    broker away the sender's beat tick and the worker's next connection pick the messages up.
    """
    rows = [Message(kind=d.kind, key=d.key, volunteer_id=d.volunteer_id, to=d.to, payload=d.payload) for d in drafts]
    if not rows:
        return 0
    Message.objects.bulk_create(rows, ignore_conflicts=True)
    transaction.on_commit(queue_send, robust=True)
    return len(rows)


def message_record_rendered(email: EmailMessage, *, volunteer_id: uuid.UUID | None = None) -> int:
    """Record an email rendered already (allauth's), one message per address it goes to."""
    alternatives = [[content, mimetype] for content, mimetype in getattr(email, "alternatives", [])]
    payload = {
        "subject": email.subject,
        "body": email.body,
        "from_email": email.from_email,
        "headers": dict(email.extra_headers),
        "alternatives": alternatives,
    }
    return messages_record(
        Draft(kind="rendered", key=f"rendered:{uuid.uuid4()}", volunteer_id=volunteer_id, to=to, payload=payload)
        for to in email.to
    )


def message_retry(*, message_ids: Iterable[int]) -> int:
    """Put failed messages back in line to be sent now (an admin's action, after fixing the cause)."""
    count = Message.objects.filter(pk__in=list(message_ids), status=Message.Status.FAILED).update(
        status=Message.Status.PENDING, next_attempt_at=timezone.now(), attempts=0
    )
    if count:
        transaction.on_commit(queue_send, robust=True)
    return count


def messages_forget(*, volunteer_id: uuid.UUID | None, emails: Iterable[str]) -> int:
    """Delete every message to or about a person (their erasure): sent or not, none is left."""
    whose = Q(to__in=[email for email in emails if email])
    if volunteer_id is not None:
        whose |= Q(volunteer_id=volunteer_id)
    deleted, _ = Message.objects.filter(whose).delete()
    return deleted
