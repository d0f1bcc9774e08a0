"""The rule of survival checks (pure): which label a count has, and when each check is due.

A check is labelled by the whole months between the event's day (its start, local) and the day of
the count: from 3 a season, from 12 a year, from 36 three years. A count before 3 months has no
label and is refused: trees planted this season cannot be told alive from dying yet. Each label
is due on the event's day plus its months and stays due for `DUE_WINDOW_DAYS`, until a check with
that label is recorded.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal

from events.facts import SURVIVAL_LABELS

# Months after the event from which a count takes each label, the latest first.
LABEL_MONTHS = {"season": 3, "year": 12, "three_years": 36}
DUE_WINDOW_DAYS = 30


def label_for(event_day: dt.date, counted_on: dt.date) -> str | None:
    """The label of a count on `counted_on` of trees planted on `event_day`, None before 3 months
    (the latest label whose due day has come)."""
    for label in reversed(SURVIVAL_LABELS):
        if counted_on >= due_on(event_day, label):
            return label
    return None


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months, on the month's last day when it is shorter (31 May + 3 = 31 August,
    30 November + 3 = 28 or 29 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_on(event_day: dt.date, label: str) -> dt.date:
    """The first day a check of `label` is due."""
    return add_months(event_day, LABEL_MONTHS[label])


def due_label(event_day: dt.date, today: dt.date, done: set[str] | frozenset[str] = frozenset()) -> str | None:
    """The label due `today` (within its window and not recorded yet), or None."""
    for label in SURVIVAL_LABELS:
        start = due_on(event_day, label)
        if label not in done and start <= today <= start + dt.timedelta(days=DUE_WINDOW_DAYS):
            return label
    return None


def latest_label(labels: set[str] | list[str]) -> str | None:
    """The latest label among those recorded: a year's count tells more than a season's."""
    present = [label for label in SURVIVAL_LABELS if label in labels]
    return present[-1] if present else None


def survival_rate(planted: int, alive: int) -> str | None:
    """Trees alive of the trees planted (of checked events), a decimal string of 4 places ("0.8125"),
    None when no tree was counted."""
    if not planted:
        return None
    return str((Decimal(alive) / Decimal(planted)).quantize(Decimal("0.0001"), ROUND_HALF_EVEN))
