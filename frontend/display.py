"""Figures and times as people read them, in the active language: 1 234,5 t in Kazakh, 1,234.5 t in English.

The stats API speaks in exact public units (kg, ha, hours, as decimal strings); pages round them to
what a reader needs and write waste in tonnes. The browser code formats the live counters with the
same rules (frontend/assets/format.js), so a counter reads the same before and after an update.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
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


PER_CAPITA_BASES = (1_000, 10_000, 100_000, 1_000_000)


def per_capita_base(rates_per_1000: Iterable[object]) -> int:
    """How many residents a set of rates is given per: 1 000, unless even the largest would read
    below one; then the smallest of 10 000, 100 000 and 1 000 000 at which it reads at least one. One
    base for a whole column or map, so its figures compare, and never a column of 0.0037."""
    top = max((as_decimal(rate) for rate in rates_per_1000 if rate is not None), default=Decimal(0))
    if top <= 0:
        return PER_CAPITA_BASES[0]
    for base in PER_CAPITA_BASES:
        if top * base / 1000 >= 1:
            return base
    return PER_CAPITA_BASES[-1]


def per_capita(rate_per_1000: object, base: int) -> str:
    """A rate per 1 000 residents (as the API gives it) shown per `base` residents: one decimal,
    none from 100 on."""
    if rate_per_1000 is None or rate_per_1000 == "":
        return "—"
    amount = as_decimal(rate_per_1000) * int(base) / 1000
    return number(amount, 1 if abs(amount) < 100 else 0)


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
