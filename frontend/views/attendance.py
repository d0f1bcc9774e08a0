"""The volunteer's own check-in on the event page: the event code shown on site, typed on their phone.

It is how someone who came without a place is counted with their consent (organisers no longer
check people in by email); it works without JavaScript, like every other write.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.errors import DomainError
from events.errors import EventNotFound
from events.services import checkin_with_code
from frontend import display
from frontend.errors import refusal_to_message


@login_required
@require_POST
def checkin_code(request: HttpRequest, event_id: str) -> HttpResponse:
    try:
        outcome = checkin_with_code(
            actor=request.user, event_id=event_id, code=request.POST.get("code", ""), source="web"
        )
    except EventNotFound:
        raise Http404 from None
    except DomainError as error:
        refusal_to_message(request, error)
    else:
        if outcome.recorded:
            messages.success(request, _("You are checked in. Thank you for coming!"))
        else:
            messages.info(
                request,
                _("You were already checked in at %(time)s.") % {"time": display.clock(outcome.checkin.checked_in_at)},
            )
    return redirect("event", event_id=event_id)
