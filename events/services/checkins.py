"""Writes of attendance: check-in four ways, the offline queue's upload, check-out (volunteer hours).

A check-in is counted once per volunteer and event: scanning twice, or uploading an offline queue
twice, answers with the check-in recorded first. Offline phones send their own `fact_id` per
check-in, so the ledger recognises a replay even when the volunteer was checked in by hand since.

Walk-ins: the organiser checks in a person who has an account (found by email or volunteer id)
but no place; people without an account are not checked in, they are the result's head-count.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from config.errors import DomainError
from events import facts as f
from events.errors import (
    EventCancelled,
    EventNotFound,
    EventNotPublic,
    InvalidInput,
    NotAllowed,
    NotCheckedIn,
    NotRegistered,
    OutsideCheckinWindow,
    PassForOtherEvent,
    RegistrationAlreadyCancelled,
    RegistrationNotFound,
    VolunteerNotFound,
    WrongEventCode,
)
from events.ids import as_uuid
from events.models import CheckIn, Event, Registration
from events.passes import pass_read
from events.rules import may_organise
from events.services.common import (
    age_band,
    append_to_event,
    decide_on_event,
    earlier_facts,
    keyed_fact_id,
    local_date,
)
from volunteers.models import User

# A phone's clock may run a little ahead of the server's.
CLOCK_TOLERANCE = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class CheckInOutcome:
    checkin: CheckIn
    recorded: bool  # False: this volunteer was counted before (or this fact id was stored before)


@dataclass(frozen=True)
class Attendee:
    volunteer_id: uuid.UUID
    registration_id: uuid.UUID | None
    age_band: str


def checkin_from_pass(
    *,
    actor: User,
    event_id: uuid.UUID,
    token: str,
    checked_in_at: dt.datetime | None = None,
    fact_id: uuid.UUID | None = None,
    idempotency_key: str | None = None,
    source: str = "web",
) -> CheckInOutcome:
    """The organiser scans the volunteer's QR pass."""
    claims = pass_read(token)

    def attendee(event: Event) -> Attendee:
        if claims.event_id != event.id:
            raise PassForOtherEvent(fields={"token": [_("This pass is for another event.")]})
        registration = Registration.objects.filter(pk=claims.registration_id, event=event).first()
        if registration is None or registration.volunteer_id != claims.volunteer_id:
            raise RegistrationNotFound(fields={"token": [_("The pass names no registration of this event.")]})
        return _registered(registration)

    return _check_in(
        actor=actor,
        event_id=event_id,
        method="qr",
        attendee=attendee,
        organisers_only=True,
        checked_in_at=checked_in_at,
        first_id=fact_id or keyed_fact_id(actor, idempotency_key),
        source=source,
    )


def checkin_from_roster(
    *,
    actor: User,
    event_id: uuid.UUID,
    registration_id: uuid.UUID,
    checked_in_at: dt.datetime | None = None,
    fact_id: uuid.UUID | None = None,
    idempotency_key: str | None = None,
    source: str = "web",
) -> CheckInOutcome:
    """The organiser ticks a name on the roster."""

    def attendee(event: Event) -> Attendee:
        registration = Registration.objects.filter(pk=registration_id, event=event).first()
        if registration is None:
            raise RegistrationNotFound(fields={"registration_id": [_("No registration of this event has this id.")]})
        return _registered(registration)

    return _check_in(
        actor=actor,
        event_id=event_id,
        method="roster",
        attendee=attendee,
        organisers_only=True,
        checked_in_at=checked_in_at,
        first_id=fact_id or keyed_fact_id(actor, idempotency_key),
        source=source,
    )


