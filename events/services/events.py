"""Writes of an event's life: propose, edit, approve or reject, reschedule, cancel.

Once an event is approved, what the public reads of it (events.facts.MATERIAL_FIELDS: its title,
description, place and what to bring) changes only with a coordinator's approval: an edit of those
fields is an `EventChangeProposed`, and the event reads as approved until `EventChangeApproved`.
Capacity changes at once (it never drops below the registered, and more places promote the
waitlist); the time changes by rescheduling, which the volunteers are told of.

Every write may carry an Idempotency-Key. Its retry answers as the first request did; the same key
with a different request is refused with `idempotency_conflict` and appends nothing. What an event
write appends depends on the state it met, so each service compares what the request asks with
what the key's facts recorded, not the facts it would build now.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.facts import EVENT_KINDS
from campaigns.selectors import campaign_accepting_events
from config.cleaning import Errors, as_uuid, text
from config.days import day_text, local_day
from config.languages import LANGUAGES, Written, current_language, written_text
from events import facts as f
from events.errors import (
    CapacityBelowRegistered,
    ChangeNotPending,
    EventCancelled,
    EventNotPending,
    EventStarted,
    InvalidInput,
    NotAllowed,
)
from events.models import Event, EventChange
from events.rules import may_coordinate, may_organise
from events.services.common import EventWrite, keyed_fact_id, on_event, promotions
from ledger.facts import FactValidationError, fact_types, to_data
from ledger.facts import from_data as f_from_data
from ledger.ids import uuid7
from ledger.keyed import derived_id, earlier_facts, request_facts, reused_key
from ledger.models import Fact
from ledger.store import NO_STREAM, append
from ledger.stored import StoredFact
from reference.models import Region
from volunteers.models import Organisation, User
from volunteers.roles import is_admin, is_organiser

# Typed on a phone on site: no 0/O or 1/I to confuse.
SHORT_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
SHORT_CODE_LENGTH = 6
MAX_TITLE = 200
MAX_ADDRESS = 300
# A text an organiser writes: {"kk": …, "ru": …, "en": …} with any of the keys, or one plain text in
# the request's language (config/languages.written_text).
Text = str | Written


def event_propose(
    *,
    actor: User,
    campaign_id: uuid.UUID,
    kind: str,
    title: Text,
    description: Text = "",
    region: str,
    address: Text,
    latitude: float | None = None,
    longitude: float | None = None,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int,
    what_to_bring: Text = "",
    organisation_id: uuid.UUID | None = None,
    idempotency_key: str | None = None,
) -> Event:
    """An organiser proposes an event for their organisation; it is public once approved. The title
    and the address are written in at least one of kk, ru and en, the description and what to
    bring in any (config/languages.py)."""
    if not is_organiser(actor):
        raise NotAllowed(_("Only organisers propose events."))
    organisation = _organisation_for(actor, organisation_id)

    first_id = keyed_fact_id(actor, idempotency_key)
    event_id = derived_id(actor_id=actor.volunteer_id, key=idempotency_key, purpose="event_id") or uuid7()
    with transaction.atomic():
        earlier = earlier_facts(f.event_stream(event_id), first_id, frozenset({f.EventProposed.fact_type}))
        if earlier:
            asked = {
                "campaign_id": campaign_id,
                "organisation_id": organisation.id,
                "kind": kind,
                "region": region,
                "starts_at": starts_at,
                "ends_at": ends_at,
                **_asked_details(
                    title=title,
                    description=description,
                    address=address,
                    latitude=latitude,
                    longitude=longitude,
                    capacity=capacity,
                    what_to_bring=what_to_bring,
                ),
            }
            _require_same(f.EventProposed, earlier[0].data, asked)
            return Event.objects.get(pk=event_id)

        errors: Errors = {}
        if kind not in EVENT_KINDS:
            errors["kind"] = [_("Choose one of: %(kinds)s.") % {"kinds": ", ".join(EVENT_KINDS)}]
        if not Region.objects.filter(pk=region).exists():
            errors["region"] = [_("There is no region %(code)r.") % {"code": region}]
        details = _clean_details(
            errors,
            title=title,
            description=description,
            address=address,
            latitude=latitude,
            longitude=longitude,
            capacity=capacity,
            what_to_bring=what_to_bring,
        )
        _check_times(errors, starts_at=starts_at, ends_at=ends_at)
        if errors:
            raise InvalidInput(fields=errors)
        campaign = campaign_accepting_events(
            campaign_id=campaign_id, kind=kind, on_date=local_day(starts_at), until_date=local_day(ends_at)
        )

        fact = f.EventProposed(
            event_id=event_id,
            campaign_id=campaign.id,
            organisation_id=organisation.id,
            organiser_id=actor.volunteer_id,
            kind=kind,
            region=region,
            starts_at=starts_at,
            ends_at=ends_at,
            short_code=_new_short_code(),
            **details,
        )
        append(
            f.event_stream(event_id),
            [fact],
            expected_version=NO_STREAM,
            fact_ids=[first_id] if first_id else None,
            actor_id=str(actor.volunteer_id),
        )
        return Event.objects.get(pk=event_id)


def event_edit(
    *,
    actor: User,
    event_id: uuid.UUID,
    title: Text | None = None,
    description: Text | None = None,
    address: Text | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    capacity: int | None = None,
    what_to_bring: Text | None = None,
    idempotency_key: str | None = None,
) -> Event:
    """Change what volunteers read; None keeps a field. More places promote the waitlist in order.

    A text given as an object is the field as written from now on (a language left out is no longer
    written); a plain text replaces the request's language's only, the others stay as written.

    A proposed event changes at once. An approved one changes its capacity at once, and its
    material fields only by a change the coordinator approves: the edit proposes it (replacing a
    pending one; putting the fields back as approved withdraws it). "Keeps a field" means as the
    organiser last asked, so the pending change's values, not the approved ones.
    """
    given = {
        "title": title,
        "description": description,
        "address": address,
        "latitude": latitude,
        "longitude": longitude,
        "capacity": capacity,
        "what_to_bring": what_to_bring,
    }

    def decide(write: EventWrite) -> Event:
        event = write.event
        if write.earlier:
            as_left = _details_as_asked(write.earlier)
            asked = _asked_details(**{name: value for name, value in given.items() if value is not None})
            for name, value in given.items():
                if isinstance(value, str) and name in f.WRITTEN_FIELDS:  # one language's text only
                    over = {**as_left.get(name, {}), current_language(): value.strip()}
                    asked[name] = {lang: over[lang] for lang in LANGUAGES if over.get(lang)}
            if any(as_left.get(name) != value for name, value in asked.items()):
                raise reused_key()
            return event
        _require(may_organise(actor, event), _("Only the event's organisers may edit it."))
        _require_changeable(event)
        if timezone.now() >= event.ends_at:
            raise EventStarted(_("The event is over; it can no longer be edited."))
        errors: Errors = {}
        if (latitude is None) != (longitude is None):
            # One coordinate alone would move the pin to nonsense; give both or neither.
            errors["latitude" if latitude is None else "longitude"] = [_("Give both coordinates.")]
        pending = _pending_change(event)
        current = {name: event.detail(name) for name in f.DETAIL_FIELDS}
        asked_before = {**current, **(pending.proposed if pending else {})}
        merged = {name: asked_before[name] if value is None else value for name, value in given.items()}
        for name in f.WRITTEN_FIELDS:
            if isinstance(given[name], str):  # the request's language's text, over the others as written
                merged[name] = {**asked_before[name], current_language(): given[name]}
        details = _clean_details(errors, **merged)
        if errors:
            raise InvalidInput(fields=errors)
        if all(details[name] == asked_before[name] for name in f.DETAIL_FIELDS):
            return event  # nothing to change: nothing to record
        if details["capacity"] < event.registered_count:
            raise CapacityBelowRegistered(
                fields={"capacity": [_("%(n)d volunteers are registered.") % {"n": event.registered_count}]}
            )
        if event.status != Event.Status.APPROVED:
            facts: list[Any] = [f.EventDetailsChanged(event_id=event.id, **details)]
        else:
            facts = _approved_event_edit(event, details, pending, _new_change_id(actor, idempotency_key))
        if event.status == Event.Status.APPROVED:
            facts.extend(promotions(event, details["capacity"] - event.registered_count))
        return write.record(*facts)

    return on_event(event_id, decide, actor=actor, idempotency_key=idempotency_key, replays=EDIT_FACTS)


EDIT_FACTS = (f.EventDetailsChanged, f.EventChangeProposed, f.EventChangeWithdrawn)


def _approved_event_edit(
    event: Event, details: dict[str, Any], pending: EventChange | None, new_change_id: uuid.UUID
) -> list[Any]:
    """The facts of an edit of an approved event: its capacity at once, its material fields as a
    change for the coordinator (or the pending change withdrawn, when they are put back)."""
    facts: list[Any] = []
    approved = {name: event.detail(name) for name in f.MATERIAL_FIELDS}
    if details["capacity"] != event.capacity:
        facts.append(f.EventDetailsChanged(event_id=event.id, **approved, capacity=details["capacity"]))
    material = {name: details[name] for name in f.MATERIAL_FIELDS}
    if material == (pending.proposed if pending else approved):
        return facts
    if material == approved:
        facts.append(f.EventChangeWithdrawn(event_id=event.id, change_id=pending.id))
    else:
        facts.append(f.EventChangeProposed(event_id=event.id, change_id=new_change_id, **material))
    return facts


def _new_change_id(actor: User, idempotency_key: str | None) -> uuid.UUID:
    return derived_id(actor_id=actor.volunteer_id, key=idempotency_key, purpose="change_id") or uuid7()


def _details_as_asked(first: StoredFact) -> dict[str, Any]:
    """The fields of an event as its organiser had asked for them once the keyed edit whose first
    fact is `first` was recorded: the details as approved, with the pending change over them.
    Folded from the stream up to the request's last fact, so it is what that request left, whatever
    came after."""
    until = request_facts(first)[-1].version
    rows = Fact.objects.filter(
        stream=first.stream,
        version__lte=until,
        type__in=fact_types(f.EventProposed, *EDIT_FACTS, f.EventChangeApproved, f.EventChangeRejected),
    ).order_by("version")
    details: dict[str, Any] = {}
    pending: dict[str, Any] | None = None
    for row in rows:
        data = StoredFact.from_row(row).data
        if row.type in fact_types(f.EventProposed, f.EventDetailsChanged):
            details.update({name: data[name] for name in f.DETAIL_FIELDS})
        elif row.type == f.EventChangeProposed.fact_type:
            pending = {name: data[name] for name in f.MATERIAL_FIELDS}
        elif row.type == f.EventChangeApproved.fact_type and pending is not None:
            details.update(pending)
            pending = None
        else:  # withdrawn or rejected
            pending = None
    return {**details, **(pending or {})}


def event_approve(*, actor: User, event_id: uuid.UUID, idempotency_key: str | None = None) -> Event:
    """A coordinator of the event's region makes it public."""

    def decide(write: EventWrite) -> Event:
        event = write.event
        if write.earlier:
            return event  # the request has no body: the same event is the same request
        _require(may_coordinate(actor, event), _("Only a coordinator of the event's region may approve it."))
        if event.status != Event.Status.PROPOSED:
            raise EventNotPending()
        if timezone.now() >= event.starts_at:
            raise EventStarted(_("The event's time has passed; it can no longer be approved."))
        return write.record(f.EventApproved(event_id=event.id, coordinator_id=actor.volunteer_id))

    return on_event(event_id, decide, actor=actor, idempotency_key=idempotency_key, replays=f.EventApproved)


