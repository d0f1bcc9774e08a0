"""The maps' template side: what a map is drawn on (`map_sources`) and the dumps list's points
(`dump_pins`). Points are data for json_script, never HTML: the browser writes them as text."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from frontend.views.maps import map_sources as sources

register = template.Library()


@register.simple_tag
def map_sources() -> dict[str, str]:
    """{% map_sources as sources %}: the basemap's addresses and attribution (frontend/views/maps.py)."""
    return sources()


@register.simple_tag
def dump_pins(dumps, size_names) -> list[dict]:
    """{% dump_pins dumps size_names as pins %}: one point per dump listed, each to its page."""
    pins = []
    for dump in dumps:
        origin = _("Found by space monitoring") if dump.origin == "monitoring" else _("Reported by a person")
        pins.append(
            {
                "lat": dump.latitude,
                "lon": dump.longitude,
                "title": f"{capfirst(dump.get_status_display())} · {origin} · {size_names.get(dump.size, dump.size)}",
                "url": reverse("dump", args=[dump.id]),
            }
        )
    return pins
