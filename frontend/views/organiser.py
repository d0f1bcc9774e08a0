"""Pages of organisers: propose and edit events, the check-in console (roster, pass, undo), results.

Every write is a plain form POST that works without JavaScript. On the console, JavaScript adds the
camera scanner, the offline queue (which uploads through the API's batch endpoint) and a roster
that refreshes itself from `roster_fragment`.

Most pages are for organisers (`role_required`); an event's console, its roster and undoing a
check-in are for whoever oversees the event, its region's coordinator too. `event_for_oversight`
says who: no such event is the site's 404, someone else's event its 403 (frontend/errors.py).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns.models import Campaign
from config.errors import DomainError
from events.facts import DETAIL_FIELDS, WASTE_KINDS
from events.models import Event, Result, ResultVerification
from events.rules import may_log_result
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
from frontend.access import role_required
from frontend.changes import change_rows
from frontend.confirm import confirmation_page, confirmed
from frontend.errors import refusal_to_form, refusal_to_message
from frontend.forms import (
    EventDetailsForm,
    EventProposeForm,
    PassCheckInForm,
    ReasonForm,
    RescheduleForm,
    ResultForm,
    ResultPhotosForm,
    UndoCheckInForm,
)
from frontend.results import in_force as result_in_force
from frontend.results import page_context as result_page_context
from frontend.views import dumps
from frontend.views.survival import checks_due
from photos.selectors import evidence_of
from photos.services import photo_attach, photo_read
from volunteers.roles import Role


@role_required(Role.ORGANISER)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    events = event_list(user=request.user)
    if request.user.organisation_id is not None:
        events = events.filter(organisation_id=request.user.organisation_id)
    events = list(events.select_related("result").order_by("-starts_at")[:100])
    # Each event's latest decision on its result, so the list says why a result was adjusted or rejected.
    decisions = {
        verification.event_id: verification
        for verification in ResultVerification.objects.filter(event__in=events).order_by("verified_at", "id")
    }
    return render(
        request,
        "frontend/organise/index.html",
        {
            "events": [(event, decisions.get(event.id)) for event in events],
            "now": timezone.now(),
            # Plantings whose survival check is due (a season, a year, three years on), with a form each.
            "due": checks_due(request.user, organisation_id=request.user.organisation_id),
        },
    )


@role_required(Role.ORGANISER)
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest) -> HttpResponse:
    # "?dump=<id>": a clean-up for that dump, at its point in its region (frontend/views/dumps.py).
    initial = {"region": _organiser_region(request.user), **dumps.propose_initial(request)}
    form = EventProposeForm(request.POST or None, initial=initial)
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
                **form.details(),
            )
        except DomainError as error:
            aliases = {**form.ALIASES, "campaign_id": "campaign", "organisation_id": "campaign"}
            refusal_to_form(form, error, aliases=aliases)
        else:
            messages.success(
                request, _("The event is proposed. It becomes public once the region's coordinator approves it.")
            )
            return redirect("organise-event", event_id=event.id)
    return render(request, "frontend/organise/event_form.html", {"form": form, "event": None})


def _organiser_region(user) -> str | None:
    """Where the organiser's events most likely are: their organisation's region, else the region
    they coordinate, else their home region."""
    if user.organisation_id is not None:
        return user.organisation.region_id
    return user.coordinator_region_id or user.region_id


@role_required(Role.ORGANISER)
@require_http_methods(["GET", "POST"])
def event_edit_page(request: HttpRequest, event_id: str) -> HttpResponse:
    event = event_for_oversight(user=request.user, event_id=event_id)
    pending = event_pending_change(event=event)
    # The form starts from what the organiser last asked: a pending change's values, else the event's.
    details = {**{name: event.detail(name) for name in DETAIL_FIELDS}, **(pending.proposed if pending else {})}
    form = EventDetailsForm(request.POST or None, initial=EventDetailsForm.initial_for(details))
    if request.method == "POST" and form.is_valid():
        try:
            event_edit(actor=request.user, event_id=event.id, **form.details())
        except DomainError as error:
            refusal_to_form(form, error, aliases=EventDetailsForm.ALIASES)
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


@role_required(Role.ORGANISER)
@require_http_methods(["GET", "POST"])
def event_change_withdraw_page(request: HttpRequest, event_id: str) -> HttpResponse:
    event = event_for_oversight(user=request.user, event_id=event_id)
    if not confirmed(request):
        return confirmation_page(
            request,
            title=_("Withdraw the change"),
            question=_("Withdraw your change to this event?"),
            consequences=[
                _("The coordinator no longer sees it; the event stays as approved."),
                _("To ask for it again, edit the event again."),
            ],
            confirm_label=_("Yes, withdraw the change"),
            back_url=reverse("organise-edit", args=[event.id]),
            back_label=_("No, keep it waiting"),
            event=event,
        )
    try:
        event_change_withdraw(actor=request.user, event_id=event.id)
    except DomainError as error:
        refusal_to_message(request, error)
    else:
        messages.success(request, _("Your change is withdrawn; the event stays as approved."))
    return redirect("organise-edit", event_id=event.id)


@role_required(Role.ORGANISER)
@require_http_methods(["GET", "POST"])
def event_reschedule_page(request: HttpRequest, event_id: str) -> HttpResponse:
    event = event_for_oversight(user=request.user, event_id=event_id)
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


@role_required(Role.ORGANISER)
@require_http_methods(["GET", "POST"])
def event_cancel_page(request: HttpRequest, event_id: str) -> HttpResponse:
    """Cancelling asks first (frontend/confirm.py), with the reason typed so far to read again."""
    event = event_for_oversight(user=request.user, event_id=event_id)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if not confirmed(request):
        return confirmation_page(
            request,
            title=_("Cancel the event"),
            question=_("Cancel this event? It cannot be taken back."),
            consequences=[
                ngettext(
                    "%(n)d registered volunteer is told by email.",
                    "%(n)d registered volunteers are told by email.",
                    event.registered_count,
                )
                % {"n": event.registered_count},
                ngettext(
                    "%(n)d volunteer on the waitlist is told by email.",
                    "%(n)d volunteers on the waitlist are told by email.",
                    event.waitlisted_count,
                )
                % {"n": event.waitlisted_count},
            ],
            confirm_label=_("Yes, cancel the event"),
            back_url=reverse("organise-edit", args=[event.id]),
            back_label=_("No, keep the event"),
            event=event,
            form=form,
        )
    form.is_valid()
    try:
        event_cancel(actor=request.user, event_id=event.id, reason=form.cleaned_data.get("reason", ""))
    except DomainError as error:
        refusal_to_message(request, error)
    else:
        messages.success(request, _("The event is cancelled; its volunteers are told by email."))
    return redirect("organise-event", event_id=event.id)


@login_required
@require_GET
def console(request: HttpRequest, event_id: str) -> HttpResponse:
    """The event's page for the people in charge: status, code, roster, check-in, result."""
    event = event_for_oversight(user=request.user, event_id=event_id)
    return render(
        request,
        "frontend/organise/console.html",
        {
            "event": event,
            **_roster_context(request, event),
            "pass_form": PassCheckInForm(),
            **_checkins_context(request, event),
            **result_page_context(Result.objects.select_related("report", "event").filter(event=event).first()),
            "started": timezone.now() >= event.starts_at,
            "may_log_result": may_log_result(request.user, event),
            "upload_url": reverse("events-api:checkin-upload", args=[event.id]),
        },
    )