def event_reject(*, actor: User, event_id: uuid.UUID, reason: str, idempotency_key: str | None = None) -> Event:
    """A coordinator of the event's region turns it down, saying why (the organiser reads it)."""

    def decide(write: EventWrite) -> Event:
        event = write.event
        if write.earlier:
            _require_same(f.EventRejected, write.earlier.data, {"reason": _asked_reason(reason)})
            return event
        _require(may_coordinate(actor, event), _("Only a coordinator of the event's region may reject it."))
        cleaned = _clean_reason(reason, required=True)
        if event.status != Event.Status.PROPOSED:
            raise EventNotPending()
        return write.record(f.EventRejected(event_id=event.id, coordinator_id=actor.volunteer_id, reason=cleaned))

    return on_event(event_id, decide, actor=actor, idempotency_key=idempotency_key, replays=f.EventRejected)


def event_reschedule(
    *,
    actor: User,
    event_id: uuid.UUID,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    reason: str = "",
    idempotency_key: str | None = None,
) -> Event:
    """Move the event before it starts; its registered and waiting volunteers are told by email."""

    def decide(write: EventWrite) -> Event:
        event = write.event
        if write.earlier:
            asked = {"starts_at": starts_at, "ends_at": ends_at, "reason": _asked_reason(reason)}
            _require_same(f.EventRescheduled, write.earlier.data, asked)
            return event
        _require(may_organise(actor, event), _("Only the event's organisers may reschedule it."))
        _require_changeable(event)
        if timezone.now() >= event.starts_at:
            raise EventStarted(_("The event has started; it can no longer be rescheduled."))
        errors: Errors = {}
        _check_times(errors, starts_at=starts_at, ends_at=ends_at)
        cleaned = _clean_reason(reason, required=False)
        if errors:
            raise InvalidInput(fields=errors)
        campaign = event.campaign
        if not campaign.starts_on <= local_day(starts_at) <= campaign.ends_on:
            raise InvalidInput(
                fields={
                    "starts_at": [
                        _("The campaign runs from %(start)s to %(end)s.")
                        % {"start": day_text(campaign.starts_on), "end": day_text(campaign.ends_on)}
                    ]
                }
            )
        if local_day(ends_at) > campaign.ends_on:
            raise InvalidInput(
                fields={
                    "ends_at": [
                        _("The campaign ends on %(end)s: the event must end by then.")
                        % {"end": day_text(campaign.ends_on)}
                    ]
                }
            )
        return write.record(f.EventRescheduled(event_id=event.id, starts_at=starts_at, ends_at=ends_at, reason=cleaned))

    return on_event(event_id, decide, actor=actor, idempotency_key=idempotency_key, replays=f.EventRescheduled)


