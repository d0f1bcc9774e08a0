"""Writes of registrations: a place or the waitlist, cancelling, promotion in waitlist order."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from config.cleaning import as_uuid
from config.days import local_day
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
from events.models import Event, Registration
from events.services.common import EventWrite, age_band, on_event, promotions
from ledger.ids import uuid7
from ledger.keyed import reused_key
from volunteers.models import User
from volunteers.roles import is_admin


def registration_create(*, actor: User, event_id: uuid.UUID, idempotency_key: str | None = None) -> Registration:
    """The volunteer takes a place, or joins the waitlist once the places are gone."""

    def decide(write: EventWrite) -> Registration:
        if write.earlier:
            return Registration.objects.get(pk=write.earlier.data["registration_id"])
        event = write.event
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
        registration_id = uuid.uuid5(write.first_id, "registration_id") if write.first_id else uuid7()
        write.append(
            f.VolunteerRegistered(
                event_id=event.id,
                registration_id=registration_id,
                volunteer_id=actor.volunteer_id,
                age_band=age_band(actor.birth_date, local_day(event.starts_at)),
                waitlisted=waitlisted,
            )
        )
        return Registration.objects.get(pk=registration_id)

    return on_event(event_id, decide, actor=actor, idempotency_key=idempotency_key, replays=f.VolunteerRegistered)


def registration_cancel(*, actor: User, registration_id: uuid.UUID, idempotency_key: str | None = None) -> Registration:
    """The volunteer gives the place back; the first on the waitlist takes it (and is told)."""
    registration_id = as_uuid(registration_id, RegistrationNotFound)
    registration = Registration.objects.filter(pk=registration_id).only("event_id", "volunteer_id").first()
    # Someone else's registration is not found, as reading it answers: a 403 would confirm the id.
    if registration is None or (registration.volunteer_id != actor.volunteer_id and not is_admin(actor)):
        raise RegistrationNotFound()

    def decide(write: EventWrite) -> Registration:
        if write.earlier:
            if write.earlier.data["registration_id"] != str(registration_id):
                raise reused_key()
            return Registration.objects.get(pk=registration_id)
        current = Registration.objects.get(pk=registration_id)
        write.append(*cancellation_facts(write.event, current))
        current.refresh_from_db()
        return current

    # The registration is the actor's own (or they are an admin): checked above, before the lock.
    return on_event(
        registration.event_id,
        decide,
        actor=actor,
        idempotency_key=idempotency_key,
        replays=f.RegistrationCancelled,
        in_sight=False,
    )


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
        facts.extend(promotions(event, 1))
    return facts


def _require_open_for_registration(event: Event) -> None:
    if event.status == Event.Status.CANCELLED:
        raise EventCancelled()
    if event.status != Event.Status.APPROVED:
        raise EventNotPublic()
    if timezone.now() >= event.starts_at:
        raise EventStarted()
