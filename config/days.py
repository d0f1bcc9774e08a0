"""The platform's calendar: which day a moment falls on, in the platform's time zone (Asia/Almaty)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings


@cache
def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_day(moment: dt.datetime) -> dt.date:
    """The calendar day of `moment` where the campaigns run: an event's day is its start's, and a
    campaign's period is in these days. The settings' zone, not the request's, so a pure fold
    (stats/metrics.py) and a service agree on it."""
    return moment.astimezone(_zone()).date()
