"""The platform's calendar: which day a moment falls on, in the platform's time zone (Asia/Almaty)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats


@cache
def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_day(moment: dt.datetime) -> dt.date:
    """The calendar day of `moment` where the campaigns run: an event's day is its start's, and a
    campaign's period is in these days. The settings' zone, not the request's, so a pure fold
    (stats/metrics.py) and a service agree on it."""
    return moment.astimezone(_zone()).date()


def day_text(day: dt.date) -> str:
    """A day written the active language's way ("3 декабря 2026 г."), for messages people read:
    error messages and emails never show ISO dates."""
    return formats.date_format(day, "DATE_FORMAT")


def moment_text(moment: dt.datetime) -> str:
    """A moment in the platform's time zone, written the active language's way."""
    return formats.date_format(moment.astimezone(_zone()), "DATETIME_FORMAT")
