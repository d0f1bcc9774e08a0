"""Pages of organisers: propose and edit events, the check-in console (roster, pass, undo), results.

Every write is a plain form POST that works without JavaScript. On the console, JavaScript adds the
camera scanner, the offline queue (which uploads through the API's batch endpoint) and a roster
that refreshes itself from `roster_fragment`.
"""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.errors import DomainError
from events.errors import EventNotFound, NotAllowed
from events.facts import DETAIL_FIELDS, WASTE_KINDS
from events.models import Event, Result
from events.selectors import (
    checkin_list,
    event_for_oversight,
    event_last_decided_change,
    event_list,
    event_pending_change,
    event_roster,
    result_get,
    volunteer_names,
)
from events.services import (
    CheckInOutcome,
    checkin_from_pass,
    checkin_from_roster,
    checkin_undo,
    event_cancel,
    event_change_withdraw,
    event_edit,
    event_propose,
    event_reschedule,
    result_log,
)
from frontend import display
from frontend.changes import change_rows
from frontend.errors import refusal_to_form, refusal_to_message
from frontend.forms import (
    EventDetailsForm,
    EventProposeForm,
    PassCheckInForm,
    ReasonForm,
    RescheduleForm,
    ResultForm,
    UndoCheckInForm,
)
from volunteers.roles import is_organiser


