"""The totals' clock, and crediting: what changes the figures with time alone.

An event counts once it has started, and a volunteer's time is credited once the event has ended
(or they checked out): the figures move when the clock passes a start or an end, with no fact at
all. The totals are folded as of one stored instant (stats.models.TotalsClock) instead of the wall
clock, so the fold stays a function of the facts and that instant: every batch first moves the
clock to now and folds, with its facts, the events whose start or end the clock passed since
(`crossed_events`), and beat runs the same step with no facts every few seconds
(stats.tasks.credit_totals). A replay (`ledger verify`, `ledger rebuild`) folds every fact as of
the clock in one go and comes to the same tables.

Idempotent: the clock only moves forward and an event is crossed once per start and once per end,
so running the step again with nothing new changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from stats.models import EventFigures, TotalsClock

NEVER = dt.datetime.min.replace(tzinfo=dt.UTC)  # the clock before the first fold


@dataclass(frozen=True)
class Clock:
    credited_until: dt.datetime
    changed_at: dt.datetime | None


def clock() -> Clock:
    row = TotalsClock.objects.filter(pk=1).first()
    return Clock(row.credited_until, row.changed_at) if row else Clock(NEVER, None)


def next_clock(now: dt.datetime) -> tuple[dt.datetime | None, dt.datetime]:
    """Where the clock moves for a fold at `now`: from its instant (None: it has not run) forward to
    `now`, never back. Stored by `move_clock` once the fold is written, in the same transaction
    (the projection's batch, which holds its checkpoint row)."""
    since = TotalsClock.objects.filter(pk=1).values_list("credited_until", flat=True).first()
    return since, max(since, now) if since else now


def move_clock(since: dt.datetime | None, until: dt.datetime, *, changed: bool) -> None:
    """Store the clock at `until`; `changed`: the figures changed as of it, so answers get a new
    `as_of_time`, and new cache keys."""
    if since is None:
        TotalsClock.objects.create(pk=1, credited_until=until, changed_at=until)
    elif changed:
        TotalsClock.objects.filter(pk=1).update(credited_until=until, changed_at=until)
    elif until != since:
        TotalsClock.objects.filter(pk=1).update(credited_until=until)


def crossed_events(*, since: dt.datetime | None, until: dt.datetime) -> set[str]:
    """The events whose start or end is in (since, until]: each is folded again as of `until`
    (every one, so that whether it has started is stored as a replay has it)."""
    passed = Q(starts_at__lte=until) | Q(ends_at__lte=until)
    if since is not None:
        passed = Q(starts_at__gt=since, starts_at__lte=until) | Q(ends_at__gt=since, ends_at__lte=until)
    return {str(event_id) for event_id in EventFigures.objects.filter(passed).values_list("event_id", flat=True)}
