"""Organisations and volunteers in public: the organisations' leaderboard, an organisation's own
page (its figures and place, its events), and the leaderboard of volunteers who chose to appear.

The figures come from the stats leaderboards the API serves (`/api/v1/stats/leaderboards/...`),
read through stats.cache as every public page reads them (frontend/pages.py).
"""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from events.models import Event
from events.selectors import event_list
from frontend import pages
from frontend.forms import BoardForm
from frontend.labels import PERIOD_LABELS
from reference.selectors import region_list
from volunteers.models import Organisation

ORGANISATION_EVENTS = 12


@require_GET
def organisations(request: HttpRequest) -> HttpResponse:
    form = BoardForm(request.GET or None, metrics=pages.ORGANISATION_METRICS)
    metric, period = form.value("metric", "participants"), form.value("period", "all")
    answer = pages.organisation_board(metric=metric, period=period)
    names = {region.code: region.name for region in region_list()}
    board = [{**row, "region_name": names.get(row["region"], "")} for row in answer["data"][: pages.BOARD_SHOWN]]
    return render(
        request,
        "frontend/organisations.html",
        {
            "form": form,
            "metric": metric,
            "period_label": PERIOD_LABELS[period],
            "board": board,
            "period": period,
            "ranked": len(answer["data"]),
            "as_of_time": pages.as_of(answer),
        },
    )


@require_GET
def organisation(request: HttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    the_organisation = get_object_or_404(Organisation.objects.select_related("region"), pk=organisation_id)
    standings, answer = pages.organisation_standings(str(the_organisation.id))
    events = event_list(user=request.user, status=Event.Status.APPROVED, when="all").filter(
        organisation=the_organisation
    )
    now = timezone.now()
    return render(
        request,
        "frontend/organisation.html",
        {
            "organisation": the_organisation,
            "standings": standings,
            "upcoming": list(events.filter(ends_at__gt=now).order_by("starts_at")[:ORGANISATION_EVENTS]),
            "past": list(events.filter(ends_at__lte=now).order_by("-starts_at")[:ORGANISATION_EVENTS]),
            "as_of_time": pages.as_of(answer) if answer else None,
        },
    )


@require_GET
def volunteers(request: HttpRequest) -> HttpResponse:
    form = BoardForm(request.GET or None, metrics=("volunteer_hours", "events"))
    metric, period = form.value("metric", "volunteer_hours"), form.value("period", "all")
    answer = pages.volunteer_board(metric=metric, period=period)
    return render(
        request,
        "frontend/volunteers.html",
        {
            "form": form,
            "metric": metric,
            "period_label": PERIOD_LABELS[period],
            "board": answer["data"],
            "as_of_time": pages.as_of(answer),
        },
    )
