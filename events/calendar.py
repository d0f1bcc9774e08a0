"""Events as iCalendar (RFC 5545): an event's `.ics`, and a person's feed of the events they joined.

Written by hand: one VEVENT per event, lines ending in CRLF and folded at 75 octets, text escaped.
The UID is the event's id, so a calendar that imported the event once updates it in place; SEQUENCE
is the event's version, which grows with every fact of its stream (a reschedule among them), so a
later copy always wins; a cancelled event stays, with STATUS:CANCELLED, so calendars strike it out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event

PRODID = "-//Taza//Taza events//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def event_calendar(event: Event) -> str:
    """The `.ics` of one event (served on its page, attached to its emails)."""
    return calendar([event])


def calendar(events: Iterable[Event], *, name: str = "") -> str:
    """A VCALENDAR of `events`, in the active language (the region's name, "What to bring")."""
    now = timezone.now()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if name:
        lines.append(f"X-WR-CALNAME:{escape(name)}")
    for event in events:
        lines.extend(_vevent(event, now))
    lines.append("END:VCALENDAR")
    return "".join(f"{fold(line)}\r\n" for line in lines)


def uid(event: Event) -> str:
    return f"event-{event.id}@{urlsplit(settings.SITE_URL).hostname or 'taza.local'}"


def _vevent(event: Event, now: dt.datetime) -> list[str]:
    url = settings.SITE_URL.rstrip("/") + reverse("event", args=[event.id])
    location = ", ".join(part.strip() for part in (event.address, event.region.name) if part and part.strip())
    description = event.description.strip()
    if event.what_to_bring.strip():
        description = f"{description}\n\n{_('What to bring:')} {event.what_to_bring.strip()}".strip()
    description = f"{description}\n\n{url}".strip()
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid(event)}",
        f"DTSTAMP:{utc(now)}",
        f"DTSTART:{utc(event.starts_at)}",
        f"DTEND:{utc(event.ends_at)}",
        f"SEQUENCE:{event.version}",
        f"SUMMARY:{escape(event.title)}",
        f"LOCATION:{escape(location)}",
    ]
    if event.latitude is not None and event.longitude is not None:
        lines.append(f"GEO:{event.latitude:.6f};{event.longitude:.6f}")
    lines += [
        f"URL:{url}",
        f"DESCRIPTION:{escape(description)}",
        f"STATUS:{'CANCELLED' if event.status == Event.Status.CANCELLED else 'CONFIRMED'}",
        "END:VEVENT",
    ]
    return lines


def utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def escape(text: str) -> str:
    """TEXT per RFC 5545 3.3.11: backslash, semicolon and comma escaped, a line break as \\n."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character: each
    continuation starts with a space, which counts towards its 75."""
    parts: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, 74
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)