@login_required
@require_GET
def roster_fragment(request: HttpRequest, event_id: str) -> HttpResponse:
    """The roster alone, for the console's live refresh."""
    event = event_for_oversight(user=request.user, event_id=event_id)
    response = render(request, "frontend/organise/_roster.html", {"event": event, **_roster_context(request, event)})
    response["Cache-Control"] = "no-store"
    return response


def _roster_context(request: HttpRequest, event: Event) -> dict:
    lines = event_roster(user=request.user, event_id=event.id)
    places = [line for line in lines if line.status == "registered"]
    # Everyone present is on the roster: those who came without a place (or whose place is not a
    # registered one any more) are listed after the places.
    placed = {line.registration_id for line in places}
    present = [c for c in checkin_list(user=request.user, event_id=event.id) if c.registration_id not in placed]
    names = volunteer_names([c.volunteer_id for c in present])
    return {
        "places": places,
        "walk_ins": [{"checkin": c, "name": names[c.volunteer_id]} for c in present],
        "waiting": [line for line in lines if line.status == "waitlisted"],
        "checked_in": sum(1 for line in places if line.checked_in_at),
        "checkin_open": event.status == Event.Status.APPROVED,
    }


@role_required(Role.ORGANISER)
@require_POST
def checkin_roster(request: HttpRequest, event_id: str) -> HttpResponse:
    return _check_in(
        request,
        event_id,
        lambda event: checkin_from_roster(
            actor=request.user, event_id=event.id, registration_id=request.POST.get("registration_id", "")
        ),
    )


