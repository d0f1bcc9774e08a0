"""Which emails a person gets: four topics, each a switch on their account, and the signed link in
every email that turns its topic off with one click (RFC 8058), no sign-in needed.

The link carries the volunteer id and the topic, signed with SECRET_KEY: whoever holds an email can
turn that topic off for its recipient and nothing more. It never expires: an old email's link must
still work.
"""

from __future__ import annotations

import uuid

from django.core import signing
from django.utils.translation import gettext_lazy as _

from volunteers.models import User

# topic -> the account's field; each email kind belongs to one topic (events/notifications.py).
TOPICS = {
    "confirmations": "emails_confirmations",
    "reminders": "emails_reminders",
    "changes": "emails_changes",
    "verification": "emails_verification",
}
TOPIC_NAMES = {
    "confirmations": _("confirmations of my registrations"),
    "reminders": _("reminders before my events"),
    "changes": _("changes of time or place and cancellations"),
    "verification": _("the coordinator's decision on my results"),
}
_SALT = "taza.unsubscribe"


def wants(user: User, topic: str) -> bool:
    return bool(getattr(user, TOPICS[topic]))


def unsubscribe_token(volunteer_id: uuid.UUID, topic: str) -> str:
    if topic not in TOPICS:
        raise ValueError(f"unknown email topic {topic!r}")
    return signing.dumps([str(volunteer_id), topic], salt=_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[uuid.UUID, str] | None:
    """The volunteer id and topic a link names, or None for a link we did not sign."""
    try:
        volunteer_id, topic = signing.loads(token, salt=_SALT)
        volunteer = uuid.UUID(volunteer_id)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return (volunteer, topic) if topic in TOPICS else None
