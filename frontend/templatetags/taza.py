"""Template filters of the site: figures, units, times and the vocabulary's words in the active language."""

from __future__ import annotations

from decimal import Decimal

from django import template

from config import languages
from frontend import display, labels, tilemap

register = template.Library()


@register.filter
def num(value: object, places: int = 0) -> str:
    return display.number(value, int(places))


@register.filter
def per_capita(rate_per_1000: object, base: int) -> str:
    """A rate the API gives per 1 000 residents, shown per `base` (frontend/display.per_capita_base)."""
    return display.per_capita(rate_per_1000, base)


@register.filter
def metric_number(value: object, metric: str) -> str:
    return display.metric_number(metric, value)


@register.filter
def species(name: str) -> str:
    """A tree species in the page's language when it is a known one (labels.TREE_SPECIES_LABELS)."""
    return labels.species_name(name)


@register.filter
def metric_name(metric: str) -> str:
    return str(labels.METRIC_NAMES.get(metric, metric))


@register.filter
def metric_unit(metric: str) -> str:
    return str(labels.METRIC_UNITS.get(metric, ""))


@register.filter
def kind_name(kind: str) -> str:
    return str(labels.EVENT_KIND_LABELS.get(kind, kind))


@register.filter
def waste_name(kind: str) -> str:
    return str(labels.WASTE_KIND_LABELS.get(kind, kind))


@register.filter
def survival_name(label: str) -> str:
    return str(labels.SURVIVAL_LABEL_LABELS.get(label, label))


@register.filter
def method_name(method: str) -> str:
    return str(labels.CHECKIN_METHOD_LABELS.get(method, method))


@register.filter
def moment(value) -> str:
    return display.moment(value)


@register.filter
def day(value) -> str:
    return display.day(value)


@register.filter
def clock(value) -> str:
    return display.clock(value)


@register.filter
def percent_width(value: object) -> str:
    """A percentage as a CSS width, capped at 100 (a region past its target fills the bar)."""
    amount = min(max(display.as_decimal(value), Decimal(0)), Decimal(100))
    return f"{amount:.1f}%"


@register.filter
def place(address: object, region: object) -> str:
    """An address and its region, as `display.place` joins them."""
    return display.place(address, region)


@register.filter
def get(mapping: dict, key: str):
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.simple_tag
def roles_of(user) -> dict[str, bool]:
    """Which parts of the site the user works in: {"organiser": …, "coordinator": …}."""
    from volunteers.roles import is_admin, is_coordinator, is_organiser

    return {"organiser": is_organiser(user), "coordinator": is_coordinator(user) or is_admin(user)}


@register.filter
def soft_hyphens(name: str) -> str:
    """Where a region's name may break on a narrow tile (frontend/tilemap.py)."""
    return tilemap.soft_hyphens(str(name))


@register.filter
def lang_of(thing, name: str) -> str:
    """The language a written text of `thing` (an event's "title", "address"…, an organisation's
    "name") is shown in, for its element's `lang` attribute: the page's own language when it was
    written in it, else the first language written (config/languages.py)."""
    written = thing.written_names if name == "name" else thing.written(name)
    return languages.shown_language(written)
