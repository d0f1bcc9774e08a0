"""The evidence behind an event's result, the one place it is written: the public grade of how strong
its figures are, and the signals a coordinator reads before verifying them.

Pure: no database. The event page, the result API, the coordinator's verification screen and the
open-data release all take the grade from `evidence_grade()`, each from what it already reads (the
events projection or the totals' `EventFigures`), so the same event has the same grade everywhere.

The grades, weakest first:

- `organiser_word`: the figures are what the organiser reported, nothing more;
- `with_checkins`: the event has check-ins recorded, so attendance is on the ledger beside them;
- `with_photos`: reserved for photos of the result (before and after). No photo exists yet, so this
  grade is never assigned; it is named now so the ladder that clients read does not change;
- `verified`: the region's coordinator verified the figures that count (accepted or adjusted them;
  a correction awaiting judgment or rejected leaves those figures standing, as in the totals).

Signals inform the coordinator and never block a decision (nor a report: the service's own limits
ask for a justification, no more). Each says why in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.cleaning import plain

ORGANISER_WORD = "organiser_word"
WITH_CHECKINS = "with_checkins"
WITH_PHOTOS = "with_photos"  # reserved: assigned once results carry photos (issue 17)
VERIFIED = "verified"
GRADES = (ORGANISER_WORD, WITH_CHECKINS, WITH_PHOTOS, VERIFIED)  # weakest first

GRADE_NAMES = {
    ORGANISER_WORD: _("Organiser's word"),
    WITH_CHECKINS: _("With check-ins"),
    WITH_PHOTOS: _("With photos"),
    VERIFIED: _("Verified"),
}
GRADE_MEANINGS = {
    ORGANISER_WORD: _("The figures are as the organiser reported them, with nothing recorded beside them."),
    WITH_CHECKINS: _("Volunteers' check-ins at the event are recorded beside the organiser's figures."),
    WITH_PHOTOS: _("Photos of the result are kept beside the figures (not in use yet)."),
    VERIFIED: _("The region's coordinator verified the figures."),
}

# Head-count far above the check-ins: more than HEADCOUNT_RATIO times the check-ins plus HEADCOUNT_MARGIN
# people who came without registering (the margin lets a small event have its walk-ins).
HEADCOUNT_RATIO = Decimal("1.5")
HEADCOUNT_MARGIN = 10


def evidence_grade(*, verified: bool, checked_in: int) -> str:
    """The grade of an event's result: `verified` when figures verified by the coordinator count,
    else `with_checkins` when the event has check-ins recorded, else `organiser_word`."""
    if verified:
        return VERIFIED
    if checked_in > 0:
        return WITH_CHECKINS
    return ORGANISER_WORD


def grade_legend() -> list[dict]:
    """Every grade with its name and meaning, weakest first: the legend under a result."""
    return [{"grade": g, "name": str(GRADE_NAMES[g]), "meaning": str(GRADE_MEANINGS[g])} for g in GRADES]


@dataclass(frozen=True)
class Limit:
    """A figure against its plausibility limit for the report's participants."""

    name: str  # waste_kg (all kinds), trees, area_ha
    value: Decimal
    most: Decimal  # the limit per participant times the participants
    participants: int

    @property
    def above(self) -> bool:
        return self.value > self.most


def participants(*, checked_in: int, headcount: int) -> int:
    """Who a result's figures are shared among: the checked-in volunteers plus the head-count (at
    least one, so an event of nobody still has limits)."""
    return max(checked_in + headcount, 1)


def plausibility_limits(
    *, checked_in: int, headcount: int, waste_kg: Decimal, trees: int, area_ha: Decimal
) -> list[Limit]:
    """Waste (all kinds), trees and hectares against the settings' limits per participant
    (TAZA_RESULT_MAX_WASTE_KG_PER_PARTICIPANT, _TREES_, _AREA_HA_). Above a limit a report needs a
    justification (events.services.results) and the coordinator is shown a signal."""
    people = participants(checked_in=checked_in, headcount=headcount)
    rows = (
        ("waste_kg", Decimal(waste_kg), settings.TAZA_RESULT_MAX_WASTE_KG_PER_PARTICIPANT),
        ("trees", Decimal(trees), settings.TAZA_RESULT_MAX_TREES_PER_PARTICIPANT),
        ("area_ha", Decimal(area_ha), settings.TAZA_RESULT_MAX_AREA_HA_PER_PARTICIPANT),
    )
    return [Limit(name, value, Decimal(str(limit)) * people, people) for name, value, limit in rows]


@dataclass(frozen=True)
class Signal:
    code: str  # headcount_above_checkins, waste_kg_above_limit, trees_above_limit, area_ha_above_limit
    message: str


def _headcount_message(headcount: int, checked_in: int, most: Decimal) -> str:
    return ngettext(
        "%(headcount)s people came without registering, more than %(ratio)s times the %(checked_in)s "
        "check-in plus %(margin)s (%(most)s): ask how they were counted.",
        "%(headcount)s people came without registering, more than %(ratio)s times the %(checked_in)s "
        "check-ins plus %(margin)s (%(most)s): ask how they were counted.",
        checked_in,
    ) % {
        "headcount": headcount,
        "ratio": plain(HEADCOUNT_RATIO),
        "checked_in": checked_in,
        "margin": HEADCOUNT_MARGIN,
        "most": plain(most),
    }


_LIMIT_MESSAGES = {
    "waste_kg": _(
        "%(value)s kg of waste is more than %(limit)s kg per participant for %(n)s participants (%(most)s kg)."
    ),
    "trees": _("%(value)s trees is more than %(limit)s per participant for %(n)s participants (%(most)s)."),
    "area_ha": _("%(value)s ha is more than %(limit)s ha per participant for %(n)s participants (%(most)s ha)."),
}


def _limit_message(limit: Limit) -> str:
    per = limit.most / limit.participants
    return str(_LIMIT_MESSAGES[limit.name]) % {
        "value": plain(limit.value),
        "limit": plain(per),
        "n": limit.participants,
        "most": plain(limit.most),
    }


def result_signals(*, checked_in: int, headcount: int, waste_kg: Decimal, trees: int, area_ha: Decimal) -> list[Signal]:
    """What a coordinator should look at in a report, each with why; empty when nothing stands out.

    - `headcount_above_checkins`: the head-count is more than 1.5 x the check-ins + 10
      (HEADCOUNT_RATIO, HEADCOUNT_MARGIN): 16 beside 4 check-ins is no signal, 17 is;
    - `<figure>_above_limit`: waste, trees or hectares above the plausibility limit for the
      participants (`plausibility_limits`), strictly above.
    """
    out = []
    most = HEADCOUNT_RATIO * checked_in + HEADCOUNT_MARGIN
    if headcount > most:
        out.append(Signal("headcount_above_checkins", _headcount_message(headcount, checked_in, most)))
    for limit in plausibility_limits(
        checked_in=checked_in, headcount=headcount, waste_kg=waste_kg, trees=trees, area_ha=area_ha
    ):
        if limit.above:
            out.append(Signal(f"{limit.name}_above_limit", _limit_message(limit)))
    return out


SIGNAL_CODES = ("headcount_above_checkins", "waste_kg_above_limit", "trees_above_limit", "area_ha_above_limit")