def event_cancel(*, actor: User, event_id: uuid.UUID, reason: str = "", idempotency_key: str | None = None) -> Event:
    """Call the event off before it starts; its registered and waiting volunteers are told by email
    after commit."""

    def decide(write: EventWrite) -> Event:
        event = write.event
        if write.earlier:
            _require_same(f.EventCancelled, write.earlier.data, {"reason": _asked_reason(reason)})
            return event
        _require(may_organise(actor, event), _("Only the event's organisers may cancel it."))
        _require_changeable(event)
        if timezone.now() >= event.starts_at:
            # What happened stays counted: a cancellation would take a held event, its check-ins
            # and its verified result out of the totals. Like a reschedule, only before the start.
            raise EventStarted(_("The event has started; it can no longer be cancelled."))
        cleaned = _clean_reason(reason, required=False)
        return write.record(f.EventCancelled(event_id=event.id, reason=cleaned))

    return on_event(event_id, decide, actor=actor, idempotency_key=idempotency_key, replays=f.EventCancelled)


def event_change_approve(
    *,
    actor: User,
    event_id: uuid.UUID,
    change_id: uuid.UUID,
    idempotency_key: str | None = None,
) -> Event:
    """A coordinator of the region accepts the pending change `change_id`: the public reads it from now.

    The change is named so that a coordinator approves what they read: if the organiser replaced
    or withdrew it meanwhile, the approval is refused (`change_not_pending`)."""

    def decide(write: EventWrite) -> Event:
        event = write.event
        if write.earlier:
            _require_same(f.EventChangeApproved, write.earlier.data, {"change_id": change_id})
            return event
        _require(may_coordinate(actor, event), _("Only a coordinator of the event's region may approve its changes."))
        change = _deciding(event, change_id)
        return write.record(
            f.EventChangeApproved(event_id=event.id, change_id=change.id, coordinator_id=actor.volunteer_id)
        )

    return on_event(event_id, decide, actor=actor, idempotency_key=idempotency_key, replays=f.EventChangeApproved)


