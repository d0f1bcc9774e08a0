"""The volunteer's own check-in: the event code shown on site, typed on their phone.

It is how someone who came without a place is counted with their consent (organisers no longer
check people in by email); it works without JavaScript, like every other write. The page is
reachable from the event page and from the QR code the console shows, which opens it with the
code filled in.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from config.errors import DomainError
from events.errors import EventNotFound
from events.models import CheckIn, Event
from events.passes import pass_svg
from events.selectors import event_for_oversight, event_get
from events.services import checkin_with_code
from frontend import display
from frontend.errors import refusal_to_message


@login_required
@require_http_methods(["GET", "POST"])
def checkin_code(request: HttpRequest, event_id: str) -> HttpResponse:
    event = event_get(user=request.user, event_id=event_id)
    if request.method == "GET":
        return _page(request, event, code=request.GET.get("code", ""))
    typed = request.POST.get("code", "")
    try:
        outcome = checkin_with_code(actor=request.user, event_id=event.id, code=typed)
    except EventNotFound:
        raise  # the site's 404 (frontend/errors.py): there is no event page to show a message on
    except DomainError as error:
        refusal_to_message(request, error)
        return redirect(f"{reverse('event-checkin-code', args=[event.id])}?{urlencode({'code': typed.strip()})}")
    if outcome.recorded:
        messages.success(request, _("You are checked in. Thank you for coming!"))
    else:
        messages.info(
            request,
            _("You were already checked in at %(time)s.") % {"time": display.clock(outcome.checkin.checked_in_at)},
        )
    return redirect("event-checkin-code", event_id=event.id)


@login_required
@require_GET
def checkin_qr(request: HttpRequest, event_id: str) -> HttpResponse:
    """The QR code the console shows: the check-in page's address with the event code in it. The
    code is the event's secret on site, so only those who see the console get it."""
    event = event_for_oversight(user=request.user, event_id=event_id)
    url = request.build_absolute_uri(reverse("event-checkin-code", args=[event.id]))
    response = HttpResponse(pass_svg(f"{url}?{urlencode({'code': event.short_code})}"), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


def _page(request: HttpRequest, event: Event, *, code: str) -> HttpResponse:
    opens = event.starts_at - dt.timedelta(minutes=settings.TAZA_CHECKIN_OPENS_MINUTES_BEFORE)
    now = timezone.now()
    checkin = CheckIn.objects.filter(event=event, volunteer_id=request.user.volunteer_id).first()
    return render(
        request,
        "frontend/checkin.html",
        {
            "event": event,
            "code": code.strip().upper()[:12],
            "checkin": checkin,
            "opens": opens,
            "closes": event.ends_at,
            "is_open": event.status == Event.Status.APPROVED and opens <= now <= event.ends_at,
        },
    )
