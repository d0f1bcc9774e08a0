"""Pages of the dump registry: the public list by region and status with the liquidation rates, a
dump's page with its history, the report form for signed-in people, and the coordinator's
decisions on the dumps of their region (the work list's section, frontend/views/coordinator.py)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.errors import DomainError
from dumps import selectors, services
from dumps.facts import DUMP_WASTE_KINDS, SIZES
from dumps.models import Dump
from events.models import Event
from events.rules import may_organise
from events.selectors import verdict_in_force
from frontend.access import role_required
from frontend.errors import refusal_to_form, refusal_to_message
from frontend.forms import PhotosField
from frontend.labels import WASTE_KIND_LABELS
from photos.facts import DUMP_REPORT
from photos.selectors import dump_photos, evidence_of
from photos.services import photo_read
from reference.models import Region
from reference.settlements import settlement_find
from volunteers.roles import Role, is_coordinator_of

SIZE_NAMES = {
    "under_10_m2": gettext_lazy("under 10 m²"),
    "10_100_m2": gettext_lazy("10 to 100 m²"),
    "over_100_m2": gettext_lazy("over 100 m²"),
}
STEP_NAMES = {
    "DumpReported": gettext_lazy("Reported"),
    "DumpImported": gettext_lazy("Found by space monitoring"),
    "DumpConfirmed": gettext_lazy("Confirmed by the coordinator"),
    "DumpDismissed": gettext_lazy("Dismissed by the coordinator"),
    "DumpMerged": gettext_lazy("Merged into a known dump"),
    "DumpLinked": gettext_lazy("Linked to a clean-up event"),
    "DumpLiquidated": gettext_lazy("Liquidated"),
    "DumpReopened": gettext_lazy("Reopened: it came back"),
    "DumpHidden": gettext_lazy("Hidden by moderation"),
}


def _region_choices() -> list[tuple[str, str]]:
    return [(region.code, region.name) for region in Region.objects.order_by("code")]


class DumpFilterForm(forms.Form):
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("any")), *[(s, label) for s, label in Dump.Status.choices if s != "reported"]],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("all regions")), *_region_choices()]


class DumpReportForm(forms.Form):
    settlement = forms.CharField(
        label=gettext_lazy("Settlement"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("A town or village of the place, or give the coordinates below."),
    )
    latitude = forms.FloatField(label=gettext_lazy("Latitude"), required=False, min_value=40.5, max_value=55.5)
    longitude = forms.FloatField(label=gettext_lazy("Longitude"), required=False, min_value=46.4, max_value=87.4)
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    size = forms.ChoiceField(
        label=gettext_lazy("Rough size"), choices=[(s, SIZE_NAMES[s]) for s in SIZES], widget=forms.RadioSelect
    )
    waste_kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Kinds of waste"), choices=[], widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=2000, widget=forms.Textarea)
    photos = PhotosField(
        label=gettext_lazy("Photos"),
        help_text=gettext_lazy("Up to 5 photos of the dump. They are public once the coordinator confirms it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("from the point")), *_region_choices()]
        self.fields["waste_kinds"].choices = [(k, WASTE_KIND_LABELS.get(k, k)) for k in DUMP_WASTE_KINDS]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("latitude") is None or data.get("longitude") is None:
            settlement = settlement_find(data.get("settlement") or "")
            if settlement is None:
                raise forms.ValidationError(_("Give the coordinates, or the name of a settlement we know."))
            data["latitude"], data["longitude"] = settlement.latitude, settlement.longitude
        return data


DUMPS_PER_PAGE = 30


@require_GET
def dump_list(request: HttpRequest) -> HttpResponse:
    filters = DumpFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    dumps = selectors.dump_list(region=chosen.get("region") or None, status=chosen.get("status") or None)
    national, regions = selectors.liquidation_rates()
    # In pages, as the finder: a country has thousands (3 828 found by space monitoring in 2025)
    page = Paginator(dumps, DUMPS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "frontend/dumps/list.html",
        {
            "filters": filters,
            "dumps": page.object_list,
            "page": page,
            "query": query.urlencode(),
            "count": page.paginator.count,
            "national": national,
            "regions": [rate for rate in regions if rate.found],
            "size_names": SIZE_NAMES,
        },
    )


@require_GET
def dump_page(request: HttpRequest, dump_id: str) -> HttpResponse:
    try:
        dump = selectors.dump_get(dump_id=dump_id, user=request.user)
    except DomainError:
        raise Http404() from None
    history = selectors.dump_history(dump)
    event_ids = {step.event_id for step in history if step.event_id}
    events = {str(e.id): e for e in Event.objects.filter(pk__in=event_ids, status=Event.Status.APPROVED)}
    return render(
        request,
        "frontend/dumps/dump.html",
        {
            "dump": dump,
            "history": [(step, STEP_NAMES.get(step.type, step.type), events.get(step.event_id)) for step in history],
            "cleared_by": events.get(str(dump.cleared_by_event_id)) if dump.cleared_by_event_id else None,
            "linked": events.get(str(dump.event_id)) if dump.event_id else None,
            "size_name": SIZE_NAMES.get(dump.size, dump.size),
            "linkable": linkable_events(request.user, dump),
            "photos": dump_photos(dump.id),
            # A report waiting for the coordinator: its photos, to the coordinator and the reporter only.
            "waiting_photos": []
            if dump.published
            else evidence_of(subject=DUMP_REPORT, subject_id=dump.id, hidden=False),
            "liquidation_form": LiquidationForm() if may_liquidate(request.user, dump) else None,
            # A report waiting for the coordinator: the public open dumps it may be (they will merge it).
            "same_place": [
                (other, metres)
                for other, metres in selectors.dump_candidates(
                    latitude=dump.latitude, longitude=dump.longitude, exclude=dump.id
                )
                if other.published
            ]
            if dump.status == Dump.Status.REPORTED
            else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def dump_report(request: HttpRequest) -> HttpResponse:
    form = DumpReportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            photos = [photo_read(file, field="photos") for file in data["photos"]]
            dump = services.dump_report(
                actor=request.user,
                latitude=data["latitude"],
                longitude=data["longitude"],
                size=data["size"],
                waste_kinds=data["waste_kinds"],
                note=data["note"],
                region=data["region"] or None,
                photos=photos,
            )
        except DomainError as error:
            refusal_to_form(form, error)
            status = error.status_code if error.status_code in (413, 429) else 400
        else:
            messages.success(request, _("Thank you: the region's coordinator will check your report."))
            return redirect("dump", dump.id)
    elif request.method == "POST":
        status = 400
    return render(request, "frontend/dumps/report.html", {"form": form}, status=status)


class DumpDecisionForm(forms.Form):
    reason = forms.CharField(required=False, max_length=2000)
    into_dump_id = forms.UUIDField(required=False)


DECISIONS = {
    "confirm": (services.dump_confirm, gettext_lazy("The dump is confirmed.")),
    "dismiss": (services.dump_dismiss, gettext_lazy("The report is dismissed.")),
    "merge": (services.dump_merge, gettext_lazy("The report is merged into the known dump.")),
}


@role_required(Role.COORDINATOR)
@require_POST
def dump_decide(request: HttpRequest, dump_id: str, decision: str) -> HttpResponse:
    """A coordinator's decision from the work list, then back to it with what happened or why not."""
    if decision not in DECISIONS:
        raise Http404()
    service, done = DECISIONS[decision]
    form = DumpDecisionForm(request.POST)
    form.is_valid()
    arguments: dict[str, Any] = {"reason": form.cleaned_data.get("reason", "")}
    if decision == "merge":
        arguments["into_dump_id"] = form.cleaned_data.get("into_dump_id") or ""
    try:
        service(actor=request.user, dump_id=dump_id, **arguments)
    except DomainError as error:
        refusal_to_message(request, error)
    else:
        messages.success(request, str(done))
    return redirect("coordinate")


