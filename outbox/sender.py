"""The sender: delivers due messages one at a time, each exactly once, retrying with backoff.

Each message is sent inside a transaction that holds its row (`FOR UPDATE SKIP LOCKED` on
PostgreSQL; SQLite's immediate transactions let one writer in at a time), and marked sent in that
same transaction. So two senders never take the same message, and a sent one is never taken again.
The one window left is a process killed after the mail server accepted a message and before the
commit: the row is still pending and is sent again, with the same Message-ID (at least once, never
silently lost; mail clients show the copies as one).

When the mail server cannot be reached, the message waits with a backoff (base doubled per attempt,
up to a ceiling) and this run stops: the rest are tried at the next run, not hammered now. A
message the server refuses for good (5xx) fails at once; one still unsent after
TAZA_OUTBOX_GIVE_UP_HOURS fails then. Failed messages stay for an admin to see and send again.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections import Counter
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from outbox import kinds
from outbox.models import Message

logger = logging.getLogger(__name__)


class _Transient(Exception):
    """The mail server could not be reached or asked us to come back later."""


class _Refused(Exception):
    """The mail server refused this message for good."""


def send_due(*, limit: int = 200) -> Counter:
    """Send up to `limit` due messages; count them by what became of them (sent, dropped, …)."""
    outcomes: Counter = Counter()
    connection = get_connection()
    try:
        for _ in range(limit):
            outcome = _send_next(connection)
            if outcome is None:
                break
            outcomes[outcome] += 1
            if outcome == "retrying":
                break  # the mail server is away: the others wait for the next run
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001  (closing a connection that broke)
            logger.debug("outbox: closing the mail connection failed", exc_info=True)
    return outcomes


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failed attempt: base, 2 × base, 4 × base, … up to the ceiling."""
    seconds = settings.TAZA_OUTBOX_RETRY_BASE_SECONDS * 2 ** min(attempts - 1, 20)
    return dt.timedelta(seconds=min(seconds, settings.TAZA_OUTBOX_RETRY_MAX_SECONDS))


def _send_next(connection) -> str | None:
    with transaction.atomic():
        now = timezone.now()
        message = (
            Message.objects.select_for_update(skip_locked=True)
            .filter(status=Message.Status.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
            .first()
        )
        if message is None:
            return None
        try:
            email = kinds.render(message)
        except Exception as exc:  # noqa: BLE001  (a bug or a row gone: kept, retried, then failed)
            logger.exception("outbox: could not render message %s", message.pk)
            return _failed_attempt(message, now, f"render: {exc!r}")
        if email is None:
            message.status = Message.Status.DROPPED
            message.payload = {}
            message.save(update_fields=["status", "payload"])
            return "dropped"
        email.extra_headers["Message-ID"] = f"<{message.message_id}@{_mail_domain()}>"
        try:
            _deliver(connection, email)
        except _Transient as exc:
            return _failed_attempt(message, now, str(exc))
        except _Refused as exc:
            logger.error("outbox: the mail server refused message %s for good: %s", message.pk, exc)
            message.status, message.last_error = Message.Status.FAILED, str(exc)[:2000]
            message.attempts += 1
            message.save(update_fields=["status", "last_error", "attempts"])
            return "failed"
        message.status, message.sent_at = Message.Status.SENT, timezone.now()
        message.attempts += 1
        if message.kind == "rendered":
            message.payload = {}  # it held the message itself: a sign-in link is nobody's to read later
        message.save(update_fields=["status", "sent_at", "attempts", "payload"])
        return "sent"


def _deliver(connection, email) -> None:
    """Send one email. The server refusing this message (5xx for its recipients or its content) is
    _Refused; anything else (unreachable, 4xx, bad credentials, a dropped connection) is _Transient:
    it is not the message's fault, and the message is tried again when the server is right again."""
    try:
        connection.send_messages([email])
    except smtplib.SMTPRecipientsRefused as exc:
        _close_quietly(connection)
        if any(code >= 500 for code, _ in exc.recipients.values()):
            raise _Refused(repr(exc)) from exc
        raise _Transient(repr(exc)) from exc
    except smtplib.SMTPDataError as exc:
        _close_quietly(connection)
        if exc.smtp_code >= 500:
            raise _Refused(repr(exc)) from exc
        raise _Transient(repr(exc)) from exc
    except OSError as exc:  # socket errors and every other SMTPException
        _close_quietly(connection)
        raise _Transient(repr(exc)) from exc


def _failed_attempt(message: Message, now: dt.datetime, error: str) -> str:
    message.attempts += 1
    message.last_error = error[:2000]
    if now - message.created_at >= dt.timedelta(hours=settings.TAZA_OUTBOX_GIVE_UP_HOURS):
        logger.error("outbox: giving up on message %s after %d attempts: %s", message.pk, message.attempts, error)
        message.status = Message.Status.FAILED
        message.save(update_fields=["attempts", "last_error", "status"])
        return "failed"
    message.next_attempt_at = now + backoff(message.attempts)
    logger.warning("outbox: message %s not sent (attempt %d), next at %s: %s",
                   message.pk, message.attempts, message.next_attempt_at.isoformat(), error)  # fmt: skip
    message.save(update_fields=["attempts", "last_error", "next_attempt_at"])
    return "retrying"


def _close_quietly(connection) -> None:
    try:
        connection.close()
    except Exception:  # noqa: BLE001
        logger.debug("outbox: closing a broken mail connection failed", exc_info=True)


def _mail_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "taza.local"
