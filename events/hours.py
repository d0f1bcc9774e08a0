"""Volunteer hours: the one rule every figure of time given follows (totals, leaderboards, the
certificate, "my events", the public recount). Pure: no database, and no clock but the `now` given.

The rule, for one person:

- an attendance's time runs from the later of the check-in and the event's start to the earlier of
  the check-out and the event's end, never negative (check-in opens an hour early: that hour is not
  time given);
- it is credited only once the event has ended or the person checked out (`now` decides); before
  that it counts nothing;
- overlapping attendances count their union, not their sum. Each instant is credited to exactly
  one attendance: the first, in order of the start of its counted interval, then its end, then the
  event id, whose interval holds it. So the split is deterministic and additive: per-event,
  per-region and per-volunteer sums agree, and national hours are the sum over people of the union.

Instants are whole seconds (truncated) before anything is compared, so the pieces add up exactly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_SECOND = dt.timedelta(seconds=1)


@dataclass(frozen=True, slots=True)
class Stay:
    """One attendance of one person, as the rule needs it; `key` is the caller's name for it."""

    key: Hashable
    event_id: str
    checked_in_at: dt.datetime
    checked_out_at: dt.datetime | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    counts: bool = True  # the event counts at all (approved, held, not cancelled or rejected)


def _seconds(moment: dt.datetime) -> int:
    return (moment - _EPOCH) // _SECOND


def counted_interval(stay: Stay) -> tuple[int, int] | None:
    """The stay within the event's hours, in whole seconds since the epoch; None if empty."""
    start = _seconds(max(stay.checked_in_at, stay.starts_at))
    end = _seconds(min(stay.checked_out_at or stay.ends_at, stay.ends_at))
    return (start, end) if end > start else None


def is_credited(stay: Stay, now: dt.datetime) -> bool:
    """Credited once the person checked out or the event has ended."""
    return stay.checked_out_at is not None or stay.ends_at <= now


def credited_seconds(stays: Iterable[Stay], now: dt.datetime) -> dict[Hashable, int]:
    """The seconds credited to each of one person's stays at `now` (every key, zero included)."""
    stays = list(stays)
    credited = {stay.key: 0 for stay in stays}
    intervals = []
    for stay in stays:
        if stay.counts and is_credited(stay, now):
            interval = counted_interval(stay)
            if interval is not None:
                intervals.append((*interval, str(stay.event_id), stay.key))
    covered = None  # the end of the time credited so far: each instant goes to the first stay holding it
    for start, end, _, key in sorted(intervals, key=lambda i: i[:3]):
        begin = start if covered is None else max(start, covered)
        if end > begin:
            credited[key] = end - begin
        covered = end if covered is None else max(covered, end)
    return credited


def stay_seconds(stay: Stay, now: dt.datetime) -> int:
    """One stay's own time at `now`, overlaps with the person's other events not considered (what an
    event's roster shows: the time at this event)."""
    return credited_seconds([stay], now)[stay.key]


def hours(seconds: int) -> Decimal:
    """Seconds as hours, rounded half-even to 2 places (12 480 s: 3.47), as every figure shows them."""
    return (Decimal(seconds) / 3600).quantize(Decimal("0.01"), ROUND_HALF_EVEN)
