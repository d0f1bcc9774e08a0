"""What every events service shares: deciding under the event's lock, keyed retries, age bands."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.idempotency import fact_ids
from events.errors import EventNotFound
from events.ids import as_uuid
from events.models import Event, Registration
from events.rules import may_see
from ledger.models import Fact
from ledger.store import AppendResult, ConcurrencyConflict, IdempotencyConflict, StoredFact, append
from volunteers.models import User

T = TypeVar("T")

# The event row lock makes conflicts rare (only a writer that skipped it can cause one); a few
# more tries cover that without looping for ever.
DECISION_ATTEMPTS = 3


def event_stream(event_id: uuid.UUID | str) -> str:
    return f"event-{event_id}"


def decide_on_event(event_id: uuid.UUID | str, decide: Callable[[Event], T]) -> T:
    """Run `decide` with the event's projection row locked, and retry it on a version conflict.

    `decide` reads the state it needs from the locked row (and the tables beside it), then
    appends with `expected_version=event.version`. Two volunteers racing for the last place queue
    on the lock; the second then sees the place taken and is waitlisted. On SQLite, which has no
    row locks, the IMMEDIATE transaction serialises writers the same way.
    """
    event_id = as_uuid(event_id, EventNotFound)
    for attempt in range(DECISION_ATTEMPTS):
        try:
            with transaction.atomic():
                try:
                    event = Event.objects.select_for_update().get(pk=event_id)
                except Event.DoesNotExist:
                    raise EventNotFound() from None
                return decide(event)
        except ConcurrencyConflict:
            if attempt == DECISION_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def require_in_sight(actor: User | None, event: Event) -> None:
    """Refuse an event the actor may not even see as not found, as reading it answers: a 403 would
    tell a stranger that an unpublished event has this id. (None: the platform itself acts.)"""
    if actor is not None and not may_see(actor, event):
        raise EventNotFound()


def keyed_fact_id(actor: User | None, idempotency_key: str | None) -> uuid.UUID | None:
    """The id of the first fact a keyed write appends (config/idempotency.py); the rest derive from it."""
    if actor is None or idempotency_key is None:
        return None
    return fact_ids(actor_id=actor.volunteer_id, key=idempotency_key, count=1)[0]


def earlier_facts(stream: str, first_id: uuid.UUID | None, types: frozenset[str]) -> list[StoredFact] | None:
    """The facts a keyed request stored before, or None: its retry answers with what they made.

    Unlike `config.idempotency.replayed`, this does not rebuild the facts to compare them: what an
    event write appends depends on the state it meets (a place or the waitlist, who is promoted),
    so the first id, its stream and its type identify the request.
    """
    if first_id is None:
        return None
    row = Fact.objects.filter(fact_id=first_id).first()
    if row is None:
        return None
    if row.stream != stream or row.type not in types:
        raise reused_key()
    return [StoredFact.from_row(row)]


def reused_key() -> IdempotencyConflict:
    """The refusal of a key sent again with a different request: never the first answer, which
    would tell the client that what it sent now was recorded."""
    return IdempotencyConflict(_("This Idempotency-Key was used for a different request."))


def request_facts(first: StoredFact) -> list[StoredFact]:
    """Every fact of the keyed request whose first fact is `first`, in order.

    One request is one append: its facts hold consecutive versions of the stream and the ids
    `append_to_event` derived from the first, so the run of those ids from `first` on is the request.
    """
    facts = [first]
    rows = Fact.objects.filter(stream=first.stream, version__gt=first.version).order_by("version")
    for index, row in enumerate(rows.iterator(chunk_size=100), start=1):
        if row.version != first.version + index or row.fact_id != uuid.uuid5(first.fact_id, str(index)):
            break
        facts.append(StoredFact.from_row(row))
    return facts


def append_to_event(
    event: Event,
    facts: Sequence[Any],
    *,
    actor: User | None,
    first_id: uuid.UUID | None,
    source: str,
    occurred_at: dt.datetime | None = None,
) -> AppendResult:
    """Append to the event's stream at the version the decision was taken on.

    A keyed write appends as many facts as the state calls for, so only the first id is given;
    the others derive from it (stable, so a racing copy of the request collides in the ledger).
    """
    ids = None
    if first_id is not None:
        ids = [first_id, *(uuid.uuid5(first_id, str(i)) for i in range(1, len(facts)))]
    return append(
        event.stream,
        facts,
        expected_version=event.version,
        fact_ids=ids,
        actor_id=str(actor.volunteer_id) if actor is not None else None,
        source=source,
        occurred_at=occurred_at,
    )


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


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def waitlist(event: Event) -> list[Registration]:
    """The waiting volunteers, first come first promoted."""
    return list(
        Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED).order_by("waitlist_order")
    )


def after_commit_tell_promoted(registration_ids: Iterable[uuid.UUID]) -> None:
    """Email each promoted volunteer once the promotion is committed (never for a rolled-back one)."""
    from events.tasks import tell_waitlist_promoted

    for registration_id in registration_ids:
        transaction.on_commit(partial(tell_waitlist_promoted.delay, str(registration_id)))
