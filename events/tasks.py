"""Celery tasks of events: thin, by id, safe to run twice."""

import uuid

from celery import shared_task

from events import notifications


@shared_task(name="events.tell_event_cancelled")
def tell_event_cancelled(event_id: str) -> int:
    return notifications.tell_event_cancelled(event_id=uuid.UUID(event_id))


@shared_task(name="events.tell_event_rescheduled")
def tell_event_rescheduled(event_id: str) -> int:
    return notifications.tell_event_rescheduled(event_id=uuid.UUID(event_id))


@shared_task(name="events.tell_waitlist_promoted")
def tell_waitlist_promoted(registration_id: str) -> int:
    return notifications.tell_waitlist_promoted(registration_id=uuid.UUID(registration_id))