def event_change_reject(
    *,
    actor: User,
    event_id: uuid.UUID,
    change_id: uuid.UUID,
    reason: str,
    idempotency_key: str | None = None,
) -> Event:
    """A coordinator of the region turns the pending change down, saying why; the event stays as approved."""

    def decide(write: EventWrite) -> Event:
        event = write.event
        if write.earlier:
            asked = {"change_id": change_id, "reason": _asked_reason(reason)}
            _require_same(f.EventChangeRejected, write.earlier.data, asked)
            return event
        _require(may_coordinate(actor, event), _("Only a coordinator of the event's region may reject its changes."))
        cleaned = _clean_reason(reason, required=True)
        change = _deciding(event, change_id)
        return write.record(
            f.EventChangeRejected(
                event_id=event.id, change_id=change.id, coordinator_id=actor.volunteer_id, reason=cleaned
            )
        )

    return on_event(event_id, decide, actor=actor, idempotency_key=idempotency_key, replays=f.EventChangeRejected)


def event_change_withdraw(*, actor: User, event_id: uuid.UUID, idempotency_key: str | None = None) -> Event:
    """The organiser takes back their pending change; the event stays as approved."""

    def decide(write: EventWrite) -> Event:
        event = write.event
        if write.earlier:
            return event  # the request has no body: the same event is the same request
        _require(may_organise(actor, event), _("Only the event's organisers may withdraw its changes."))
        pending = _pending_change(event)
        if pending is None:
            raise ChangeNotPending(_("No change of this event waits for approval."))
        return write.record(f.EventChangeWithdrawn(event_id=event.id, change_id=pending.id))

    return on_event(event_id, decide, actor=actor, idempotency_key=idempotency_key, replays=f.EventChangeWithdrawn)


