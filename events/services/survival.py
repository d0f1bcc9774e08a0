"""Writes of survival checks: an organiser of a planting event or its region's coordinator counts
the trees still alive, per species of the verified result.

A check is labelled by its date (events.survival: a season, a year, three years after the event);
a count before 3 months is refused. A later check with the same label is a correction: a new
`SurvivalChecked` that supersedes the earlier one, which the ledger keeps. No species may count
more trees alive than were planted.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from config.cleaning import Errors, text
from config.days import local_day
from events import facts as f
from events.errors import (
    EventNotPublic,
    InvalidInput,
    NotAllowed,
    NotTreePlanting,
    NoVerifiedTrees,
    SurvivalCheckTooEarly,
)
from events.models import Event, SurvivalCheck
from events.rules import may_coordinate, may_organise
from events.selectors import planted_species
from events.services.common import EventWrite, on_event
from events.survival import LABEL_MONTHS, due_on, label_for
from ledger.facts import to_data
from ledger.keyed import reused_key
from volunteers.models import User

MAX_NOTE = 1000


def survival_check_record(
    *,
    actor: User,
    event_id: uuid.UUID | str,
    counted_on: Any,
    alive: Mapping[str, Any],
    note: str = "",
    idempotency_key: str | None = None,
) -> SurvivalCheck:
    """Record a count of the trees alive on `counted_on`, per species of the verified result.

    Refused: an event not a tree planting (`not_tree_planting`), without a verified result with
    trees (`no_verified_trees`), a count before 3 months (`survival_check_too_early`), a date in
    the future or before the event, a species unknown, missing or above its planted count
    (`validation_error`, by field `alive.<species>`). A retry with the same Idempotency-Key and
    other figures is refused (`idempotency_conflict`).
    """

    def decide(write: EventWrite) -> SurvivalCheck:
        event = write.event
        errors: Errors = {}
        day = _clean_day(errors, counted_on)
        why = text(errors, "note", note, max_length=MAX_NOTE)
        planted = planted_species(event)
        counts = _clean_alive(errors, alive, planted)
        event_day = local_day(event.starts_at)
        label = label_for(event_day, day) if day is not None else None

        def check() -> f.SurvivalChecked:
            return f.SurvivalChecked(
                event_id=event.id,
                label=label or "",
                counted_on=day,
                alive=counts,
                planted=planted,
                counter_id=actor.volunteer_id,
                counted_as="coordinator" if may_coordinate(actor, event) else "organiser",
                note=why,
            )

        if write.earlier:
            if errors or day is None or to_data(check()) != write.earlier.data:
                raise reused_key()
            return SurvivalCheck.objects.get(pk=write.earlier.fact_id)
        if not (may_organise(actor, event) or may_coordinate(actor, event)):
            raise NotAllowed(_("Only the event's organisers and its region's coordinators record survival checks."))
        if event.kind != "tree_planting":
            raise NotTreePlanting()
        if event.status != Event.Status.APPROVED:
            raise EventNotPublic()
        if not planted:
            raise NoVerifiedTrees()
        if day is not None and day < event_day:
            errors["counted_on"] = [_("The count cannot be before the planting.")]
        if errors:
            raise InvalidInput(fields=errors)
        if label is None:
            raise SurvivalCheckTooEarly(
                fields={
                    "counted_on": [
                        _("The first check is due %(months)d months after the planting, on %(day)s.")
                        % {"months": LABEL_MONTHS["season"], "day": due_on(event_day, "season").isoformat()}
                    ]
                }
            )
        result = write.append(check())
        return SurvivalCheck.objects.get(pk=result.facts[0].fact_id)

    return on_event(event_id, decide, actor=actor, idempotency_key=idempotency_key, replays=f.SurvivalChecked)


def _clean_day(errors: Errors, value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, dt.date):
        errors["counted_on"] = [_("Give a date (YYYY-MM-DD).")]
        return None
    if value > timezone.localdate():
        errors["counted_on"] = [_("The count cannot be in the future.")]
        return None
    return value


def _clean_alive(errors: Errors, value: Any, planted: dict[str, int]) -> dict[str, int]:
    """Trees alive per species planted: every species given once, none above its planted count."""
    if not isinstance(value, Mapping):
        errors["alive"] = [_("Give an object of living trees by species.")]
        return {}
    given = {str(name).strip().lower(): count for name, count in value.items()}
    cleaned: dict[str, int] = {}
    for species, count in given.items():
        field = f"alive.{species}"
        if species not in planted:
            names = ", ".join(planted) or "-"
            errors[field] = [_("This species was not planted here. Planted: %(s)s.") % {"s": names}]
        elif isinstance(count, bool) or not isinstance(count, int):
            errors[field] = [_("Give a whole number.")]
        elif count < 0:
            errors[field] = [_("Cannot be negative.")]
        elif count > planted[species]:
            errors[field] = [
                _("%(alive)d alive is more than the %(planted)d planted.")
                % {"alive": count, "planted": planted[species]}
            ]
        else:
            cleaned[species] = count
    for species in planted:
        if species not in given:
            errors[f"alive.{species}"] = [_("Count this species too (0 if none is alive).")]
    return {species: cleaned[species] for species in planted if species in cleaned}
