"""Which emails a person gets: the switches on their profile page, and the one-click unsubscribe link
of every email (RFC 8058), which works without signing in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from volunteers.email_choices import TOPIC_NAMES, TOPICS, unsubscribe_read
from volunteers.services import volunteer_email_choices_set, volunteer_unsubscribe


@login_required
@require_POST
def choices_save(request: HttpRequest) -> HttpResponse:
    """The profile's form: each topic it showed (`topics`) is on when its box is ticked."""
    shown = [topic for topic in request.POST.getlist("topics") if topic in TOPICS]
    volunteer_email_choices_set(user=request.user, **{topic: topic in request.POST for topic in shown})
    messages.success(request, _("Your email choices are saved."))
    return redirect("profile")


# A mail client's one-click POST (body "List-Unsubscribe=One-Click") carries no CSRF token and no
# session; the signed token in the address is what authorises it, and it can only turn a topic off.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    read = unsubscribe_read(token)
    if read is None:
        raise Http404
    volunteer_id, topic = read
    done = False
    if request.method == "POST":
        if volunteer_unsubscribe(volunteer_id=volunteer_id, topic=topic) is None:
            raise Http404
        done = True
    return render(
        request,
        "frontend/unsubscribe.html",
        {"topic_name": TOPIC_NAMES[topic], "done": done, "action_url": request.path},
    )
