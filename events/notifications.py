"""Emails to volunteers about their events: cancelled, rescheduled, promoted from the waitlist.

Called by Celery tasks after the fact is committed. Each volunteer gets their own message, in
their language; deleted accounts simply get none.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import translation

from events.models import Event, Registration
from volunteers.models import User


def tell_event_cancelled(*, event_id: uuid.UUID) -> int:
    event = Event.objects.get(pk=event_id)
    return _send(event, _live_volunteer_ids(event), "events/email/event_cancelled")


def tell_event_rescheduled(*, event_id: uuid.UUID) -> int:
    event = Event.objects.get(pk=event_id)
    return _send(event, _live_volunteer_ids(event), "events/email/event_rescheduled")


def tell_waitlist_promoted(*, registration_id: uuid.UUID) -> int:
    registration = Registration.objects.select_related("event").get(pk=registration_id)
    if registration.status != Registration.Status.REGISTERED:
        return 0  # cancelled again since: nothing to tell
    return _send(registration.event, [registration.volunteer_id], "events/email/waitlist_promoted")


def _live_volunteer_ids(event: Event) -> list[uuid.UUID]:
    return list(
        event.registrations.exclude(status=Registration.Status.CANCELLED).values_list("volunteer_id", flat=True)
    )


def _send(event: Event, volunteer_ids: Iterable[uuid.UUID], template: str) -> int:
    people = User.objects.filter(volunteer_id__in=list(volunteer_ids), is_active=True).order_by("pk")
    messages = []
    for person in people:
        with translation.override(person.language or settings.LANGUAGE_CODE):
            context = {"event": event, "volunteer": person, "site_url": settings.SITE_URL}
            subject = render_to_string(f"{template}_subject.txt", context).strip()
            body = render_to_string(f"{template}.txt", context)
        messages.append(EmailMessage(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, to=[person.email]))
    if messages:
        get_connection().send_messages(messages)
    return len(messages)
