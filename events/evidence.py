"""The evidence behind an event's result, the one place it is written: the public grade of how strong
its figures are, and the signals a coordinator reads before verifying them.

Pure: no database. The event page, the result API, the coordinator's verification screen and the
open-data release all take the grade from `evidence_grade()`, each from what it already reads (the
events projection or the totals' `EventFigures`), so the same event has the same grade everywhere.

The grades, weakest first:

- `organiser_word`: the figures are what the organiser reported, nothing more;
- `with_checkins`: the event has check-ins recorded, so attendance is on the ledger beside them;
- `with_photos`: beside the check-ins, after-photos of the result are kept (photos/: uploaded by
  the organisers, not hidden by the coordinator), so what was done can be seen, not only counted.
  Photos without check-ins do not raise the grade: the ladder is cumulative;
- `verified`: the region's coordinator verified the figures that count (accepted or adjusted them;
  a correction awaiting judgment or rejected leaves those figures standing, as in the totals).

Signals inform the coordinator and never block a decision (nor a report: the service's own limits
ask for a justification, no more). Each says why in plain words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.cleaning import plain
from config.days import day_text, local_day
from dumps.places import distance_m

ORGANISER_WORD = "organiser_word"
WITH_CHECKINS = "with_checkins"
WITH_PHOTOS = "with_photos"
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
    WITH_PHOTOS: _("Beside the check-ins, photos taken after the work are kept with the figures."),
    VERIFIED: _("The region's coordinator verified the figures."),
}

# Head-count far above the check-ins: more than HEADCOUNT_RATIO times the check-ins plus HEADCOUNT_MARGIN
# people who came without registering (the margin lets a small event have its walk-ins).
HEADCOUNT_RATIO = Decimal("1.5")
HEADCOUNT_MARGIN = 10


def evidence_grade(*, verified: bool, checked_in: int, after_photos: int = 0) -> str:
    """The grade of an event's result: `verified` when figures verified by the coordinator count,
    else `with_photos` when the event has check-ins and after-photos, else `with_checkins` when it
    has check-ins, else `organiser_word`."""
    if verified:
        return VERIFIED
    if checked_in > 0 and after_photos > 0:
        return WITH_PHOTOS
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


# --- photos (photos/): what the coordinator should look at in the photos of a result ---------------

ROLE_NAMES = {"before": _("A before-photo"), "after": _("An after-photo")}
OTHER_SUBJECTS = {
    "result": _("a photo of another event's result"),
    "dump_report": _("a photo of a dump's report"),
    "dump_liquidation": _("a photo of a dump's liquidation"),
}


@dataclass(frozen=True)
class PhotoSeen:
    """A photo of the result as the signals take it: its role and what its EXIF said."""

    role: str  # before, after
    taken_at: dt.datetime | None
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class PhotoTwin:
    """A photo of the result whose perceptual hash is within `most` bits of another subject's photo."""

    role: str
    other_subject: str  # result, dump_report, dump_liquidation
    distance: int  # bits of 64 that differ
    most: int


def photo_signals(
    *,
    photos: list[PhotoSeen],
    twins: list[PhotoTwin],
    place: tuple[float, float] | None,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    far_km: float,
) -> list[Signal]:
    """What stands out in a result's photos, each with why:

    - `photo_used_twice`: a photo looks the same as one of another result or dump (its 64-bit dHash
      within TAZA_PHOTO_SAME_HAMMING bits): the same picture may be shown as two pieces of work;
    - `photo_far_from_event`: the camera's location is more than TAZA_PHOTO_FAR_KM from the event's
      place (on the sphere, as dumps measure), strictly;
    - `photo_on_another_day`: an after-photo was taken on a day the event did not span, in the
      platform's time zone, where events' days are counted (config/days.py). Only after-photos: a
      before-photo is often taken while preparing, days ahead.

    A photo with no EXIF location or time gives no signal of that kind (phones strip it on request,
    and its absence proves nothing)."""
    out = [
        Signal(
            "photo_used_twice",
            _(
                "%(photo)s looks like %(other)s: %(bits)s of 64 bits of their perceptual hashes differ "
                "(at most %(most)s)."
            )
            % {
                "photo": ROLE_NAMES.get(twin.role, twin.role),
                "other": OTHER_SUBJECTS.get(twin.other_subject, twin.other_subject),
                "bits": twin.distance,
                "most": twin.most,
            },
        )
        for twin in twins
    ]
    first_day, last_day = local_day(starts_at), local_day(ends_at)
    for photo in photos:
        if place is not None and photo.latitude is not None and photo.longitude is not None:
            km = distance_m(place[0], place[1], photo.latitude, photo.longitude) / 1000
            if km > far_km:
                out.append(
                    Signal(
                        "photo_far_from_event",
                        _("%(photo)s was taken %(km)s km from the event's place (more than %(most)s km).")
                        % {
                            "photo": ROLE_NAMES.get(photo.role, photo.role),
                            "km": f"{km:.1f}",
                            "most": plain(Decimal(str(far_km))),
                        },
                    )
                )
        if photo.role == "after" and photo.taken_at is not None:
            day = local_day(photo.taken_at)
            if not first_day <= day <= last_day:
                out.append(
                    Signal(
                        "photo_on_another_day",
                        _("%(photo)s was taken on %(day)s, not on the event's day.")
                        % {"photo": ROLE_NAMES.get(photo.role, photo.role), "day": day_text(day)},
                    )
                )
    return out


SIGNAL_CODES = (
    "headcount_above_checkins",
    "waste_kg_above_limit",
    "trees_above_limit",
    "area_ha_above_limit",
    "photo_used_twice",
    "photo_far_from_event",
    "photo_on_another_day",
)
