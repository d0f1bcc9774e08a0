"""Tags for sharing: the link preview card of a page or an event, and an event's share links."""

from __future__ import annotations

from django import template

from events.models import Event
from frontend import sharing

register = template.Library()


@register.simple_tag(takes_context=True)
def site_card(context) -> sharing.Card:
    request = context.get("request")
    return sharing.site_card(request.path if request is not None else "/")


@register.simple_tag
def event_card(event: Event) -> sharing.Card:
    return sharing.event_card(event)


@register.simple_tag
def share_links(event: Event) -> dict[str, str]:
    return sharing.share_links(event)