def organiser_required(view):
    @functools.wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_organiser(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _overseen(request: HttpRequest, event_id: str) -> Event:
    try:
        return event_for_oversight(user=request.user, event_id=event_id)
    except EventNotFound:
        raise Http404 from None
    except NotAllowed:
        raise PermissionDenied from None


@organiser_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    events = event_list(user=request.user)
    if request.user.organisation_id is not None:
        events = events.filter(organisation_id=request.user.organisation_id)
    events = events.order_by("-starts_at")
    return render(request, "frontend/organise/index.html", {"events": events[:100], "now": timezone.now()})


@organiser_required
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest) -> HttpResponse:
    form = EventProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = event_propose(
                actor=request.user,
                campaign_id=data["campaign"],
                kind=data["kind"],
                region=data["region"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                **{name: _blank_to_default(name, data[name]) for name in DETAIL_FIELDS},
                source="web",
            )
        except DomainError as error:
            refusal_to_form(form, error, aliases={"campaign_id": "campaign", "organisation_id": "campaign"})
        else:
            messages.success(
                request, _("The event is proposed. It becomes public once the region's coordinator approves it.")
            )
            return redirect("organise-event", event_id=event.id)
    return render(request, "frontend/organise/event_form.html", {"form": form, "event": None})


@organiser_required
@require_http_methods(["GET", "POST"])
def event_edit_page(request: HttpRequest, event_id: str) -> HttpResponse:
    event = _overseen(request, event_id)
    pending = event_pending_change(event=event)
    # The form starts from what the organiser last asked: a pending change's values, else the event's.
    initial = {**{name: getattr(event, name) for name in DETAIL_FIELDS}, **(pending.proposed if pending else {})}
    form = EventDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event_edit(
                actor=request.user,
                event_id=event.id,
                **{name: _blank_to_default(name, data[name]) for name in DETAIL_FIELDS},
                source="web",
            )
        except DomainError as error:
            refusal_to_form(form, error)
        else:
            if event_pending_change(event=event) is not None:
                messages.success(
                    request,
                    _(
                        "Your change is sent to the region's coordinator. Until they approve it, "
                        "everyone sees the event as approved."
                    ),
                )
                return redirect("organise-edit", event_id=event.id)  # where the pending change shows
            messages.success(request, _("The event is saved."))
            return redirect("organise-event", event_id=event.id)
    return render(
        request,
        "frontend/organise/event_form.html",
        {
            "form": form,
            "event": event,
            "cancel_form": ReasonForm(),
            "pending": pending,
            "pending_diff": change_rows(pending) if pending else [],
            "last_decided": event_last_decided_change(event=event),
        },
    )


@organiser_required
@require_POST
def event_change_withdraw_page(request: HttpRequest, event_id: str) -> HttpResponse:
    event = _overseen(request, event_id)
    try:
        event_change_withdraw(actor=request.user, event_id=event.id, source="web")
    except DomainError as error:
        refusal_to_message(request, error)
    else:
        messages.success(request, _("Your change is withdrawn; the event stays as approved."))
    return redirect("organise-edit", event_id=event.id)


@organiser_required
@require_http_methods(["GET", "POST"])
def event_reschedule_page(request: HttpRequest, event_id: str) -> HttpResponse:
    event = _overseen(request, event_id)
    initial = {"starts_at": timezone.localtime(event.starts_at), "ends_at": timezone.localtime(event.ends_at)}
    # Not `request.POST or None`: an empty POST must be bound, to be told what is missing.
    form = RescheduleForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event_reschedule(
                actor=request.user,
                event_id=event.id,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                reason=data["reason"],
                source="web",
            )
        except DomainError as error:
            refusal_to_form(form, error)
        else:
            if event.status == Event.Status.APPROVED:
                messages.success(request, _("The event has a new time; its volunteers are told by email."))
            else:
                messages.success(request, _("The event has a new time."))
            return redirect("organise-event", event_id=event.id)
    return render(request, "frontend/organise/reschedule.html", {"event": event, "form": form})


@organiser_required
@require_POST
def event_cancel_page(request: HttpRequest, event_id: str) -> HttpResponse:
    event = _overseen(request, event_id)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        event_cancel(actor=request.user, event_id=event.id, reason=form.cleaned_data.get("reason", ""), source="web")
    except DomainError as error:
        refusal_to_message(request, error)
    else:
        messages.success(request, _("The event is cancelled; its volunteers are told by email."))
    return redirect("organise-event", event_id=event.id)


@login_required
@require_GET
def console(request: HttpRequest, event_id: str) -> HttpResponse:
    """The event's page for the people in charge: status, code, roster, check-in, result."""
    event = _overseen(request, event_id)
    return render(
        request,
        "frontend/organise/console.html",
        {
            "event": event,
            **_roster_context(request, event),
            "pass_form": PassCheckInForm(),
            **_checkins_context(request, event),
            "result": Result.objects.filter(event=event).first(),
            "started": timezone.now() >= event.starts_at,
            "upload_url": reverse("events-api:checkin-upload", args=[event.id]),
        },
    )


@login_required
@require_GET
def roster_fragment(request: HttpRequest, event_id: str) -> HttpResponse:
    """The roster alone, for the console's live refresh."""
    event = _overseen(request, event_id)
    response = render(request, "frontend/organise/_roster.html", {"event": event, **_roster_context(request, event)})
    response["Cache-Control"] = "no-store"
    return response


def _roster_context(request: HttpRequest, event: Event) -> dict:
    lines = event_roster(user=request.user, event_id=event.id)
    places = [line for line in lines if line.status == "registered"]
    return {
        "places": places,
        "waiting": [line for line in lines if line.status == "waitlisted"],
        "checked_in": sum(1 for line in places if line.checked_in_at),
        "checkin_open": event.status == Event.Status.APPROVED,
    }


@organiser_required
@require_POST
def checkin_roster(request: HttpRequest, event_id: str) -> HttpResponse:
    return _check_in(
        request,
        event_id,
        lambda event: checkin_from_roster(
            actor=request.user, event_id=event.id, registration_id=request.POST.get("registration_id", ""), source="web"
        ),
    )


@organiser_required
@require_POST
def checkin_pass(request: HttpRequest, event_id: str) -> HttpResponse:
    form = PassCheckInForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Type or paste the pass code."))
        return redirect("organise-event", event_id=event_id)
    return _check_in(
        request,
        event_id,
        lambda event: checkin_from_pass(
            actor=request.user, event_id=event.id, token=form.cleaned_data["token"].strip(), source="web"
        ),
    )


def _checkins_context(request: HttpRequest, event: Event) -> dict:
    """Every check-in, with or without a place, each with its undo form."""
    checkins = list(checkin_list(user=request.user, event_id=event.id))
    names = volunteer_names([c.volunteer_id for c in checkins])
    return {"checkins": [{"checkin": c, "name": names[c.volunteer_id]} for c in checkins]}


@login_required
@require_POST
def checkin_undo_page(request: HttpRequest, event_id: str, checkin_id: str) -> HttpResponse:
    """The organiser (or the region's coordinator) takes back a wrong check-in, saying why."""
    event = _overseen(request, event_id)
    form = UndoCheckInForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the check-in is undone."))
    else:
        try:
            checkin_undo(
                actor=request.user,
                event_id=event.id,
                checkin_id=checkin_id,
                reason=form.cleaned_data["reason"],
                source="web",
            )
        except DomainError as error:
            refusal_to_message(request, error)
        else:
            messages.success(request, _("The check-in is undone."))
    return redirect(f"{reverse('organise-event', args=[event.id])}#checkins")


def _check_in(request: HttpRequest, event_id: str, record) -> HttpResponse:
    event = _overseen(request, event_id)
    try:
        outcome: CheckInOutcome = record(event)
    except DomainError as error:
        refusal_to_message(request, error)
    else:
        name = volunteer_names([outcome.checkin.volunteer_id])[outcome.checkin.volunteer_id]
        if outcome.recorded:
            messages.success(request, _("%(name)s is checked in.") % {"name": name})
        else:
            messages.info(
                request,
                _("%(name)s was already checked in at %(time)s.")
                % {"name": name, "time": display.clock(outcome.checkin.checked_in_at)},
            )
    return redirect(f"{reverse('organise-event', args=[event.id])}#roster")


@organiser_required
@require_http_methods(["GET", "POST"])
def result(request: HttpRequest, event_id: str) -> HttpResponse:
    event = _overseen(request, event_id)
    current = result_get(user=request.user, event_id=event.id)
    initial = {}
    if current is not None:
        report = current.report
        initial = {"trees": report.trees, "area_ha": report.area_ha, "headcount": report.headcount}
        initial |= {f"waste_{kind}": amount for kind, amount in report.waste_kg.items()}
    form = ResultForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result_log(
                actor=request.user,
                event_id=event.id,
                waste_kg=form.waste_kg(),
                trees=data["trees"],
                area_ha=str(data["area_ha"]),
                headcount=data["headcount"],
                justification=data["justification"],
                correction_reason=data["correction_reason"],
                source="web",
            )
        except DomainError as error:
            refusal_to_form(form, error, aliases={f"waste_kg.{k}": f"waste_{k}" for k in WASTE_KINDS})
        else:
            messages.success(request, _("The result is logged. The region's coordinator will verify it."))
            return redirect("organise-event", event_id=event.id)
    return render(request, "frontend/organise/result.html", {"event": event, "form": form, "current": current})


def _blank_to_default(name: str, value):
    # The services take "" for an empty text and None for no coordinates.
    if name in ("latitude", "longitude"):
        return value
    return "" if value is None else value
