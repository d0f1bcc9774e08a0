"""Sharing an event: its link preview image (a PNG per language) and its printable A4 poster, and
the site's own preview image. Public events only: a proposed, rejected or cancelled event, or none,
is the 404 for everyone, its organisers too, since whatever these pages show is shown to the world.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString
from django.views.decorators.http import condition, require_safe

from events.models import Event
from events.passes import pass_svg
from frontend import preview, sharing
from frontend.views.volunteer import _scalable as scalable

# Messengers fetch a preview once per link; a browser that asks again within the hour is answered
# from its cache, after that with a 304 while the ETag stands. A changed event has a new ETag (its
# stream's version), and the tags name the version in the image's address, so nothing stale lingers.
PREVIEW_CACHE_CONTROL = "public, max-age=3600"
RENDERED_FOR = 7 * 24 * 3600  # a drawn PNG kept in the cache, under a key that changes with the event


def _public_event(event_id) -> Event:
    event = Event.objects.select_related("region", "campaign", "organisation").filter(pk=event_id).first()
    if event is None or not event.is_public:
        raise Http404
    return event


def _event_preview_etag(request: HttpRequest, event_id, language: str) -> str | None:
    version = Event.objects.filter(pk=event_id, status=Event.Status.APPROVED).values_list("version", flat=True).first()
    return None if version is None else f"{event_id}.{version}.{language}.{preview.DRAWING}"


@require_safe
@condition(etag_func=_event_preview_etag)
def event_preview(request: HttpRequest, event_id, language: str) -> HttpResponse:
    event = _public_event(event_id)
    png = _drawn(f"{event.id}:{event.version}:{language}", lambda: preview.event_png(event, language))
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = PREVIEW_CACHE_CONTROL
    return response


def _site_preview_etag(request: HttpRequest, language: str) -> str:
    return f"site.{language}.{preview.DRAWING}"


def _drawn(key: str, draw) -> bytes:
    """The PNG kept under `key` (which names what it was drawn from, the site's address included:
    the card shows it), drawn and kept on a miss."""
    key = f"taza:preview:{key}:{preview.DRAWING}:{settings.SITE_URL}"
    png = cache.get(key)
    if png is None:
        png = draw()
        cache.set(key, png, RENDERED_FOR)
    return png


@require_safe
@condition(etag_func=_site_preview_etag)
def site_preview(request: HttpRequest, language: str) -> HttpResponse:
    png = _drawn(f"site:{language}", lambda: preview.site_png(language))
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = PREVIEW_CACHE_CONTROL
    return response


@require_safe
def event_poster(request: HttpRequest, event_id) -> HttpResponse:
    """An A4 sheet for a notice board: what, when, where, what to bring, who, and the QR code of the
    event's page to register from, in the visitor's language."""
    event = _public_event(event_id)
    return render(
        request,
        "frontend/poster.html",
        {
            "event": event,
            "event_url": sharing.event_url(event),
            "when": sharing.when(event),
            "where": sharing.where(event),
            "qr": _poster_qr(event),
        },
    )


def _poster_qr(event: Event) -> SafeString:
    """The QR code of the event page's address, drawn by segno as a pass's is and marked safe by the
    same argument (frontend.views.volunteer._scalable): what it encodes is drawn as geometry only, and
    here it is our own address besides."""
    return scalable(pass_svg(sharing.event_url(event), scale=10))
