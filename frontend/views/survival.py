"""Survival checks on the pages: the checks due in the organiser's console and the coordinator's work
list, and the form that records one (events.services.survival_check_record)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from config.errors import DomainError
from events.models import Event
from events.rules import may_coordinate
from events.selectors import event_for_oversight, event_list, planted_species, survival_checks_due
from events.services import survival_check_record
from events.survival import DUE_WINDOW_DAYS, LABEL_MONTHS
from frontend.errors import refusal_to_form
from frontend.forms import SurvivalCheckForm

# The oldest planting a check can be due for: three years and its window, with a margin for long months.
_OLDEST_DUE = dt.timedelta(days=LABEL_MONTHS["three_years"] * 31 + DUE_WINDOW_DAYS)
_YOUNGEST_DUE = dt.timedelta(days=LABEL_MONTHS["season"] * 28)


def checks_due(user, *, organisation_id=None, region: str | None = None) -> list[dict]:
    """The survival checks due today of the plantings the user may see, of an organisation or a region."""
    now = timezone.now()
    events = event_list(user=user).filter(
        kind="tree_planting",
        status=Event.Status.APPROVED,
        starts_at__gte=now - _OLDEST_DUE,
        starts_at__lte=now - _YOUNGEST_DUE,
    )
    if organisation_id is not None:
        events = events.filter(organisation_id=organisation_id)
    if region is not None:
        events = events.filter(region_id=region)
    return [
        {"event": event, "label": label, "due_on": due_on, "until": due_on + dt.timedelta(days=DUE_WINDOW_DAYS)}
        for event, label, due_on in survival_checks_due(
            events=events.select_related("region"), today=timezone.localdate()
        )
    ]


@login_required  # the event's organisers and its region's coordinators (the service says who)
@require_http_methods(["GET", "POST"])
def survival_check_page(request: HttpRequest, event_id: str) -> HttpResponse:
    event = event_for_oversight(user=request.user, event_id=event_id)
    planted = planted_species(event)
    form = SurvivalCheckForm(request.POST or None, planted=planted, initial={"counted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            check = survival_check_record(
                actor=request.user,
                event_id=event.id,
                counted_on=data["counted_on"],
                alive=form.alive(),
                note=data["note"],
            )
        except DomainError as error:
            refusal_to_form(form, error, aliases=form.aliases())
        else:
            messages.success(
                request,
                _("The survival check is recorded: %(alive)d of %(planted)d trees alive.")
                % {"alive": check.alive_total, "planted": check.planted_total},
            )
            return redirect("coordinate" if may_coordinate(request.user, event) else "organise")
    return render(
        request,
        "frontend/organise/survival.html",
        {"event": event, "form": form, "planted": planted, "checks": list(event.survival_checks.order_by("version"))},
    )