# --- rules ---------------------------------------------------------------------------------------------


def _pending_change(event: Event) -> EventChange | None:
    if event.status != Event.Status.APPROVED:
        return None
    return EventChange.objects.filter(event=event, status=EventChange.Status.PENDING).first()


def _deciding(event: Event, change_id: Any) -> EventChange:
    """The pending change a coordinator decides on, while the event can still change."""
    _require_changeable(event)
    if timezone.now() >= event.ends_at:
        raise EventStarted(_("The event is over; its changes can no longer be decided."))
    pending = _pending_change(event)
    if pending is None or pending.id != as_uuid(change_id, ChangeNotPending):
        raise ChangeNotPending()
    return pending


def _require_same(fact_type: type, stored: dict, asked: dict[str, Any]) -> None:
    """Refuse a keyed retry whose request differs from the one its key recorded: the stored fact
    with what this request asks put over it must be the stored fact."""
    try:
        wanted = to_data(dataclasses.replace(f_from_data(fact_type.fact_type, stored), **asked))
    except (FactValidationError, TypeError, ValueError):
        raise reused_key() from None
    if wanted != stored:
        raise reused_key()


def _asked_details(**given: Any) -> dict[str, Any]:
    """The detail fields a request gives, cleaned as an edit would keep them (stripped, rounded);
    a field it could not have recorded makes it another request."""
    errors: Errors = {}
    asked: dict[str, Any] = {}
    for name, value in given.items():
        if name in ("latitude", "longitude"):
            asked[name] = _coordinate(errors, name, value, limit=90 if name == "latitude" else 180)
        elif name == "capacity":
            asked[name] = value
        elif name in f.WRITTEN_FIELDS:
            asked[name] = written_text(errors, name, value)
    if errors:
        raise reused_key()
    return asked


def _asked_reason(reason: Any) -> str:
    if reason is not None and not isinstance(reason, str):
        raise reused_key()
    return (reason or "").strip()


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


