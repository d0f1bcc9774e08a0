"""Figures and times as people read them, in the active language: 1 234,5 t in Kazakh, 1,234.5 t in English.

The stats API speaks in exact public units (kg, ha, hours, as decimal strings); pages round them to
what a reader needs and write waste in tonnes. The browser code formats the live counters with the
same rules (frontend/assets/format.js), so a counter reads the same before and after an update.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats, timezone

from config.days import day_text, moment_text

# Decimal places shown for each metric in its display unit, below WHOLE_FROM; from there up a figure
# is shown whole: a tenth of a tonne is noise in 844 000 t, and the whole figure fits a counter.
PLACES = {"waste_kg": 1, "area_ha": 1, "volunteer_hours": 1}
WHOLE_FROM = 1000


def as_decimal(value: object) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def places(metric: str, amount: Decimal) -> int:
    """Decimal places to show of `amount` (in the display unit) of `metric`."""
    return PLACES.get(metric, 0) if abs(amount) < WHOLE_FROM else 0


def display_value(metric: str, value: object) -> Decimal:
    """The figure in the unit pages show: waste in tonnes, the rest as the API gives it."""
    amount = as_decimal(value)
    if metric == "waste_kg":
        amount = amount / 1000
    return amount.quantize(Decimal(1).scaleb(-places(metric, amount)), ROUND_HALF_UP)


def number(value: object, places: int = 0) -> str:
    """A number with the language's grouping and decimal separator."""
    amount = as_decimal(value).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return formats.number_format(amount, places, use_l10n=True, force_grouping=True)


def metric_number(metric: str, value: object) -> str:
    shown = display_value(metric, value)
    return number(shown, places(metric, shown))  # 999.96 ha is shown as 1,000


def moment(value: dt.datetime | None) -> str:
    """A date and time in Almaty's time zone, written the language's way."""
    if value is None:
        return ""
    return moment_text(value)


def day(value: dt.date | None) -> str:
    if value is None:
        return ""
    return day_text(value)


def clock(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return formats.time_format(timezone.localtime(value), "TIME_FORMAT")


def place(*parts: object) -> str:
    """Where something is, its parts joined by commas; an empty part (an event without an address)
    leaves no stray comma: ", North Kazakhstan Region" is "North Kazakhstan Region"."""
    return ", ".join(str(part).strip() for part in parts if part is not None and str(part).strip())