@role_required(Role.ORGANISER)
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
            actor=request.user, event_id=event.id, token=form.cleaned_data["token"].strip()
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
    event = event_for_oversight(user=request.user, event_id=event_id)
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
            )
        except DomainError as error:
            refusal_to_message(request, error)
        else:
            messages.success(request, _("The check-in is undone."))
    return redirect(f"{reverse('organise-event', args=[event.id])}#checkins")


def _check_in(request: HttpRequest, event_id: str, record) -> HttpResponse:
    event = event_for_oversight(user=request.user, event_id=event_id)
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


@login_required
@require_http_methods(["GET", "POST"])
def result_photos(request: HttpRequest, event_id: str) -> HttpResponse:
    """The result's photos, and a form that adds some: a plain multipart post, which the browser's
    photo queue (assets/photoqueue.js) keeps on the phone while offline and sends when back."""
    event = event_for_oversight(user=request.user, event_id=event_id)
    form = ResultPhotosForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            for file in form.cleaned_data["photos"]:
                photo_attach(
                    actor=request.user, subject="result", subject_id=event.id, role=form.cleaned_data["role"], file=file
                )
        except DomainError as error:
            refusal_to_form(form, error, aliases={"file": "photos"})
            status = error.status_code if error.status_code in (413, 429) else 400
        else:
            count = len(form.cleaned_data["photos"])
            messages.success(
                request, ngettext("%(n)d photo is added.", "%(n)d photos are added.", count) % {"n": count}
            )
            return redirect("organise-photos", event_id=event.id)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "frontend/organise/photos.html",
        {"event": event, "form": form, "photos": evidence_of(subject="result", subject_id=event.id, hidden=False)},
        status=status,
    )


@login_required  # the organisers, and once the campaign is closed the region's coordinator (may_log_result)
@require_http_methods(["GET", "POST"])
def result(request: HttpRequest, event_id: str) -> HttpResponse:
    event = event_for_oversight(user=request.user, event_id=event_id)
    current = result_get(user=request.user, event_id=event.id)
    closed = event.campaign.status == Campaign.Status.CLOSED
    initial = {}
    if current is not None:
        # A correction starts from the figures in force: the coordinator's where they adjusted them.
        now_counted = result_in_force(current)
        initial = {name: now_counted[name] for name in ("trees", "area_ha", "headcount") if name in now_counted}
        initial |= {
            f"waste_{name.split('.', 1)[1]}": amount
            for name, amount in now_counted.items()
            if name.startswith("waste_kg.") and amount
        }
    form = ResultForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            photos = {
                role: [photo_read(file, field=f"photos_{role}") for file in data[f"photos_{role}"]]
                for role in ("before", "after")
            }
            result_log(
                actor=request.user,
                event_id=event.id,
                waste_kg=form.waste_kg(),
                trees=data["trees"],
                area_ha=str(data["area_ha"]),
                headcount=data["headcount"],
                justification=data["justification"],
                correction_reason=data["correction_reason"],
                photos=photos,
            )
        except DomainError as error:
            refusal_to_form(form, error, aliases={f"waste_kg.{k}": f"waste_{k}" for k in WASTE_KINDS})
        else:
            messages.success(request, _("The result is logged. The region's coordinator will verify it."))
            return redirect("organise-event", event_id=event.id)
    return render(
        request,
        "frontend/organise/result.html",
        {
            "event": event,
            "form": form,
            "current": current,
            "campaign_closed": closed,
            "may_log_result": may_log_result(request.user, event),
            **result_page_context(current),
        },
    )
