"""Pages of regional coordinators: events and changes to approved events waiting for approval, and
results waiting for verification."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.errors import DomainError
from events.errors import EventNotFound, NotAllowed
from events.models import Event
from events.selectors import (
    event_changes_awaiting_approval,
    event_for_oversight,
    event_list,
    result_get,
    results_awaiting_verification,
)
from events.services import event_approve, event_change_approve, event_change_reject, event_reject, result_verify
from frontend.changes import change_rows
from frontend.errors import refusal_to_form, refusal_to_message
from frontend.forms import ReasonForm, VerifyForm
from volunteers.roles import is_admin, is_coordinator


def coordinator_required(view):
    @functools.wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not (is_coordinator(request.user) or is_admin(request.user)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _region_of(request: HttpRequest) -> str | None:
    # Admins see every region's queue; a coordinator sees their own.
    return None if is_admin(request.user) else request.user.coordinator_region_id


@coordinator_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    region = _region_of(request)
    proposed = event_list(user=request.user, region=region, status=Event.Status.PROPOSED).order_by("starts_at")
    return render(
        request,
        "frontend/coordinate/queue.html",
        {
            "proposed": list(proposed[:100]),
            "changes": [
                (change, change_rows(change))
                for change in event_changes_awaiting_approval(user=request.user, region_code=region)
            ],
            "awaiting": results_awaiting_verification(user=request.user, region_code=region),
            "reject_form": ReasonForm(),
            "region": request.user.coordinator_region,
        },
    )


def _decide(request: HttpRequest, service: Callable[..., Event], done: str, **arguments: Any) -> HttpResponse:
    """A coordinator's decision from the queue page: the service, then back to the queue with what
    happened (`done`, with the event's title) or why it was refused."""
    try:
        event = service(actor=request.user, source="web", **arguments)
    except DomainError as error:
        refusal_to_message(request, error)
    else:
        messages.success(request, done % {"title": event.title})
    return redirect("coordinate")


def _reason(request: HttpRequest) -> str:
    form = ReasonForm(request.POST)
    form.is_valid()
    return form.cleaned_data.get("reason", "")


@coordinator_required
@require_POST
def approve(request: HttpRequest, event_id: str) -> HttpResponse:
    return _decide(request, event_approve, _("«%(title)s» is approved and public."), event_id=event_id)


@coordinator_required
@require_POST
def reject(request: HttpRequest, event_id: str) -> HttpResponse:
    return _decide(
        request,
        event_reject,
        _("«%(title)s» is rejected; the organiser sees your reason."),
        event_id=event_id,
        reason=_reason(request),
    )


@coordinator_required
@require_POST
def change_approve(request: HttpRequest, event_id: str) -> HttpResponse:
    # The change is named by the form: a coordinator approves the change they read, not a newer one.
    return _decide(
        request,
        event_change_approve,
        _("The change to «%(title)s» is approved and public."),
        event_id=event_id,
        change_id=request.POST.get("change_id", ""),
    )


@coordinator_required
@require_POST
def change_reject(request: HttpRequest, event_id: str) -> HttpResponse:
    return _decide(
        request,
        event_change_reject,
        _("The change to «%(title)s» is rejected; the organiser sees your reason."),
        event_id=event_id,
        change_id=request.POST.get("change_id", ""),
        reason=_reason(request),
    )


@coordinator_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, event_id: str) -> HttpResponse:
    try:
        event = event_for_oversight(user=request.user, event_id=event_id)
    except EventNotFound:
        raise Http404 from None
    except NotAllowed:
        raise PermissionDenied from None
    current = result_get(user=request.user, event_id=event.id)
    if current is None:
        raise Http404
    form = VerifyForm(request.POST or None, initial={"result_version": current.version, "decision": "accepted"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        adjusted = data["decision"] == "adjusted"
        try:
            result_verify(
                actor=request.user,
                event_id=event.id,
                decision=data["decision"],
                result_version=data["result_version"],
                reason=data["reason"],
                trees=data["trees"] if adjusted else None,
                area_ha=str(data["area_ha"]) if adjusted and data["area_ha"] is not None else None,
                headcount=data["headcount"] if adjusted else None,
                waste_kg={"mixed": str(data["waste_total"])} if adjusted and data["waste_total"] is not None else None,
                source="web",
            )
        except DomainError as error:
            refusal_to_form(form, error, aliases={"waste_kg": "waste_total", "non_field_errors": "__all__"})
        else:
            messages.success(request, _("Your verification of «%(title)s» is recorded.") % {"title": event.title})
            return redirect("coordinate")
    return render(request, "frontend/coordinate/verify.html", {"event": event, "result": current, "form": form})
