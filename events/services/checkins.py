"""Writes of attendance: check-in three ways, the offline queue's upload, check-out (volunteer
hours), and undoing a wrong check-in.

A check-in is counted once per volunteer and event: scanning twice, or uploading an offline queue
twice, answers with the check-in recorded first. Offline phones send their own `fact_id` per
check-in, so the ledger recognises a replay even when the volunteer was checked in by hand since;
the same id sent for another person is a conflict, never that person's "duplicate".

Nobody is checked in without taking part in it: the organiser scans the person's own pass or ticks
their registered place, or the person types the event code shown on site on their own phone (with
or without a place). There is no way to check someone in by email or volunteer id: it let an
organiser write attendance for people who never came, and told which emails have accounts. People
without an account or a phone are the result's head-count.
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
    CheckInAlreadyUndone,
    CheckInNotFound,
    CheckInWasUndone,
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
    WrongEventCode,
)
from events.ids import as_uuid
from events.models import CheckIn, Event, Registration
from events.passes import pass_read
from events.rules import may_organise, may_oversee
from events.services.common import (
    age_band,
    append_to_event,
    decide_on_event,
    earlier_facts,
    keyed_fact_id,
    local_date,
    require_in_sight,
)
from ledger.models import Fact
from ledger.store import IdempotencyConflict
from volunteers.models import User

# A phone's clock may run a little ahead of the server's.
CLOCK_TOLERANCE = dt.timedelta(minutes=5)
MAX_REASON = 5000


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
    names = {"method": "qr", "registration_id": claims.registration_id}
    if claims.volunteer_id is not None:
        names["volunteer_id"] = claims.volunteer_id

    def attendee(event: Event) -> Attendee:
        if claims.event_id != event.id:
            raise PassForOtherEvent(fields={"token": [_("This pass is for another event.")]})
        registration = Registration.objects.filter(pk=claims.registration_id, event=event).first()
        if registration is None or claims.volunteer_id not in (None, registration.volunteer_id):
            raise RegistrationNotFound(fields={"token": [_("The pass names no registration of this event.")]})
        return _registered(registration)

    return _check_in(
        actor=actor,
        event_id=event_id,
        method="qr",
        names=names,
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
        names={"method": "roster", "registration_id": registration_id},
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
    """The volunteer types the event code shown on site on their own phone, during the event's hours.

    Typing it is the person's own consent to be counted, so it checks in whoever is there: with a
    place, or without one (a walk-in: on the waitlist, cancelled, or never registered).
    """

    def attendee(event: Event) -> Attendee:
        if not isinstance(code, str) or code.strip().upper() != event.short_code:
            raise WrongEventCode(fields={"code": [_("This is not the event's code.")]})
        registration = Registration.objects.filter(
            event=event, volunteer_id=actor.volunteer_id, status=Registration.Status.REGISTERED
        ).first()
        if registration is not None:
            return _registered(registration)
        return Attendee(actor.volunteer_id, None, age_band(actor.birth_date, local_date(event.starts_at)))

    return _check_in(
        actor=actor,
        event_id=event_id,
        method="event_code",
        names={"method": "event_code", "volunteer_id": actor.volunteer_id},
        attendee=attendee,
        organisers_only=False,  # the volunteer's own place is checked with the code
        checked_in_at=None,
        first_id=keyed_fact_id(actor, idempotency_key),
        source=source,
        until_end=True,
    )


@dataclass(frozen=True)
class UploadItem:
    """One check-in of an offline queue: the pass token, or a roster tick."""

    fact_id: uuid.UUID
    checked_in_at: dt.datetime
    token: str = ""
    registration_id: uuid.UUID | None = None


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
    require_in_sight(actor, event)
    _require_organiser(actor, event)
    answers = []
    for item in items:
        common = {"actor": actor, "event_id": event_id, "checked_in_at": item.checked_in_at, "fact_id": item.fact_id}
        try:
            if item.token:
                outcome = checkin_from_pass(token=item.token, source=source, **common)
            elif item.registration_id is not None:
                outcome = checkin_from_roster(registration_id=item.registration_id, source=source, **common)
            else:
                raise InvalidInput(fields={"token": [_("Give the pass token or the registration id.")]})
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
    checkin_id: uuid.UUID | None = None,
    checked_out_at: dt.datetime | None = None,
    idempotency_key: str | None = None,
    source: str = "web",
) -> CheckIn:
    """A volunteer leaves; the time between check-in and check-out is volunteer hours.

    With no `checkin_id` it is the actor's own check-out. The event's organisers name the check-in
    by its own id, never by the volunteer's: that id is the same at every event, and an organiser
    who held it could follow the person from event to event. Someone else's check-in, for anyone
    who may not check it out, does not exist (404), as someone else's registration does not.
    """
    first_id = keyed_fact_id(actor, idempotency_key)
    wanted = None if checkin_id is None else as_uuid(checkin_id, CheckInNotFound)

    def decide(event: Event) -> CheckIn:
        require_in_sight(actor, event)
        if wanted is None:
            checkin = CheckIn.objects.filter(event=event, volunteer_id=actor.volunteer_id).first()
            if checkin is None:
                raise NotCheckedIn()
        else:
            checkin = CheckIn.objects.filter(pk=wanted, event=event).first()
            if checkin is None or (checkin.volunteer_id != actor.volunteer_id and not may_organise(actor, event)):
                raise CheckInNotFound()
        earlier = earlier_facts(event.stream, first_id, frozenset({"VolunteerCheckedOut"}))
        if earlier and earlier[0].data["volunteer_id"] != str(checkin.volunteer_id):
            raise IdempotencyConflict(_("This Idempotency-Key was used for a different request."))
        if checkin.checked_out_at is not None or earlier:
            return checkin
        now = timezone.now()
        at = checked_out_at or now
        if at > now + CLOCK_TOLERANCE or at < checkin.checked_in_at:
            raise InvalidInput(fields={"checked_out_at": [_("Give a time after the check-in and not in the future.")]})
        # Time after the check-in window closed is not volunteering at the event.
        at = min(at, event.ends_at + _closes_after())
        fact = f.VolunteerCheckedOut(event_id=event.id, volunteer_id=checkin.volunteer_id, checked_out_at=at)
        append_to_event(event, [fact], actor=actor, first_id=first_id, source=source, occurred_at=min(at, now))
        checkin.refresh_from_db()
        return checkin

    return decide_on_event(event_id, decide)


@dataclass(frozen=True)
class UndoOutcome:
    checkin_id: uuid.UUID
    event_id: uuid.UUID
    volunteer_id: uuid.UUID
    reason: str
    undone_at: dt.datetime
    checked_in_count: int  # the event's check-ins after the undo


def checkin_undo(
    *,
    actor: User,
    event_id: uuid.UUID,
    checkin_id: uuid.UUID,
    reason: str,
    idempotency_key: str | None = None,
    source: str = "web",
) -> UndoOutcome:
    """The event's organiser (or a coordinator of its region) takes back a check-in recorded by
    mistake, saying why. It is a new fact, CheckInUndone: the check-in stays in the ledger, and the
    count, the hours and the totals no longer include it. The person may be checked in again."""
    first_id = keyed_fact_id(actor, idempotency_key)
    checkin_id = as_uuid(checkin_id, CheckInNotFound)

    def decide(event: Event) -> UndoOutcome:
        require_in_sight(actor, event)
        if not may_oversee(actor, event):
            raise NotAllowed(_("Only the event's organisers and its region's coordinators undo check-ins."))
        why = reason.strip() if isinstance(reason, str) else ""
        earlier = earlier_facts(event.stream, first_id, frozenset({"CheckInUndone"}))
        if earlier:
            stored = earlier[0]
            if stored.data["checkin_id"] != str(checkin_id) or stored.data["reason"] != why:
                raise IdempotencyConflict(_("This Idempotency-Key was used for a different request."))
            return _undo_outcome(event, stored.data, stored.occurred_at)
        if not why:
            raise InvalidInput(fields={"reason": [_("Say why the check-in is undone.")]})
        if len(why) > MAX_REASON:
            raise InvalidInput(fields={"reason": [_("At most %(n)d characters.") % {"n": MAX_REASON}]})
        checkin = CheckIn.objects.filter(pk=checkin_id, event=event).first()
        if checkin is None:
            was_recorded = Fact.objects.filter(
                fact_id=checkin_id, stream=event.stream, type="VolunteerCheckedIn"
            ).exists()
            raise CheckInAlreadyUndone() if was_recorded else CheckInNotFound()
        fact = f.CheckInUndone(event_id=event.id, checkin_id=checkin.id, volunteer_id=checkin.volunteer_id, reason=why)
        result = append_to_event(event, [fact], actor=actor, first_id=first_id, source=source)
        stored = result.facts[0]
        return _undo_outcome(event, stored.data, stored.occurred_at)

    return decide_on_event(event_id, decide)


def _undo_outcome(event: Event, data: dict, undone_at: dt.datetime) -> UndoOutcome:
    return UndoOutcome(
        checkin_id=uuid.UUID(data["checkin_id"]),
        event_id=event.id,
        volunteer_id=uuid.UUID(data["volunteer_id"]),
        reason=data["reason"],
        undone_at=undone_at,
        checked_in_count=Event.objects.values_list("checked_in_count", flat=True).get(pk=event.id),
    )


# --- the one path of every check-in ---------------------------------------------------------------------


def _check_in(
    *,
    actor: User,
    event_id: uuid.UUID,
    method: str,
    names: dict[str, object],
    attendee: Callable[[Event], Attendee],
    organisers_only: bool,
    checked_in_at: dt.datetime | None,
    first_id: uuid.UUID | None,
    source: str,
    until_end: bool = False,
) -> CheckInOutcome:
    """`names`: what the request itself says about whom it checks in (the method, and the volunteer
    or the place), compared with the fact a reused id stored: the same id for another person is a
    different request, and answering it with the first person's check-in would silently leave the
    second one uncounted."""

    def decide(event: Event) -> CheckInOutcome:
        require_in_sight(actor, event)
        if organisers_only:
            _require_organiser(actor, event)
        earlier = earlier_facts(event.stream, first_id, frozenset({"VolunteerCheckedIn"}))
        if earlier:
            stored = earlier[0].data
            if any(str(stored.get(name)) != str(value) for name, value in names.items()):
                raise IdempotencyConflict(_("This id was already used for another check-in."))
            checkin = CheckIn.objects.filter(pk=earlier[0].fact_id).first()
            if checkin is None:
                raise CheckInWasUndone()
            return CheckInOutcome(checkin, recorded=False)
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