def worklist_section(user) -> dict:
    """The work list's dumps: the reports of the coordinator's region to decide on, each with the open
    dumps near it it may be the same as."""
    reports = list(selectors.dumps_to_decide(user)[:100])
    return {
        "dump_reports": [
            (dump, selectors.dump_candidates(latitude=dump.latitude, longitude=dump.longitude, exclude=dump.id))
            for dump in reports
        ],
        "size_names": SIZE_NAMES,
        # Each report's photos, seen by the coordinator before deciding (not public yet).
        "dump_photos": {
            dump.id: evidence_of(subject=DUMP_REPORT, subject_id=dump.id, hidden=False) for dump in reports
        },
    }


def propose_initial(request: HttpRequest) -> dict:
    """What the organiser's propose form starts with "for this dump" (`?dump=<id>`): a clean-up at the
    dump's point in its region. Nothing for any other address or a dump not open to the public."""
    try:
        dump = selectors.dump_get(dump_id=request.GET.get("dump", ""), user=None)
    except DomainError:
        return {}
    if dump.status != Dump.Status.CONFIRMED:
        return {}
    return {"kind": "cleanup", "region": dump.region_id, "latitude": dump.latitude, "longitude": dump.longitude}


@login_required
@require_POST
def dump_link(request: HttpRequest, dump_id: str) -> HttpResponse:
    """An organiser links one of their approved clean-ups to the dump, from the dump's page."""
    try:
        services.dump_link(actor=request.user, dump_id=dump_id, event_id=request.POST.get("event_id", ""))
    except DomainError as error:
        refusal_to_message(request, error)
    else:
        messages.success(request, _("The event is linked to the dump."))
    return redirect("dump", dump_id)


class LiquidationForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    photos = PhotosField(
        label=gettext_lazy("After-photos"), help_text=gettext_lazy("The cleared place, shown on the dump's page.")
    )


def may_liquidate(user, dump: Dump) -> bool:
    """The form is offered to the region's coordinator once the linked event's result is verified."""
    if not user.is_authenticated or not dump.event_id or dump.status != Dump.Status.CONFIRMED or dump.hidden:
        return False
    if not is_coordinator_of(user, dump.region_id):
        return False
    return verdict_in_force(dump.event_id) is not None


@login_required
@require_POST
def dump_liquidate(request: HttpRequest, dump_id: str) -> HttpResponse:
    """The coordinator records the dump liquidated, with after-photos, from the dump's page."""
    form = LiquidationForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
        return redirect("dump", dump_id)
    try:
        photos = [photo_read(file, field="photos") for file in form.cleaned_data["photos"]]
        services.dump_liquidate(actor=request.user, dump_id=dump_id, reason=form.cleaned_data["reason"], photos=photos)
    except DomainError as error:
        refusal_to_message(request, error)
    else:
        messages.success(request, _("The dump is recorded as liquidated."))
    return redirect("dump", dump_id)


def linkable_events(user, dump: Dump) -> list[Event]:
    """The approved, not yet ended events of the dump's region the user organises."""
    if not user.is_authenticated or dump.status != Dump.Status.CONFIRMED:
        return []
    events = Event.objects.filter(
        region_id=dump.region_id, status=Event.Status.APPROVED, ends_at__gte=timezone.now()
    ).select_related("organisation")
    return [event for event in events.order_by("starts_at")[:50] if may_organise(user, event)]