def _require_changeable(event: Event) -> None:
    if event.status == Event.Status.CANCELLED:
        raise EventCancelled()
    if event.status == Event.Status.REJECTED:
        raise EventNotPending(_("The event was rejected; propose it anew."))


def _organisation_for(actor: User, organisation_id: uuid.UUID | None) -> Organisation:
    """Organisers act for their own organisation; an admin may name any."""
    wanted = organisation_id or actor.organisation_id
    if wanted is None:
        raise InvalidInput(fields={"organisation_id": [_("You act for no organisation; name one.")]})
    if wanted != actor.organisation_id and not is_admin(actor):
        raise NotAllowed(_("Organisers propose events only for their own organisation."))
    organisation = Organisation.objects.filter(pk=wanted).first()
    if organisation is None:
        raise InvalidInput(fields={"organisation_id": [_("There is no such organisation.")]})
    return organisation


def _clean_details(
    errors: Errors,
    *,
    title: Any,
    description: Any,
    address: Any,
    latitude: Any,
    longitude: Any,
    capacity: Any,
    what_to_bring: Any,
) -> dict[str, Any]:
    """The fields of EventProposed and EventDetailsChanged, cleaned; problems go into `errors`
    (a language's under `title.kk` and so on). The title and address are required in one language
    at least."""
    cleaned = {
        "title": written_text(errors, "title", title, required=True, max_length=MAX_TITLE),
        "description": written_text(errors, "description", description),
        "address": written_text(errors, "address", address, required=True, max_length=MAX_ADDRESS),
        "what_to_bring": written_text(errors, "what_to_bring", what_to_bring),
        "latitude": _coordinate(errors, "latitude", latitude, limit=90),
        "longitude": _coordinate(errors, "longitude", longitude, limit=180),
        "capacity": capacity,
    }
    if (latitude is None) != (longitude is None) and "latitude" not in errors and "longitude" not in errors:
        errors["latitude" if latitude is None else "longitude"] = [_("Give both coordinates.")]
    maximum = settings.TAZA_EVENT_CAPACITY_MAX
    if isinstance(capacity, bool) or not isinstance(capacity, int) or not 0 < capacity <= maximum:
        errors["capacity"] = [_("Give a whole number from 1 to %(max)d.") % {"max": maximum}]
    return cleaned


COORDINATE_DECIMALS = 7


def _coordinate(errors: Errors, name: str, value: Any, *, limit: int) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not -limit <= value <= limit:
        errors[name] = [_("Give a number from -%(n)d to %(n)d.") % {"n": limit}]
        return None
    # Seven decimals are a centimetre. Rounding also turns a subnormal such as 5e-324 into 0.0: kept
    # as it was, PostgreSQL's radians() underflowed on it and every near-point search failed.
    return round(float(value), COORDINATE_DECIMALS)


def _check_times(errors: Errors, *, starts_at: Any, ends_at: Any) -> None:
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if not isinstance(value, dt.datetime) or timezone.is_naive(value):
            errors[name] = [_("Give a date and time with its time zone.")]
    if errors.keys() & {"starts_at", "ends_at"}:
        return
    if starts_at <= timezone.now():
        errors["starts_at"] = [_("The event must start in the future.")]
    if ends_at <= starts_at:
        errors["ends_at"] = [_("The event must end after it starts.")]
    elif ends_at - starts_at > dt.timedelta(days=settings.TAZA_EVENT_MAX_DAYS):
        errors["ends_at"] = [
            _("An event lasts at most %(days)d days: hold a longer drive as several events.")
            % {"days": settings.TAZA_EVENT_MAX_DAYS}
        ]


def _clean_reason(reason: Any, *, required: bool) -> str:
    errors: Errors = {}
    cleaned = text(errors, "reason", reason, required=required)
    if errors:
        raise InvalidInput(fields=errors)
    return cleaned


def _new_short_code() -> str:
    # Check-in by code is scoped to one event, so codes need not be unique across events.
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _position in range(SHORT_CODE_LENGTH))
