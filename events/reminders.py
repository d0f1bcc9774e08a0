"""Reminders before an event's start (TAZA_REMINDER_HOURS, 24 and 2 hours by default), and to the
organiser when a planting's survival check is due, recorded into the outbox by beat tasks.

Run as often and as late as you like: each reminder is keyed by (event, registration, hours, the
start it announces), so a second run records nothing new. A run that comes late records only the
nearest reminder due (at 1 h before, the 2 h one, not the 24 h one as well), and nobody is reminded
of what they have just been told: a registration or promotion after a reminder's moment gets none
for it (its confirmation said it all). A reschedule is a new start, so new keys: the reminders come
at the new time, and those recorded for the old one and not yet sent are dropped by the renderer.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from events.models import Event, Registration
from events.notifications import reminder_draft, survival_due_draft
from events.selectors import survival_checks_due
from events.survival import DUE_WINDOW_DAYS, LABEL_MONTHS
from outbox.models import Message
from outbox.services import messages_record


def reminders_record(*, now: dt.datetime | None = None) -> int:
    """Record the reminders due at `now` that were not recorded before; how many were new."""
    now = now or timezone.now()
    hours = sorted(set(settings.TAZA_REMINDER_HOURS))
    if not hours:
        return 0
    registrations = (
        Registration.objects.select_related("event")
        .filter(
            status=Registration.Status.REGISTERED,
            event__status=Event.Status.APPROVED,
            event__starts_at__gt=now,
            event__starts_at__lte=now + dt.timedelta(hours=hours[-1]),
        )
        .order_by("event__starts_at", "registered_at", "pk")
    )
    drafts = []
    for registration in registrations:
        event = registration.event
        due = next(h for h in hours if event.starts_at - now <= dt.timedelta(hours=h))
        joined = registration.promoted_at or registration.registered_at
        if joined > event.starts_at - dt.timedelta(hours=due):
            continue
        drafts.append(reminder_draft(registration, hours=due))
    recorded = set(Message.objects.filter(key__in=[d.key for d in drafts]).values_list("key", flat=True))
    return messages_record(d for d in drafts if d.key not in recorded)


def survival_reminders_record(*, today: dt.date | None = None) -> int:
    """Record one email to the organiser per survival check due `today` (a season, a year, three
    years after a verified planting, for 30 days) and not recorded yet; how many were new. Keyed by
    event and label (notifications.survival_due_draft), so a second run, or the next day's, records
    nothing again."""
    today = today or timezone.localdate()
    oldest = today - dt.timedelta(days=LABEL_MONTHS["three_years"] * 31 + DUE_WINDOW_DAYS + 1)
    youngest = today - dt.timedelta(days=LABEL_MONTHS["season"] * 28 - 1)
    plantings = Event.objects.filter(
        kind="tree_planting",
        status=Event.Status.APPROVED,
        starts_at__date__gte=oldest,
        starts_at__date__lte=youngest,
    )
    drafts = [
        survival_due_draft(event, label=label, due_on=due_on)
        for event, label, due_on in survival_checks_due(events=plantings, today=today)
    ]
    recorded = set(Message.objects.filter(key__in=[d.key for d in drafts]).values_list("key", flat=True))
    return messages_record(d for d in drafts if d.key not in recorded)