def checkin_walk_in(
    *,
    actor: User,
    event_id: uuid.UUID,
    email: str | None = None,
    volunteer_id: uuid.UUID | None = None,
    checked_in_at: dt.datetime | None = None,
    fact_id: uuid.UUID | None = None,
    idempotency_key: str | None = None,
    source: str = "web",
) -> CheckInOutcome:
    """The organiser checks in a volunteer who came without a place (found by email or id)."""
    if not email and volunteer_id is None:
        raise InvalidInput(fields={"email": [_("Give the volunteer's email or volunteer id.")]})

    def attendee(event: Event) -> Attendee:
        people = User.objects.filter(is_active=True)
        person = (
            people.filter(volunteer_id=volunteer_id).first()
            if volunteer_id is not None
            else people.filter(email__iexact=email.strip()).first()
        )
        if person is None:
            raise VolunteerNotFound(fields={"email" if email else "volunteer_id": [_("No volunteer found.")]})
        registration = Registration.objects.filter(
            event=event, volunteer_id=person.volunteer_id, status=Registration.Status.REGISTERED
        ).first()
        band = registration.age_band if registration else age_band(person.birth_date, local_date(event.starts_at))
        return Attendee(person.volunteer_id, registration.id if registration else None, band)

    return _check_in(
        actor=actor,
        event_id=event_id,
        method="walk_in",
        attendee=attendee,
        organisers_only=True,
        checked_in_at=checked_in_at,
        first_id=fact_id or keyed_fact_id(actor, idempotency_key),
        source=source,
    )


def checkin_with_code(
    *,
    actor: User,
    event_id: uuid.UUID,
    code: str,
    idempotency_key: str | None = None,
    source: str = "web",
) -> CheckInOutcome:
    """The volunteer types the event code shown on site, during the event's hours."""

    def attendee(event: Event) -> Attendee:
        if code.strip().upper() != event.short_code:
            raise WrongEventCode(fields={"code": [_("This is not the event's code.")]})
        registration = (
            Registration.objects.filter(event=event, volunteer_id=actor.volunteer_id)
            .exclude(status=Registration.Status.CANCELLED)
            .first()
        )
        if registration is None:
            raise NotRegistered()
        return _registered(registration)

    return _check_in(
        actor=actor,
        event_id=event_id,
        method="event_code",
        attendee=attendee,
        organisers_only=False,  # the volunteer's own place is checked with the code
        checked_in_at=None,
        first_id=keyed_fact_id(actor, idempotency_key),
        source=source,
        until_end=True,
    )


@dataclass(frozen=True)
class UploadItem:
    """One check-in of an offline queue: the pass token, or a roster tick, or a walk-in by id."""

    fact_id: uuid.UUID
    checked_in_at: dt.datetime
    token: str = ""
    registration_id: uuid.UUID | None = None
    volunteer_id: uuid.UUID | None = None


@dataclass(frozen=True)
class UploadAnswer:
    fact_id: uuid.UUID
    status: str  # "ok" (recorded now) | "duplicate" (counted before) | "error"
    checkin: CheckIn | None = None
    error: DomainError | None = None


def checkin_upload(
    *, actor: User, event_id: uuid.UUID, items: Sequence[UploadItem], source: str = "web"
) -> list[UploadAnswer]:
    """Record an organiser's offline queue. Each item stands alone: one bad item spoils no other."""
    event = Event.objects.filter(pk=as_uuid(event_id, EventNotFound)).first()
    if event is None:
        raise EventNotFound()
    _require_organiser(actor, event)
    answers = []
    for item in items:
        common = {"actor": actor, "event_id": event_id, "checked_in_at": item.checked_in_at, "fact_id": item.fact_id}
        try:
            if item.token:
                outcome = checkin_from_pass(token=item.token, source=source, **common)
            elif item.registration_id is not None:
                outcome = checkin_from_roster(registration_id=item.registration_id, source=source, **common)
            elif item.volunteer_id is not None:
                outcome = checkin_walk_in(volunteer_id=item.volunteer_id, source=source, **common)
            else:
                raise InvalidInput(fields={"token": [_("Give a token, a registration id or a volunteer id.")]})
        except DomainError as error:
            answers.append(UploadAnswer(fact_id=item.fact_id, status="error", error=error))
        else:
            status = "ok" if outcome.recorded else "duplicate"
            answers.append(UploadAnswer(fact_id=item.fact_id, status=status, checkin=outcome.checkin))
    return answers


