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

Many people check in at one event at once (a national clean-up day), so attendance is written by
`on_attendance`: the event's row locked shared, each person's facts on their own attendance stream
(events/facts.py). A decision names the person (`write.attend`) before it reads their check-in.
"""

from __future__ import annotations

import datetime as dt
import math
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from config.cleaning import MAX_TEXT, as_uuid
from config.days import local_day, moment_text
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
    PassCodeMistyped,
    PassCodeUnknown,
    PassForOtherEvent,
    RegistrationAlreadyCancelled,
    RegistrationNotFound,
    TooManyPassCodes,
    WrongEventCode,
)
from events.models import CheckIn, Event, Registration
from events.passes import pass_code_checks, pass_code_matches, pass_code_normalise, pass_read
from events.rules import may_organise, may_oversee
from events.services.common import AttendanceWrite, age_band, on_attendance, require_in_sight
from ledger.keyed import reused_key
from ledger.models import Fact
from ledger.store import IdempotencyConflict
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
) -> CheckInOutcome:
    """The organiser scans the volunteer's QR pass, or types the pass's short code (events/passes.py)."""
    code = pass_code_normalise(token) if isinstance(token, str) else None
    if code is not None:
        registration_id, volunteer_id, pass_event_id = _registration_by_code(actor, event_id, code), None, None
    else:
        claims = pass_read(token)
        registration_id, volunteer_id, pass_event_id = claims.registration_id, claims.volunteer_id, claims.event_id
    names = {"method": "qr", "registration_id": registration_id}
    if volunteer_id is not None:
        names["volunteer_id"] = volunteer_id

    def attendee(event: Event) -> Attendee:
        if pass_event_id is not None and pass_event_id != event.id:
            raise PassForOtherEvent(fields={"token": [_("This pass is for another event.")]})
        registration = Registration.objects.filter(pk=registration_id, event=event).first()
        if registration is None or volunteer_id not in (None, registration.volunteer_id):
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
        fact_id=fact_id,
        idempotency_key=idempotency_key,
    )


# Guessing a short code: 35 bits a code, so even the event's whole allowance for a day finds one of a
# thousand passes with a chance under 1 in 700. A typo (the check character fails) is not a guess.
PASS_CODE_GUESSES = (("organiser", 10, 60), ("event", 30, 60))  # (per, how many unknown codes, seconds)


def _registration_by_code(actor: User, event_id: uuid.UUID, code: str) -> uuid.UUID:
    """The registration of the event whose pass has this short code. Only the event's organisers
    learn whether a code is known, so who asks is checked first."""
    event = Event.objects.filter(pk=as_uuid(event_id, EventNotFound)).first()
    if event is None:
        raise EventNotFound()
    require_in_sight(actor, event)
    _require_organiser(actor, event)
    if not pass_code_checks(code):
        raise PassCodeMistyped(fields={"token": [str(PassCodeMistyped.default_message)]})
    scopes = [
        (f"{per}:{actor.volunteer_id if per == 'organiser' else event.id}", limit, window)
        for per, limit, window in PASS_CODE_GUESSES
    ]
    now = time.time()
    for scope, limit, window in scopes:
        if (cache.get(_guess_key(scope, window, now)) or 0) >= limit:
            raise TooManyPassCodes(retry_after=max(1, math.ceil(window - now % window)))
    # The event's registrations are read by the index that leads with the event; a thousand HMACs
    # take about a millisecond.
    for registration_id in Registration.objects.filter(event=event).values_list("id", flat=True).iterator():
        if pass_code_matches(registration_id, code):
            return registration_id
    for scope, _limit, window in scopes:
        key = _guess_key(scope, window, now)
        if not cache.add(key, 1, timeout=window + 1):
            try:
                cache.incr(key)
            except ValueError:  # expired between the two calls
                cache.add(key, 1, timeout=window + 1)
    raise PassCodeUnknown(fields={"token": [str(PassCodeUnknown.default_message)]})


def _guess_key(scope: str, window: int, now: float) -> str:
    return f"taza:pass-code-guesses:{scope}:{int(now // window)}"


def checkin_from_roster(
    *,
    actor: User,
    event_id: uuid.UUID,
    registration_id: uuid.UUID,
    checked_in_at: dt.datetime | None = None,
    fact_id: uuid.UUID | None = None,
    idempotency_key: str | None = None,
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
        fact_id=fact_id,
        idempotency_key=idempotency_key,
    )


def checkin_with_code(
    *,
    actor: User,
    event_id: uuid.UUID,
    code: str,
    idempotency_key: str | None = None,
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
        return Attendee(actor.volunteer_id, None, age_band(actor.birth_date, local_day(event.starts_at)))

    return _check_in(
        actor=actor,
        event_id=event_id,
        method="event_code",
        names={"method": "event_code", "volunteer_id": actor.volunteer_id},
        attendee=attendee,
        organisers_only=False,  # the volunteer's own place is checked with the code
        checked_in_at=None,
        idempotency_key=idempotency_key,
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


def checkin_upload(*, actor: User, event_id: uuid.UUID, items: Sequence[UploadItem]) -> list[UploadAnswer]:
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
                outcome = checkin_from_pass(token=item.token, **common)
            elif item.registration_id is not None:
                outcome = checkin_from_roster(registration_id=item.registration_id, **common)
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
) -> CheckIn:
    """A volunteer leaves; the time between check-in and check-out is volunteer hours.

    With no `checkin_id` it is the actor's own check-out. The event's organisers name the check-in
    by its own id, never by the volunteer's: that id is the same at every event, and an organiser
    who held it could follow the person from event to event. Someone else's check-in, for anyone
    who may not check it out, does not exist (404), as someone else's registration does not.
    """
    wanted = None if checkin_id is None else as_uuid(checkin_id, CheckInNotFound)

    def decide(write: AttendanceWrite) -> CheckIn:
        event = write.event
        if wanted is None:
            write.attend(actor.volunteer_id)
            checkin = CheckIn.objects.filter(event=event, volunteer_id=actor.volunteer_id).first()
            if checkin is None:
                raise NotCheckedIn()
        else:
            checkin = _attendance_of(write, wanted)
            if checkin is None or (checkin.volunteer_id != actor.volunteer_id and not may_organise(actor, event)):
                raise CheckInNotFound()
        if write.earlier and write.earlier.data["volunteer_id"] != str(checkin.volunteer_id):
            raise reused_key()
        if checkin.checked_out_at is not None or write.earlier:
            return checkin
        now = timezone.now()
        at = checked_out_at or now
        if at > now + CLOCK_TOLERANCE or at < checkin.checked_in_at:
            raise InvalidInput(fields={"checked_out_at": [_("Give a time after the check-in and not in the future.")]})
        # Time after the check-in window closed is not volunteering at the event.
        at = min(at, event.ends_at + _closes_after())
        fact = f.VolunteerCheckedOut(event_id=event.id, volunteer_id=checkin.volunteer_id, checked_out_at=at)
        write.append(fact, occurred_at=min(at, now))
        checkin.refresh_from_db()
        return checkin

    return on_attendance(event_id, decide, actor=actor, idempotency_key=idempotency_key, replays=f.VolunteerCheckedOut)


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
) -> UndoOutcome:
    """The event's organiser (or a coordinator of its region) takes back a check-in recorded by
    mistake, saying why. It is a new fact, CheckInUndone: the check-in stays in the ledger, and the
    count, the hours and the totals no longer include it. The person may be checked in again."""
    checkin_id = as_uuid(checkin_id, CheckInNotFound)

    def decide(write: AttendanceWrite) -> UndoOutcome:
        event = write.event
        if not may_oversee(actor, event):
            raise NotAllowed(_("Only the event's organisers and its region's coordinators undo check-ins."))
        why = reason.strip() if isinstance(reason, str) else ""
        if write.earlier:
            stored = write.earlier
            if stored.data["checkin_id"] != str(checkin_id) or stored.data["reason"] != why:
                raise reused_key()
            return _undo_outcome(event, stored.data, stored.occurred_at)
        if not why:
            raise InvalidInput(fields={"reason": [_("Say why the check-in is undone.")]})
        if len(why) > MAX_TEXT:
            raise InvalidInput(fields={"reason": [_("At most %(n)d characters.") % {"n": MAX_TEXT}]})
        checkin = _attendance_of(write, checkin_id)
        if checkin is None:
            recorded = Fact.objects.filter(fact_id=checkin_id, type=f.VolunteerCheckedIn.fact_type).first()
            was_recorded = recorded is not None and recorded.data["event_id"] == str(event.id)
            raise CheckInAlreadyUndone() if was_recorded else CheckInNotFound()
        fact = f.CheckInUndone(event_id=event.id, checkin_id=checkin.id, volunteer_id=checkin.volunteer_id, reason=why)
        stored = write.append(fact).facts[0]
        return _undo_outcome(event, stored.data, stored.occurred_at)

    return on_attendance(event_id, decide, actor=actor, idempotency_key=idempotency_key, replays=f.CheckInUndone)


def _attendance_of(write: AttendanceWrite, checkin_id: uuid.UUID) -> CheckIn | None:
    """The event's check-in with this id, read after its volunteer's attendance stream is named
    (`AttendanceWrite.attend`): read before, an undo or check-out committed meanwhile would go
    unseen by the decision and unrefused by the version."""
    checkin = CheckIn.objects.filter(pk=checkin_id, event=write.event).first()
    if checkin is None:
        return None
    write.attend(checkin.volunteer_id)
    return CheckIn.objects.filter(pk=checkin_id).first()


def _undo_outcome(event: Event, data: dict, undone_at: dt.datetime) -> UndoOutcome:
    return UndoOutcome(
        checkin_id=uuid.UUID(data["checkin_id"]),
        event_id=event.id,
        volunteer_id=uuid.UUID(data["volunteer_id"]),
        reason=data["reason"],
        undone_at=undone_at,
        checked_in_count=event.checked_in_count,
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
    fact_id: uuid.UUID | None = None,
    idempotency_key: str | None,
    until_end: bool = False,
) -> CheckInOutcome:
    """`names`: what the request itself says about whom it checks in (the method, and the volunteer
    or the place), compared with the fact a reused id stored: the same id for another person is a
    different request, and answering it with the first person's check-in would silently leave the
    second one uncounted. `fact_id`: an offline phone's own id for the check-in, else the key's."""

    def decide(write: AttendanceWrite) -> CheckInOutcome:
        event = write.event
        if organisers_only:
            _require_organiser(actor, event)
        if write.earlier:
            stored = write.earlier.data
            if any(str(stored.get(name)) != str(value) for name, value in names.items()):
                raise IdempotencyConflict(_("This id was already used for another check-in."))
            checkin = CheckIn.objects.filter(pk=write.earlier.fact_id).first()
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
        write.attend(person.volunteer_id)
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
        result = write.append(fact, occurred_at=min(at, now))
        return CheckInOutcome(CheckIn.objects.get(pk=result.facts[0].fact_id), recorded=True)

    return on_attendance(
        event_id,
        decide,
        actor=actor,
        idempotency_key=idempotency_key,
        replays=f.VolunteerCheckedIn,
        first_id=fact_id,
    )


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
    return {"opens": moment_text(opens), "closes": moment_text(closes)}
