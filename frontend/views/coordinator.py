"""Pages of regional coordinators: events and changes to approved events waiting for approval, and
results waiting for verification."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.errors import DomainError
from events.evidence import grade_legend
from events.models import Event, ResultReport
from events.selectors import (
    event_changes_awaiting_approval,
    event_for_oversight,
    event_list,
    result_get,
    result_grade,
    result_signals_for,
    results_awaiting_verification,
)
from events.services import event_approve, event_change_approve, event_change_reject, event_reject, result_verify
from frontend.access import role_required
from frontend.changes import change_rows
from frontend.errors import refusal_to_form, refusal_to_message
from frontend.forms import ReasonForm, VerifyForm
from frontend.results import limits as result_limits
from frontend.results import page_context as result_page_context
from frontend.results import report_numbers
from frontend.views import dumps
from frontend.views.survival import checks_due
from photos.facts import RESULT as PHOTOS_OF_RESULT
from photos.selectors import evidence_of
from photos.services import photo_hide as services_photo_hide
from volunteers.roles import Role, is_admin


def _region_of(request: HttpRequest) -> str | None:
    # Admins see every region's work list; a coordinator sees their own.
    return None if is_admin(request.user) else request.user.coordinator_region_id


@role_required(Role.COORDINATOR)
@require_GET
def worklist(request: HttpRequest) -> HttpResponse:
    region = _region_of(request)
    awaiting = results_awaiting_verification(user=request.user, region_code=region)
    proposed = event_list(user=request.user, region=region, status=Event.Status.PROPOSED).order_by("starts_at")
    return render(
        request,
        "frontend/coordinate/worklist.html",
        {
            "proposed": list(proposed[:100]),
            "changes": [
                (change, change_rows(change))
                for change in event_changes_awaiting_approval(user=request.user, region_code=region)
            ],
            "awaiting": awaiting,
            # The awaiting report's number is how many reports its event has: report 2 is a correction.
            "report_counts": dict(
                ResultReport.objects.filter(event_id__in=[r.event_id for r in awaiting])
                .values("event_id")
                .annotate(n=Count("id"))
                .values_list("event_id", "n")
            ),
            "reject_form": ReasonForm(),
            "region": request.user.coordinator_region,
            **dumps.worklist_section(request.user),
            # The region's plantings whose survival check is due.
            "due": checks_due(request.user, region=region),
        },
    )


def _decide(request: HttpRequest, service: Callable[..., Event], done: str, **arguments: Any) -> HttpResponse:
    """A coordinator's decision from the work list: the service, then back to the work list with what
    happened (`done`, with the event's title) or why it was refused."""
    try:
        event = service(actor=request.user, **arguments)
    except DomainError as error:
        refusal_to_message(request, error)
    else:
        messages.success(request, done % {"title": event.title})
    return redirect("coordinate")


def _reason(request: HttpRequest) -> str:
    form = ReasonForm(request.POST)
    form.is_valid()
    return form.cleaned_data.get("reason", "")


@role_required(Role.COORDINATOR)
@require_POST
def approve(request: HttpRequest, event_id: str) -> HttpResponse:
    return _decide(request, event_approve, _("«%(title)s» is approved and public."), event_id=event_id)


@role_required(Role.COORDINATOR)
@require_POST
def reject(request: HttpRequest, event_id: str) -> HttpResponse:
    return _decide(
        request,
        event_reject,
        _("«%(title)s» is rejected; the organiser sees your reason."),
        event_id=event_id,
        reason=_reason(request),
    )


@role_required(Role.COORDINATOR)
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


@role_required(Role.COORDINATOR)
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


@role_required(Role.COORDINATOR)
@require_POST
def photo_hide(request: HttpRequest, photo_id: str) -> HttpResponse:
    """Moderation from the verification screen: the coordinator hides a photo, with a reason, and
    is back where the photo is judged (the result's verification, or the dump's page)."""
    try:
        photo = services_photo_hide(actor=request.user, photo_id=photo_id, reason=request.POST.get("reason", ""))
    except DomainError as error:
        refusal_to_message(request, error)
        event_id = request.POST.get("event_id", "")
        return redirect("coordinate-verify", event_id=event_id) if _is_uuid(event_id) else redirect("coordinate")
    messages.success(request, _("The photo is hidden."))
    if photo.subject == PHOTOS_OF_RESULT:
        return redirect("coordinate-verify", event_id=photo.subject_id)
    return redirect("dump", photo.subject_id)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, event_id: str) -> HttpResponse:
    event = event_for_oversight(user=request.user, event_id=event_id)
    current = result_get(user=request.user, event_id=event.id)
    if current is None:
        raise Http404
    form = VerifyForm(
        request.POST or None,
        initial={"result_version": current.version, "decision": "accepted"},
        species=current.report.tree_species,
    )
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
                waste_kg=form.waste_kg() if adjusted else None,
                tree_species=form.tree_species() if adjusted else None,
            )
        except DomainError as error:
            refusal_to_form(form, error, aliases={"non_field_errors": "__all__"})
        else:
            messages.success(request, _("Your verification of «%(title)s» is recorded.") % {"title": event.title})
            return redirect("coordinate")
    return render(
        request,
        "frontend/coordinate/verify.html",
        {
            "event": event,
            "form": form,
            **result_page_context(current),
            "report_number": report_numbers(event)[current.version],
            "participants": event.checked_in_count + current.report.headcount,
            "limits": result_limits(event, current),
            "signals": result_signals_for(event, current),
            # The result's photos with what their EXIF said: for the coordinator only (photos/).
            "photos": evidence_of(subject=PHOTOS_OF_RESULT, subject_id=event.id),
            "grade": result_grade(event, current),
            "grade_legend": grade_legend(),
            # The adjust fields open when the coordinator asks (?adjust) or sent an adjustment back to fix.
            "adjusting": "adjust" in request.GET or form.data.get("decision") == "adjusted",
        },
    )