def checkout_record(
    *,
    actor: User,
    event_id: uuid.UUID,
    volunteer_id: uuid.UUID | None = None,
    checked_out_at: dt.datetime | None = None,
    idempotency_key: str | None = None,
    source: str = "web",
) -> CheckIn:
    """A volunteer leaves (themselves, or the organiser says so); the time between is volunteer hours."""
    who = volunteer_id or actor.volunteer_id
    first_id = keyed_fact_id(actor, idempotency_key)

    def decide(event: Event) -> CheckIn:
        if who != actor.volunteer_id and not may_organise(actor, event):
            raise NotAllowed(_("Only the event's organisers check other volunteers out."))
        checkin = CheckIn.objects.filter(event=event, volunteer_id=who).first()
        if checkin is None:
            raise NotCheckedIn()
        if checkin.checked_out_at is not None or earlier_facts(
            event.stream, first_id, frozenset({"VolunteerCheckedOut"})
        ):
            return checkin
        now = timezone.now()
        at = checked_out_at or now
        if at > now + CLOCK_TOLERANCE or at < checkin.checked_in_at:
            raise InvalidInput(fields={"checked_out_at": [_("Give a time after the check-in and not in the future.")]})
        # Time after the check-in window closed is not volunteering at the event.
        at = min(at, event.ends_at + _closes_after())
        fact = f.VolunteerCheckedOut(event_id=event.id, volunteer_id=who, checked_out_at=at)
        append_to_event(event, [fact], actor=actor, first_id=first_id, source=source, occurred_at=min(at, now))
        checkin.refresh_from_db()
        return checkin

    return decide_on_event(event_id, decide)


# --- the one path of every check-in ---------------------------------------------------------------------


def _check_in(
    *,
    actor: User,
    event_id: uuid.UUID,
    method: str,
    attendee: Callable[[Event], Attendee],
    organisers_only: bool,
    checked_in_at: dt.datetime | None,
    first_id: uuid.UUID | None,
    source: str,
    until_end: bool = False,
) -> CheckInOutcome:
    def decide(event: Event) -> CheckInOutcome:
        if organisers_only:
            _require_organiser(actor, event)
        earlier = earlier_facts(event.stream, first_id, frozenset({"VolunteerCheckedIn"}))
        if earlier:
            return CheckInOutcome(CheckIn.objects.get(pk=earlier[0].fact_id), recorded=False)
        if event.status == Event.Status.CANCELLED:
            raise EventCancelled()
        if event.status != Event.Status.APPROVED:
            raise EventNotPublic()
        now = timezone.now()
        at = checked_in_at or now
        if at > now + CLOCK_TOLERANCE:
            raise InvalidInput(fields={"checked_in_at": [_("This time is in the future.")]})
        opens = event.starts_at - dt.timedelta(minutes=settings.TAZA_CHECKIN_OPENS_MINUTES_BEFORE)
        closes = event.ends_at if until_end else event.ends_at + _closes_after()
        if not opens <= at <= closes:
            raise OutsideCheckinWindow(
                fields={"checked_in_at": [_("Check-in is open from %(opens)s to %(closes)s.") % _times(opens, closes)]}
            )
        person = attendee(event)
        counted = CheckIn.objects.filter(event=event, volunteer_id=person.volunteer_id).first()
        if counted is not None:
            return CheckInOutcome(counted, recorded=False)
        fact = f.VolunteerCheckedIn(
            event_id=event.id,
            volunteer_id=person.volunteer_id,
            registration_id=person.registration_id,
            method=method,
            age_band=person.age_band,
            checked_in_at=at,
        )
        result = append_to_event(event, [fact], actor=actor, first_id=first_id, source=source, occurred_at=min(at, now))
        return CheckInOutcome(CheckIn.objects.get(pk=result.facts[0].fact_id), recorded=True)

    return decide_on_event(event_id, decide)


def _require_organiser(actor: User, event: Event) -> None:
    if not may_organise(actor, event):
        raise NotAllowed(_("Only the event's organisers check volunteers in."))


def _registered(registration: Registration) -> Attendee:
    if registration.status == Registration.Status.CANCELLED:
        raise RegistrationAlreadyCancelled()
    if registration.status != Registration.Status.REGISTERED:
        raise NotRegistered()
    return Attendee(registration.volunteer_id, registration.id, registration.age_band)


def _closes_after() -> dt.timedelta:
    return dt.timedelta(minutes=settings.TAZA_CHECKIN_CLOSES_MINUTES_AFTER)


def _times(opens: dt.datetime, closes: dt.datetime) -> dict[str, str]:
    fmt = "%Y-%m-%d %H:%M"
    return {"opens": timezone.localtime(opens).strftime(fmt), "closes": timezone.localtime(closes).strftime(fmt)}
