"""Writes of results: the organiser logs (and corrects) what an event achieved; a coordinator verifies.

Figures are exact decimals (kilograms to the gram, hectares to the square metre), stored as plain
decimal text in the facts. Nothing is overwritten: a correction is a new ResultLogged with its
reason, and a verification names the version of the result it judged.

A correction after a verification awaits the coordinator like any report, and until it is judged
the figures verified before it are the ones that count (a rejected correction leaves them
standing). Once the campaign is closed, only a coordinator of the event's region logs or corrects a
result, always with a reason; the organisers are refused with `campaign_closed`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from config.cleaning import Errors, number, plain, text
from events import facts as f
from events.errors import (
    CampaignClosed,
    CorrectionReasonRequired,
    EventCancelled,
    EventNotPublic,
    EventNotStarted,
    ImplausibleResult,
    InvalidInput,
    NoResult,
    NotAllowed,
    ResultAlreadyVerified,
    ResultOutdated,
)
from events.evidence import plausibility_limits
from events.models import Event, Result
from events.rules import may_coordinate, may_log_result, may_organise
from events.services.common import EventWrite, on_event
from events.verification import verified_result
from ledger.facts import to_data
from ledger.keyed import reused_key
from photos.facts import RESULT as PHOTOS_OF_RESULT
from photos.images import Upload
from photos.services import photo_subject, photos_attach
from volunteers.models import User

DECISIONS = ("accepted", "adjusted", "rejected")
MAX_FIGURE = Decimal(10) ** 9  # a billion kilograms or hectares: beyond any one event


def result_log(
    *,
    actor: User,
    event_id: uuid.UUID,
    waste_kg: Mapping[str, Any],
    trees: int,
    area_ha: Any,
    headcount: int,
    tree_species: Mapping[str, int] | None = None,
    justification: str = "",
    correction_reason: str = "",
    photos: Mapping[str, Sequence[Upload]] | None = None,
    idempotency_key: str | None = None,
) -> Result:
    """Log the result of an event that has started; a second report is a correction and needs a reason.

    `photos`: uploads already checked (`photos.services.photo_read`) by role ("before", "after"),
    attached to the result in the same transaction (photos/): a photo refused refuses the report.

    Figures above the plausibility limits per participant (settings TAZA_RESULT_MAX_*) need a
    justification; participants are the checked-in volunteers plus the head-count. A retry with the
    same Idempotency-Key and other figures is refused (`idempotency_conflict`): answering it with the
    first report would tell a client correcting a figure that its correction was recorded.
    """

    def decide(write: EventWrite) -> Result:
        event = write.event
        errors: Errors = {}
        waste = _clean_waste(errors, waste_kg)
        tree_count = _count(errors, "trees", trees)
        species = _clean_species(errors, tree_species or {}, tree_count)
        area = _decimal(errors, "area_ha", area_ha, places=4)
        people = _count(errors, "headcount", headcount)
        why = text(errors, "justification", justification)
        correction = text(errors, "correction_reason", correction_reason)

        def report(reason: str) -> f.ResultLogged:
            return f.ResultLogged(
                event_id=event.id,
                waste_kg={kind: plain(value) for kind, value in waste.items()},
                trees=tree_count,
                tree_species=species,
                area_ha=plain(area),
                headcount=people,
                justification=why,
                correction_reason=reason,
            )

        if write.earlier:
            stored = write.earlier.data
            # A first report keeps no correction reason, so an empty stored one matches any.
            if errors or to_data(report(stored["correction_reason"] and correction)) != stored:
                raise reused_key()
            return Result.objects.get(event=event)
        # Once the campaign is closed its figures are final: only the region's coordinator corrects
        # them, with a reason (and verifies the correction as any other).
        closed = event.campaign.status == Campaign.Status.CLOSED
        if not may_log_result(actor, event):
            if closed and may_organise(actor, event):
                raise CampaignClosed()
            raise NotAllowed(_("Only the event's organisers log its result."))
        if event.status == Event.Status.CANCELLED:
            raise EventCancelled()
        if event.status != Event.Status.APPROVED:
            raise EventNotPublic()
        if timezone.now() < event.starts_at:
            raise EventNotStarted(_("Results are logged once the event has started."))
        if errors:
            raise InvalidInput(fields=errors)
        is_correction = Result.objects.filter(event=event).exists()
        if (is_correction or closed) and not correction:
            raise CorrectionReasonRequired(fields={"correction_reason": [_("Say why the result is corrected.")]})
        _check_plausible(event, waste=waste, trees=tree_count, area=area, headcount=people, justification=why)

        write.append(report(correction if is_correction or closed else ""))
        return Result.objects.get(event=event)

    with transaction.atomic():
        result = on_event(event_id, decide, actor=actor, idempotency_key=idempotency_key, replays=f.ResultLogged)
        for role, uploads in (photos or {}).items():
            if uploads:
                photos_attach(
                    actor=actor,
                    subject=photo_subject(actor=actor, subject=PHOTOS_OF_RESULT, subject_id=result.event_id, role=role),
                    role=role,
                    uploads=uploads,
                    idempotency_key=None if idempotency_key is None else f"{idempotency_key}/{role}-photos",
                )
        return result


def result_verify(
    *,
    actor: User,
    event_id: uuid.UUID,
    decision: str,
    result_version: int,
    reason: str = "",
    waste_kg: Mapping[str, Any] | None = None,
    trees: int | None = None,
    area_ha: Any = None,
    headcount: int | None = None,
    tree_species: Mapping[str, int] | None = None,
    idempotency_key: str | None = None,
) -> Result:
    """A coordinator of the region accepts, adjusts or rejects the latest version of the result.

    Adjusting names only what changes: `waste_kg` is kilograms by kind and `tree_species` trees by
    species, each replacing the organiser's figure for that kind or species; every kind, species
    and figure not named keeps the organiser's (events.verification.verified_result).
    A retry with the same Idempotency-Key and another
    decision, version, reason or figures is refused (`idempotency_conflict`)."""

    def decide(write: EventWrite) -> Result:
        event = write.event
        errors: Errors = {}
        if decision not in DECISIONS:
            errors["decision"] = [_("Choose one of: %(d)s.") % {"d": ", ".join(DECISIONS)}]
        why = text(errors, "reason", reason)
        if decision in ("adjusted", "rejected") and not why:
            errors["reason"] = [_("Say why.")]
        given = {
            "waste_kg": waste_kg,
            "trees": trees,
            "area_ha": area_ha,
            "headcount": headcount,
            "tree_species": tree_species,
        }
        adjusted = {name: value for name, value in given.items() if value is not None}
        if decision == "adjusted" and not adjusted:
            errors["non_field_errors"] = [_("Give the figures you accept instead.")]
        if decision != "adjusted":
            for name in adjusted:
                errors[name] = [_("Figures are given only when adjusting.")]
        figures: dict[str, Any] = dict.fromkeys(given)
        if decision == "adjusted":
            if waste_kg is not None:
                figures["waste_kg"] = {k: plain(v) for k, v in _clean_waste(errors, waste_kg).items()}
            if trees is not None:
                figures["trees"] = _count(errors, "trees", trees)
            if area_ha is not None:
                area = _decimal(errors, "area_ha", area_ha, places=4)
                figures["area_ha"] = plain(area) if area is not None else None
            if headcount is not None:
                figures["headcount"] = _count(errors, "headcount", headcount)
            if tree_species is not None:
                figures["tree_species"] = _clean_species(errors, tree_species, None)

        def verdict() -> f.ResultVerified:
            return f.ResultVerified(
                event_id=event.id,
                coordinator_id=actor.volunteer_id,
                decision=decision,
                result_version=result_version,
                reason=why,
                **figures,
            )

        if write.earlier:
            if errors or to_data(verdict()) != write.earlier.data:
                raise reused_key()
            return Result.objects.get(event=event)
        if not may_coordinate(actor, event):
            raise NotAllowed(_("Only a coordinator of the event's region verifies its result."))
        result = Result.objects.filter(event=event).first()
        if result is None:
            raise NoResult()
        if errors:
            raise InvalidInput(fields=errors)
        if result_version != result.version:
            raise ResultOutdated(
                fields={"result_version": [_("The latest result is version %(v)d.") % {"v": result.version}]}
            )
        if result.verified_version == result.version:
            raise ResultAlreadyVerified()
        if decision == "adjusted":
            _check_species_add_up(result.report, verdict())

        write.append(verdict())
        result.refresh_from_db()
        return result

    return on_event(event_id, decide, actor=actor, idempotency_key=idempotency_key, replays=f.ResultVerified)


# --- validation -----------------------------------------------------------------------------------------


def _check_species_add_up(report: Any, verdict: f.ResultVerified) -> None:
    """The adjusted species, with those the organiser reported, add up to the adjusted trees."""
    logged = {"waste_kg": report.waste_kg, "trees": report.trees, "tree_species": report.tree_species}
    merged = verified_result(logged, to_data(verdict))
    if merged["tree_species"] and sum(merged["tree_species"].values()) != merged["trees"]:
        message = _("The species add up to %(n)d, not %(t)d trees.") % {
            "n": sum(merged["tree_species"].values()),
            "t": merged["trees"],
        }
        raise InvalidInput(fields={"tree_species": [message]})


def _check_plausible(
    event: Event, *, waste: dict[str, Decimal], trees: int, area: Decimal, headcount: int, justification: str
) -> None:
    limits = plausibility_limits(
        checked_in=event.checked_in_count,
        headcount=headcount,
        waste_kg=sum(waste.values(), Decimal(0)),
        trees=trees,
        area_ha=area,
    )
    above = {
        limit.name: [
            _("%(value)s is more than %(limit)s per participant for %(n)d participants.")
            % {"value": plain(limit.value), "limit": plain(limit.most / limit.participants), "n": limit.participants}
        ]
        for limit in limits
        if limit.above
    }
    if above and not justification:
        above["justification"] = [_("Explain the figures above the usual limits.")]
        raise ImplausibleResult(fields=above)


def _clean_waste(errors: Errors, value: Any) -> dict[str, Decimal]:
    if not isinstance(value, Mapping):
        errors["waste_kg"] = [_("Give an object of kilograms by kind of waste.")]
        return {}
    cleaned = {}
    for kind, amount in value.items():
        if kind not in f.WASTE_KINDS:
            errors[f"waste_kg.{kind}"] = [_("Unknown kind. Choose from: %(k)s.") % {"k": ", ".join(f.WASTE_KINDS)}]
            continue
        number = _decimal(errors, f"waste_kg.{kind}", amount, places=3)
        if number is not None:
            cleaned[kind] = number
    # In the vocabulary's order, so equal reports are equal facts.
    return {kind: cleaned[kind] for kind in f.WASTE_KINDS if kind in cleaned}


def _clean_species(errors: Errors, value: Any, trees: int | None) -> dict[str, int]:
    if not isinstance(value, Mapping):
        errors["tree_species"] = [_("Give an object of tree counts by species.")]
        return {}
    cleaned = {}
    for name, count in value.items():
        species = str(name).strip().lower()
        number = _count(errors, f"tree_species.{name}", count)
        if not species:
            errors["tree_species"] = [_("Name every species.")]
        elif number is not None:
            cleaned[species] = cleaned.get(species, 0) + number
    if cleaned and trees is not None and sum(cleaned.values()) != trees:
        errors["tree_species"] = [
            _("The species add up to %(n)d, not %(t)d trees.") % {"n": sum(cleaned.values()), "t": trees}
        ]
    return dict(sorted(cleaned.items()))


def _decimal(errors: Errors, name: str, value: Any, *, places: int) -> Decimal | None:
    figure = number(value)
    if figure is None:
        errors[name] = [_("Give a number.")]
        return None
    if figure < 0:
        errors[name] = [_("Cannot be negative.")]
        return None
    if figure >= MAX_FIGURE:
        errors[name] = [_("This figure is too large.")]
        return None
    if figure != figure.quantize(Decimal(1).scaleb(-places)):
        errors[name] = [_("Use at most %(n)d decimal places.") % {"n": places}]
        return None
    return figure


def _count(errors: Errors, name: str, value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        errors[name] = [_("Give a whole number.")]
        return None
    if value < 0:
        errors[name] = [_("Cannot be negative.")]
        return None
    if value >= MAX_FIGURE:
        errors[name] = [_("This figure is too large.")]
        return None
    return value
