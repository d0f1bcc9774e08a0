"""Calendars: an approved event's `.ics`, and each person's private feed of the events they joined
(its address holds a secret of their account, reset from the profile page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from events.calendar import CONTENT_TYPE, calendar, event_calendar
from events.models import Event, Registration
from volunteers.models import User
from volunteers.services import volunteer_calendar_token_reset


@require_GET
def event_ics(request: HttpRequest, event_id: str) -> HttpResponse:
    """Public like the event's page from its approval on; a cancelled one says so (STATUS:CANCELLED)."""
    event = Event.objects.select_related("region").filter(pk=event_id).first()
    if event is None or not event.was_approved:
        raise Http404
    response = HttpResponse(event_calendar(event), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="event.ics"'
    return response


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The events a person holds a place or a waitlist place at; a place given back leaves the feed.
    No session: calendar apps fetch it by its address alone, so the address is the secret."""
    person = User.objects.filter(calendar_token=token, is_active=True).first()
    if person is None:
        raise Http404
    registrations = (
        Registration.objects.select_related("event__region")
        .filter(volunteer_id=person.volunteer_id)
        .exclude(status=Registration.Status.CANCELLED)
        .order_by("event__starts_at", "event_id")
    )
    events = [r.event for r in registrations if r.event.was_approved]
    response = HttpResponse(calendar(events, name=_("My Taza events")), content_type=CONTENT_TYPE)
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_POST
def feed_reset(request: HttpRequest) -> HttpResponse:
    volunteer_calendar_token_reset(user=request.user)
    messages.success(request, _("Your calendar has a new address; the old one no longer works."))
    return redirect("profile")
