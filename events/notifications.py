"""Emails to volunteers about their events: registered (or waitlisted), promoted from the waitlist,
reminded before the start, rescheduled, cancelled; and to the organiser who logged a result, the
coordinator's decision on it.

`record_for` runs in the transaction that appends the facts and records one outbox message per
volunteer to tell; the outbox's sender renders each when it sends it, in the volunteer's language,
from the event as it is then. A volunteer who deleted their account, gave their place back in the
meantime, or turned that kind of email off (volunteers/email_choices.py), is sent nothing. Every
email carries its one-click unsubscribe link (RFC 8058) and its times in the event's time zone (its
country's), written the recipient's language's way; the confirmations carry the event's `.ics`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation

from events.calendar import event_calendar
from events.facts import EventCancelled, EventRescheduled, ResultVerified, VolunteerRegistered, WaitlistPromoted
from events.models import Event, Registration, ResultReport, ResultVerification
from events.selectors import waitlist_position
from events.survival import DUE_WINDOW_DAYS
from ledger.stored import StoredFact
from outbox.kinds import kind
from outbox.models import Message
from outbox.services import Draft, messages_record
from volunteers.email_choices import unsubscribe_token, wants
from volunteers.models import User

CANCELLED = "events.event_cancelled"
RESCHEDULED = "events.event_rescheduled"
PROMOTED = "events.waitlist_promoted"
REGISTERED = "events.volunteer_registered"
REMINDER = "events.reminder"
RESULT_DECIDED = "events.result_decided"
SURVIVAL_DUE = "events.survival_check_due"
# Which switch on the account (volunteers/email_choices.py) each kind answers to.
TOPIC = {
    REGISTERED: "confirmations",
    PROMOTED: "confirmations",
    REMINDER: "reminders",
    RESCHEDULED: "changes",
    CANCELLED: "changes",
    RESULT_DECIDED: "verification",
    SURVIVAL_DUE: "reminders",
}
# How emails write a moment, per language: «8 желтоқсан 2026, 09:00», «8 декабря 2026 г., 09:00»,
# «8 December 2026, 09:00» (the pages' DATETIME_FORMAT is shorter: "Dec. 8, 2026, 9 a.m.").
MOMENT_FORMATS = {"kk": "j E Y, H:i", "ru": "j E Y г., H:i", "en": "j F Y, H:i"}

REGISTRATION = VolunteerRegistered.fact_type
PROMOTION = WaitlistPromoted.fact_type
VERIFICATION = ResultVerified.fact_type
TOLD_TO_THE_REGISTERED = {EventCancelled.fact_type: CANCELLED, EventRescheduled.fact_type: RESCHEDULED}


def record_for(event: Event, stored: Sequence[StoredFact]) -> int:
    """Record the messages that `stored` facts of `event` call for; `event` as it was before them.

    Each message's key is the fact's id and the recipient, so a replayed append records nothing.
    Only a public event's volunteers are told of its cancellation or new time: nobody could register
    for an event that was never approved.
    """
    drafts: list[Draft] = []
    was_public = event.status == Event.Status.APPROVED
    for fact in stored:
        if fact.type == REGISTRATION:
            volunteer_id = uuid.UUID(fact.data["volunteer_id"])
            payload = {"event_id": str(event.id), "registration_id": fact.data["registration_id"]}
            drafts.append(Draft(REGISTERED, f"{REGISTERED}:{fact.fact_id}", volunteer_id, payload=payload))
        elif fact.type == PROMOTION:
            volunteer_id = uuid.UUID(fact.data["volunteer_id"])
            payload = {"event_id": str(event.id), "registration_id": fact.data["registration_id"]}
            drafts.append(Draft(PROMOTED, f"{PROMOTED}:{fact.fact_id}", volunteer_id, payload=payload))
        elif fact.type in TOLD_TO_THE_REGISTERED and was_public:
            what = TOLD_TO_THE_REGISTERED[fact.type]
            payload = {"event_id": str(event.id), "reason": fact.data["reason"]}
            drafts.extend(
                Draft(what, f"{what}:{fact.fact_id}:{volunteer_id}", volunteer_id, payload=payload)
                for volunteer_id in _live_volunteer_ids(event)
            )
        elif fact.type == VERIFICATION:
            # The organiser who logged the judged report hears the decision; keyed by the decision.
            report = ResultReport.objects.filter(event=event, version=fact.data["result_version"]).first()
            if report is not None and report.logged_by is not None:
                payload = {"event_id": str(event.id), "verification_id": str(fact.fact_id)}
                key = f"{RESULT_DECIDED}:{fact.fact_id}:{report.logged_by}"
                drafts.append(Draft(RESULT_DECIDED, key, report.logged_by, payload=payload))
    return messages_record(drafts)


def reminder_draft(registration: Registration, *, hours: int) -> Draft:
    """The reminder `hours` before the event's start. Keyed by the start it announces too, so a
    reschedule calls for a new one, and the old one, not sent yet, is dropped (`reminder`)."""
    event = registration.event
    starts_at = event.starts_at.astimezone(dt.UTC).isoformat()
    key = f"{REMINDER}:{event.id}:{registration.id}:{hours}:{starts_at}"
    payload = {"registration_id": str(registration.id), "hours": hours, "starts_at": starts_at}
    return Draft(REMINDER, key, registration.volunteer_id, payload=payload)


@kind(CANCELLED)
def event_cancelled(message: Message) -> EmailMessage | None:
    return _to_the_registered(message, "events/email/event_cancelled")


@kind(RESCHEDULED)
def event_rescheduled(message: Message) -> EmailMessage | None:
    return _to_the_registered(message, "events/email/event_rescheduled")


@kind(REGISTERED)
def volunteer_registered(message: Message) -> EmailMessage | None:
    registration = Registration.objects.select_related("event").filter(pk=message.payload["registration_id"]).first()
    if registration is None or registration.status == Registration.Status.CANCELLED:
        return None  # given back before we wrote
    if registration.promoted_at is not None:
        return None  # promoted before we wrote: the promotion's email says it all
    return _email(
        registration.event,
        message,
        "events/email/volunteer_registered",
        attach_calendar=True,
        registration=registration,
        waitlist_position=waitlist_position(registration),
    )


@kind(PROMOTED)
def waitlist_promoted(message: Message) -> EmailMessage | None:
    registration = Registration.objects.select_related("event").filter(pk=message.payload["registration_id"]).first()
    if registration is None or registration.status != Registration.Status.REGISTERED:
        return None  # cancelled again since: nothing to tell
    return _email(
        registration.event,
        message,
        "events/email/waitlist_promoted",
        attach_calendar=True,
        registration=registration,
    )


@kind(REMINDER)
def reminder(message: Message) -> EmailMessage | None:
    registration = Registration.objects.select_related("event").filter(pk=message.payload["registration_id"]).first()
    if registration is None or registration.status != Registration.Status.REGISTERED:
        return None
    event = registration.event
    announced = dt.datetime.fromisoformat(message.payload["starts_at"])
    if event.status != Event.Status.APPROVED or event.starts_at != announced or event.starts_at <= timezone.now():
        return None  # cancelled, moved (its new time has reminders of its own) or begun already
    return _email(event, message, "events/email/reminder", registration=registration, hours=message.payload["hours"])


@kind(RESULT_DECIDED)
def result_decided(message: Message) -> EmailMessage | None:
    verification = (
        ResultVerification.objects.select_related("event").filter(pk=message.payload["verification_id"]).first()
    )
    if verification is None:
        return None
    waste = verification.waste_kg or {}
    return _email(
        verification.event,
        message,
        "events/email/result_decided",
        verification=verification,
        adjusted_waste=sorted(waste.items()),
    )


def survival_due_draft(event: Event, *, label: str, due_on: dt.date) -> Draft:
    """To the event's organiser: its survival check of `label` is due. Keyed by the event and the
    label, so each check is asked for once, however often the beat task runs."""
    payload = {"event_id": str(event.id), "label": label, "due_on": due_on.isoformat()}
    return Draft(SURVIVAL_DUE, f"{SURVIVAL_DUE}:{event.id}:{label}", event.organiser_id, payload=payload)


@kind(SURVIVAL_DUE)
def survival_check_due(message: Message) -> EmailMessage | None:
    event = Event.objects.filter(pk=message.payload["event_id"]).first()
    label = message.payload["label"]
    if event is None or event.survival_checks.filter(label=label).exists():
        return None  # recorded before the email went: nothing to ask for
    due_on = dt.date.fromisoformat(message.payload["due_on"])
    return _email(
        event,
        message,
        "events/email/survival_check_due",
        label=label,
        due_on=due_on,
        until=due_on + dt.timedelta(days=DUE_WINDOW_DAYS),
        check_url=site_link(reverse("organise-survival", args=[event.id])),
    )


def _to_the_registered(message: Message, template: str) -> EmailMessage | None:
    event = Event.objects.get(pk=message.payload["event_id"])
    still_there = (
        Registration.objects.filter(event=event, volunteer_id=message.volunteer_id)
        .exclude(status=Registration.Status.CANCELLED)
        .exists()
    )
    if not still_there:
        return None
    return _email(event, message, template, reason=message.payload.get("reason", ""))


def _live_volunteer_ids(event: Event) -> list[uuid.UUID]:
    return list(
        event.registrations.exclude(status=Registration.Status.CANCELLED)
        .order_by("registered_at", "pk")
        .values_list("volunteer_id", flat=True)
    )


def moment(value: dt.datetime) -> str:
    """A moment in the current time zone (an email about an event: the event's), as the active language
    writes it in an email."""
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return formats.date_format(timezone.localtime(value), MOMENT_FORMATS.get(language, MOMENT_FORMATS["en"]))


def site_link(path: str) -> str:
    """An absolute link for an email: emails are read away from the site, and SITE_URL is its address."""
    return settings.SITE_URL.rstrip("/") + path


def _email(
    event: Event, message: Message, template: str, *, attach_calendar: bool = False, **extra: object
) -> EmailMessage | None:
    person = User.objects.filter(volunteer_id=message.volunteer_id, is_active=True).first()
    if person is None:
        return None  # the account is gone
    topic = TOPIC[message.kind]
    if not wants(person, topic):
        return None  # they turned this kind of email off
    unsubscribe = site_link(reverse("unsubscribe", args=[unsubscribe_token(person.volunteer_id, topic)]))
    # Its times in the event's own time zone, its country's (reference.Region.zone).
    with translation.override(person.language or settings.LANGUAGE_CODE), timezone.override(event.region.zone):
        context = {
            "event": event,
            "volunteer": person,
            "site_url": settings.SITE_URL.rstrip("/"),
            "starts": moment(event.starts_at),
            "ends": moment(event.ends_at),
            "where": ", ".join(p.strip() for p in (event.address, event.region.name) if p and p.strip()),
            "event_url": site_link(reverse("event", args=[event.id])),
            "unsubscribe_url": unsubscribe,
            "choices_url": site_link(reverse("profile")),
            **extra,
        }
        if "registration" in extra:
            context["pass_url"] = site_link(reverse("pass", args=[extra["registration"].pk]))
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}.txt", context).rstrip("\n") + "\n\n"
        body += render_to_string("events/email/footer.txt", context)
        ics = event_calendar(event) if attach_calendar else None
    email = EmailMessage(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body,
        to=[person.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    if ics is not None:
        email.attach("event.ics", ics, "text/calendar")
    return email
