"""What every events service shares: one write to an event (`on_event`), age bands, the waitlist.

A write of an event has one skeleton, carried by `on_event`: the id of its first fact from the
actor and the Idempotency-Key (ledger/keyed.py), the event's row locked and the decision retried on
a version conflict (`decide_on_event`), the event refused when the actor may not see it, the
request's earlier facts when it is a retry, and the append at the version the decision was taken
on. A service then says only what it decides:

    def event_approve(*, actor, event_id, idempotency_key=None):
        def decide(write: EventWrite) -> Event:
            if write.earlier:
                return write.event  # a retry: answered as the first request was
            <refuse what the rules refuse>
            return write.record(f.EventApproved(...))

        return on_event(event_id, decide, actor=actor, idempotency_key=idempotency_key, replays=f.EventApproved)

Attendance (check-in, check-out, undo) has its own skeleton beside it, `on_attendance`: the same
steps, with the event's row locked shared and the facts on the person's attendance stream, so the
people checking in at one event do not wait for each other (`AttendanceWrite`).
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import connection, transaction

from config.cleaning import as_uuid
from events import facts as f
from events import notifications
from events.errors import EventNotFound
from events.models import Event, Registration
from events.rules import may_see
from ledger import keyed
from ledger.facts import fact_types
from ledger.store import AppendResult, ConcurrencyConflict, append, stream_version
from ledger.stored import StoredFact
from volunteers.models import User

T = TypeVar("T")

# The event row lock makes conflicts rare (only a writer that skipped it can cause one; in
# attendance, a copy of the same person's write); a few more tries cover that without looping for ever.
DECISION_ATTEMPTS = 3


def decide_on_event(event_id: uuid.UUID | str, decide: Callable[[Event], T], *, shared: bool = False) -> T:
    """Run `decide` with the event's projection row locked, and retry it on a version conflict.

    `decide` reads the state it needs from the locked row (and the tables beside it), then
    appends with `expected_version=event.version`. Two volunteers racing for the last place queue
    on the lock; the second then sees the place taken and is waitlisted. On SQLite, which has no
    row locks, the IMMEDIATE transaction serialises writers the same way.

    `shared`: the row is locked `FOR KEY SHARE` instead (attendance, `on_attendance`). Shared locks
    do not wait for each other, so check-ins at one event run side by side; each still waits for,
    and keeps out, a writer of the event's own stream (a cancellation, a new time), whose `FOR
    UPDATE` conflicts with it, so what a check-in reads of the event (approved, its hours) holds
    until it commits. Every change to the row's fields is made under that `FOR UPDATE` (the inline
    projection runs in the locking writer's transaction; attendance facts leave the row alone).
    """
    event_id = as_uuid(event_id, EventNotFound)
    for attempt in range(DECISION_ATTEMPTS):
        try:
            with transaction.atomic():
                event = _locked_event(event_id, shared=shared)
                if event is None:
                    raise EventNotFound()
                return decide(event)
        except ConcurrencyConflict:
            if attempt == DECISION_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _locked_event(event_id: uuid.UUID, *, shared: bool) -> Event | None:
    if not shared or connection.vendor != "postgresql":
        return Event.objects.select_for_update().filter(pk=event_id).first()
    # Django's select_for_update() has no shared modes.
    table = connection.ops.quote_name(Event._meta.db_table)
    return next(iter(Event.objects.raw(f"SELECT * FROM {table} WHERE id = %s FOR KEY SHARE", [event_id])), None)  # nosec B608


class EventWrite:
    """One write to an event, as its decision sees it: the event with its row locked, who acts,
    the id of the first fact (from the key, or None), and the request's earlier facts if it is a
    retry. Made afresh for each try of the decision."""

    def __init__(
        self, event: Event, *, actor: User | None, first_id: uuid.UUID | None, replays: frozenset[str]
    ) -> None:
        self.event = event
        self.actor = actor
        self.first_id = first_id
        self._replays = replays

    @functools.cached_property
    def earlier(self) -> StoredFact | None:
        """The first fact this request's key stored before, or None: a retry answers with what that
        fact made. Looked up when first read, so a decision may refuse before it asks (raises
        `IdempotencyConflict` for a key used on another stream or for another type of fact)."""
        facts = keyed.earlier_facts(self.event.stream, self.first_id, self._replays)
        return facts[0] if facts else None

    def append(self, *facts: Any, occurred_at: dt.datetime | None = None) -> AppendResult:
        """Append the decided facts at the version the decision was taken on."""
        return append_to_event(self.event, facts, actor=self.actor, first_id=self.first_id, occurred_at=occurred_at)

    def record(self, *facts: Any, occurred_at: dt.datetime | None = None) -> Event:
        """Append the decided facts; the answer is the event as it reads now."""
        self.append(*facts, occurred_at=occurred_at)
        self.event.refresh_from_db()
        return self.event


def on_event(
    event_id: uuid.UUID | str,
    decide: Callable[[EventWrite], T],
    *,
    actor: User | None,
    idempotency_key: str | None = None,
    replays: type | tuple[type, ...],
    first_id: uuid.UUID | None = None,
    in_sight: bool = True,
) -> T:
    """Run the decision of one write to the event `event_id` (see the module's docstring).

    `replays`: the fact class(es) the request's first fact is of, by which a retry finds it.
    `first_id`: the first fact's id given by the client itself (an offline phone's check-in),
    instead of the one from the key. `in_sight=False` when the service has checked before that the
    actor may act (their own registration).
    """
    first_id = first_id or keyed_fact_id(actor, idempotency_key)
    types = fact_types(*(replays if isinstance(replays, tuple) else (replays,)))

    def locked(event: Event) -> T:
        if in_sight:
            require_in_sight(actor, event)
        return decide(EventWrite(event, actor=actor, first_id=first_id, replays=types))

    return decide_on_event(event_id, locked)


class AttendanceWrite(EventWrite):
    """One write of a volunteer's attendance at an event (check-in, check-out, undo), as its
    decision sees it: the event with its row locked shared (`decide_on_event`), and the volunteer's
    attendance stream, whose version orders that person's facts and keeps one check-in at a time.

    The decision names the volunteer with `attend()` before it reads their check-in, so the version
    it appends at is never older than what it read: a copy of the write that commits in between
    makes the append a version conflict, and the decision is taken again on the new state.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stream: str | None = None
        self.version = 0

    @functools.cached_property
    def earlier(self) -> StoredFact | None:
        """As `EventWrite.earlier`; the first fact may be on any attendance stream of the event, or
        on the event's own stream (check-ins recorded before attendance had streams of its own)."""
        event = self.event

        def of_this_event(stream: str, data: dict) -> bool:
            return stream in (event.stream, f.attendance_stream(event.id, data.get("volunteer_id")))

        facts = keyed.earlier_facts(of_this_event, self.first_id, self._replays)
        return facts[0] if facts else None

    def attend(self, volunteer_id: uuid.UUID | str) -> None:
        """Name whose attendance this write is about and read the version of its stream: call it
        before reading their check-in."""
        self.stream = f.attendance_stream(self.event.id, volunteer_id)
        self.version = stream_version(self.stream)

    def append(self, *facts: Any, occurred_at: dt.datetime | None = None) -> AppendResult:
        """Append the decided facts to the volunteer's attendance stream at the version read by
        `attend()`; the event's stream and row are left as they are. (Attendance calls for no
        message: nothing goes to the outbox.)"""
        if self.stream is None:
            raise RuntimeError("attend() names the volunteer before an attendance fact is appended")
        return append(
            self.stream,
            facts,
            expected_version=self.version,
            fact_ids=keyed.following_ids(self.first_id, len(facts)),
            actor_id=str(self.actor.volunteer_id) if self.actor is not None else None,
            occurred_at=occurred_at,
        )


def on_attendance(
    event_id: uuid.UUID | str,
    decide: Callable[[AttendanceWrite], T],
    *,
    actor: User | None,
    idempotency_key: str | None = None,
    replays: type | tuple[type, ...],
    first_id: uuid.UUID | None = None,
) -> T:
    """`on_event` for attendance: the event's row locked shared, the facts on the volunteer's
    attendance stream (`AttendanceWrite`). Many people check in at one event at once."""
    first_id = first_id or keyed_fact_id(actor, idempotency_key)
    types = fact_types(*(replays if isinstance(replays, tuple) else (replays,)))

    def locked(event: Event) -> T:
        require_in_sight(actor, event)
        return decide(AttendanceWrite(event, actor=actor, first_id=first_id, replays=types))

    return decide_on_event(event_id, locked, shared=True)


def require_in_sight(actor: User | None, event: Event) -> None:
    """Refuse an event the actor may not even see as not found, as reading it answers: a 403 would
    tell a stranger that an unpublished event has this id. (None: the platform itself acts.)"""
    if actor is not None and not may_see(actor, event):
        raise EventNotFound()


def keyed_fact_id(actor: User | None, idempotency_key: str | None) -> uuid.UUID | None:
    """The id of the first fact a keyed write by `actor` appends (ledger/keyed.py)."""
    return keyed.first_fact_id(actor_id=actor.volunteer_id if actor else None, key=idempotency_key)


def append_to_event(
    event: Event,
    facts: Sequence[Any],
    *,
    actor: User | None,
    first_id: uuid.UUID | None,
    occurred_at: dt.datetime | None = None,
) -> AppendResult:
    """Append to the event's stream at the version the decision was taken on.

    A keyed write appends as many facts as the state calls for, so only the first id is given;
    the others derive from it (stable, so a racing copy of the request collides in the ledger).
    The messages the facts call for go into the outbox in the same transaction. `meta.source` is
    the request's or task's (ledger/context.py).
    """
    ids = keyed.following_ids(first_id, len(facts))
    result = append(
        event.stream,
        facts,
        expected_version=event.version,
        fact_ids=ids,
        actor_id=str(actor.volunteer_id) if actor is not None else None,
        occurred_at=occurred_at,
    )
    # Who must be told (a promotion, a cancellation, a new time) is recorded with the facts.
    notifications.record_for(event, result.facts)
    return result


def age_band(birth_date: dt.date | None, on: dt.date) -> str:
    """The statistics band of a volunteer's age on the day of the event (facts carry nothing more)."""
    if birth_date is None:
        return "unknown"
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    if age < 14:
        return "under_14"
    if age <= 35:
        return "14_35"
    if age <= 59:
        return "36_59"
    return "60_plus"


def promotions(event: Event, places: int) -> list[f.WaitlistPromoted]:
    """The first `places` waiting volunteers take the places freed (first come, first promoted)."""
    if places <= 0:
        return []
    waiting = Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED).order_by("waitlist_order")
    return [
        f.WaitlistPromoted(event_id=event.id, registration_id=r.id, volunteer_id=r.volunteer_id)
        for r in waiting[:places]
    ]
