"""Writes of registrations: a place or the waitlist, cancelling, promotion in waitlist order."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from events import facts as f
from events.errors import (
    AlreadyRegistered,
    EventCancelled,
    EventFull,
    EventNotPublic,
    EventStarted,
    RegistrationAlreadyCancelled,
    RegistrationNotFound,
)
from events.ids import as_uuid
from events.models import Event, Registration
from events.services.common import (
    after_commit_tell_promoted,
    age_band,
    append_to_event,
    decide_on_event,
    earlier_facts,
    keyed_fact_id,
    local_date,
    require_in_sight,
    waitlist,
)
from ledger.ids import uuid7
from ledger.store import IdempotencyConflict
from volunteers.models import User
from volunteers.roles import is_admin


def registration_create(
    *, actor: User, event_id: uuid.UUID, idempotency_key: str | None = None, source: str = "web"
) -> Registration:
    """The volunteer takes a place, or joins the waitlist once the places are gone."""
    first_id = keyed_fact_id(actor, idempotency_key)

    def decide(event: Event) -> Registration:
        require_in_sight(actor, event)
        earlier = earlier_facts(event.stream, first_id, frozenset({"VolunteerRegistered"}))
        if earlier:
            return Registration.objects.get(pk=earlier[0].data["registration_id"])
        _require_open_for_registration(event)
        if (
            Registration.objects.filter(event=event, volunteer_id=actor.volunteer_id)
            .exclude(status=Registration.Status.CANCELLED)
            .exists()
        ):
            raise AlreadyRegistered()
        waitlisted = event.registered_count >= event.capacity
        if waitlisted and event.waitlisted_count >= settings.TAZA_EVENT_WAITLIST_MAX:
            raise EventFull()
        # From the key, so the retry of a request that raced its first copy names the same place.
        registration_id = uuid.uuid5(first_id, "registration_id") if first_id else uuid7()
        fact = f.VolunteerRegistered(
            event_id=event.id,
            registration_id=registration_id,
            volunteer_id=actor.volunteer_id,
            age_band=age_band(actor.birth_date, local_date(event.starts_at)),
            waitlisted=waitlisted,
        )
        append_to_event(event, [fact], actor=actor, first_id=first_id, source=source)
        return Registration.objects.get(pk=registration_id)

    return decide_on_event(event_id, decide)


def registration_cancel(
    *, actor: User, registration_id: uuid.UUID, idempotency_key: str | None = None, source: str = "web"
) -> Registration:
    """The volunteer gives the place back; the first on the waitlist takes it (and is told)."""
    registration_id = as_uuid(registration_id, RegistrationNotFound)
    registration = Registration.objects.filter(pk=registration_id).only("event_id", "volunteer_id").first()
    # Someone else's registration is not found, as reading it answers: a 403 would confirm the id.
    if registration is None or (registration.volunteer_id != actor.volunteer_id and not is_admin(actor)):
        raise RegistrationNotFound()
    first_id = keyed_fact_id(actor, idempotency_key)

    def decide(event: Event) -> Registration:
        earlier = earlier_facts(event.stream, first_id, frozenset({"RegistrationCancelled"}))
        if earlier:
            if earlier[0].data["registration_id"] != str(registration_id):
                raise IdempotencyConflict(_("This Idempotency-Key was used for a different request."))
            return Registration.objects.get(pk=registration_id)
        current = Registration.objects.get(pk=registration_id)
        facts = cancellation_facts(event, current)
        append_to_event(event, facts, actor=actor, first_id=first_id, source=source)
        after_commit_tell_promoted([fact.registration_id for fact in facts if isinstance(fact, f.WaitlistPromoted)])
        current.refresh_from_db()
        return current

    return decide_on_event(registration.event_id, decide)


def cancellation_facts(event: Event, registration: Registration) -> list[Any]:
    """RegistrationCancelled, and the promotion of the first waiting volunteer if a place frees up.

    The caller holds the event's lock (see `decide_on_event`).
    """
    if registration.status == Registration.Status.CANCELLED:
        raise RegistrationAlreadyCancelled()
    if event.status == Event.Status.CANCELLED:
        raise EventCancelled()
    if timezone.now() >= event.starts_at:
        raise EventStarted(_("The event has started; the registration can no longer be cancelled."))
    facts: list[Any] = [
        f.RegistrationCancelled(
            event_id=event.id, registration_id=registration.id, volunteer_id=registration.volunteer_id
        )
    ]
    frees_a_place = registration.status == Registration.Status.REGISTERED
    if frees_a_place and event.registered_count - 1 < event.capacity:
        first_waiting = waitlist(event)[:1]
        facts.extend(
            f.WaitlistPromoted(event_id=event.id, registration_id=r.id, volunteer_id=r.volunteer_id)
            for r in first_waiting
        )
    return facts


def _require_open_for_registration(event: Event) -> None:
    if event.status == Event.Status.CANCELLED:
        raise EventCancelled()
    if event.status != Event.Status.APPROVED:
        raise EventNotPublic()
    if timezone.now() >= event.starts_at:
        raise EventStarted()
