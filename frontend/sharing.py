"""What is shared of a public event: its one absolute address, the links that pass it on, and the
card that link previews show (OpenGraph and Twitter tags; the PNG is drawn by frontend/preview.py).

Every address starts with SITE_URL, as emails' links do (events.notifications.site_link): a shared
link is opened away from the request that made it, so the request's host (a proxy's, a test
server's) is no address to hand out. The share links are plain navigations to the messengers' own
share pages; nothing on our page loads from their hosts.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.urls import reverse
from django.utils import formats
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from events.models import Event
from events.notifications import site_link
from frontend import display

# The size link previews are drawn at: what Telegram, WhatsApp, Facebook and X show large (1.91:1).
PREVIEW_SIZE = (1200, 630)
# og:locale is a language and a territory; the territory is where the campaigns run, save English's.
OG_LOCALES = {"kk": "kk_KZ", "ru": "ru_RU", "en": "en_GB"}
LANGUAGES = tuple(OG_LOCALES)
DESCRIPTION_CHARS = 200


def language_now() -> str:
    language = (get_language() or "kk")[:2]
    return language if language in OG_LOCALES else "kk"


def event_url(event: Event) -> str:
    """The event page's canonical address: the same in every language (the visitor's choice of
    language is theirs, kept in a cookie, not in the address)."""
    return site_link(reverse("event", args=[event.id]))


def preview_url(event: Event, language: str) -> str:
    """The preview image's address, with the event's version in it: a messenger that cached the card
    of an older version fetches the new one, since it is a new address."""
    path = reverse("event-preview", kwargs={"event_id": event.id, "language": language})
    return site_link(f"{path}?v={event.version}")


def when(event: Event) -> str:
    """The event's start and end, in its own time zone (its country's) and the active language:
    "5 December 2026, 10:00 – 13:00"."""
    zone = event.region.zone
    starts = formats.date_format(event.starts_at.astimezone(zone), "DATETIME_FORMAT")
    return f"{starts} – {formats.time_format(event.ends_at.astimezone(zone), 'TIME_FORMAT')}"


def where(event: Event) -> str:
    return display.place(event.address, event.region.name)


@dataclass(frozen=True)
class Card:
    """A link preview's texts and addresses, in the active language. Plain text: templates escape it."""

    site_name: str
    locale: str
    alternate_locales: tuple[str, ...]
    kind: str  # og:type
    title: str
    description: str
    url: str
    image: str
    image_alt: str
    image_width: int = PREVIEW_SIZE[0]
    image_height: int = PREVIEW_SIZE[1]


def _card(**texts: str) -> Card:
    language = language_now()
    return Card(
        site_name="Taza",
        locale=OG_LOCALES[language],
        alternate_locales=tuple(OG_LOCALES[other] for other in LANGUAGES if other != language),
        **texts,
    )


def site_card(path: str) -> Card:
    """The card of any page that draws none of its own: the site's name, its line, its image."""
    language = language_now()
    return _card(
        kind="website",
        title="Taza",
        description=_("Taza: volunteers, events and open results of national environmental campaigns in Kazakhstan."),
        url=site_link(path),
        image=site_link(reverse("site-preview", kwargs={"language": language})),
        image_alt=_("Taza, the platform of national environmental campaigns"),
    )


def event_card(event: Event) -> Card:
    """An event's card: its title; when, where and its campaign; the start of its description."""
    summary = f"{when(event)}, {where(event)}. {event.campaign.name}."
    if event.description:
        summary += " " + Truncator(" ".join(event.description.split())).chars(DESCRIPTION_CHARS)
    return _card(
        kind="website",
        title=event.title,
        description=summary,
        url=event_url(event),
        image=preview_url(event, language_now()),
        image_alt=f"{event.title}. {when(event)}, {where(event)}.",
    )


def share_links(event: Event) -> dict[str, str]:
    """The event's address (`page`) and where the share links go. These carry the address and our own
    words only, never the event's title: a title is someone's text, and no attribute of ours carries
    someone's text into a URL."""
    url = event_url(event)
    line = _("An event of Taza, the national environmental campaigns: join in.")
    return {
        "page": url,
        "telegram": "https://t.me/share/url?" + urlencode({"url": url, "text": line}, quote_via=quote),
        "whatsapp": "https://wa.me/?" + urlencode({"text": f"{line} {url}"}, quote_via=quote),
        "email": "mailto:?" + urlencode({"subject": line, "body": url}, quote_via=quote),
    }
