"""Pages for everyone: the live totals, regions, a region, a campaign, the event finder, an event.

A region, campaign or event that does not exist (or an event not yet public) is the selector's
NotFound, which frontend.errors.RefusalPageMiddleware answers with the site's 404 page.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from campaigns.selectors import campaign_get, campaign_list
from dumps.selectors import liquidation_rates
from events.evidence import grade_legend
from events.facts import SURVIVAL_LABELS
from events.models import Event, Registration, Result
from events.rules import may_organise, may_oversee
from events.selectors import event_get, event_list, finder_when, registration_list, result_grade, waitlist_position
from frontend import charts, pages
from frontend.display import per_capita_base
from frontend.forms import EventFilterForm, Point, RegionsViewForm
from frontend.labels import HEADLINE_METRICS, METRIC_NAMES, PERIOD_LABELS
from frontend.results import figures as result_figures
from frontend.results import standing
from ledger.selectors import published_types
from photos.facts import RESULT as PHOTOS_OF_RESULT
from photos.selectors import public_photos
from reference.models import Region
from reference.selectors import region_list
from stats import selectors as stats

EVENTS_PER_PAGE = 20


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    counters, answer = pages.national_counters()
    return render(
        request,
        "frontend/home.html",
        {
            "counters": counters,
            "as_of_time": answer["as_of_time"] and timezone.datetime.fromisoformat(answer["as_of_time"]),
            "as_of_position": answer["as_of_position"],
            "upcoming": pages.upcoming_events(user=request.user, limit=3),
            # The liquidation rate of illegal dumps beside the totals (dumps/selectors.py).
            "dumps": liquidation_rates()[0],
            "survival": pages.survival(),
        },
    )


@require_GET
def regions(request: HttpRequest) -> HttpResponse:
    campaigns = list(campaign_list())
    default_campaign = str(campaigns[0].id) if campaigns else ""
    form = RegionsViewForm(request.GET or None, campaign=default_campaign)
    mode = form.value("mode", "metric")
    metric = form.value("metric", "participants")
    period = form.value("period", "all")
    per_1000 = form.value("basis", "raw") == "per_1000"
    campaign_id = form.value("campaign", default_campaign) or None
    if period == "campaign" and not campaign_id:
        period = "all"

    board_answer = pages.region_board(
        metric=metric, period=period, per_1000=per_1000, campaign_id=campaign_id if period == "campaign" else None
    )
    board = board_answer["data"]
    plan = pages.campaign_plan(campaign_id) if campaign_id else None
    if mode == "plan":
        tiles = pages.plan_tiles(plan, list(region_list()))
    else:
        tiles = pages.metric_tiles(board, metric=metric, per_1000=per_1000)
    csv_query = f"metric={metric}&period={period}&per_capita={'true' if per_1000 else 'false'}"
    if period == "campaign":
        csv_query += f"&campaign={campaign_id}"
    return render(
        request,
        "frontend/regions.html",
        {
            "form": form,
            "mode": mode,
            "metric": metric,
            "period": period,
            "period_label": PERIOD_LABELS.get(period) or _("The campaign"),
            "per_1000": per_1000,
            "per_capita_base": per_capita_base(row["per_1000_residents"] for row in board),
            "tiles": tiles,
            "board": board,
            "plan": plan,
            "behind": [r for r in (plan or {}).get("regions", []) if r["behind"]],
            "as_of_time": _as_of(board_answer),
            "csv_url": f"{reverse('stats-board-regions')}?{csv_query}&format=csv",
        },
    )


@require_GET
def region(request: HttpRequest, code: str) -> HttpResponse:
    detail_answer = _region_detail(code)
    detail = detail_answer["data"]
    # The selector's plan rows carry the region's name; the page names the campaign.
    names = {str(c.id): c.name for c in campaign_list()}
    plans = [{**plan, "campaign_name": names.get(plan["campaign_id"], "")} for plan in detail["plans"]]
    chart_metric = _chart_metric(request)
    points = charts.cumulative_points(pages.series(metric=chart_metric, region=code), chart_metric)
    return render(
        request,
        "frontend/region.html",
        {
            "region": Region.objects.get(pk=code),
            "detail": detail,
            # The region's liquidation rate of illegal dumps beside its totals (dumps/selectors.py).
            "dumps": next((rate for rate in liquidation_rates()[1] if rate.region.code == code), None),
            "plans": plans,
            "metrics": HEADLINE_METRICS,
            # Each figure per as many residents as make it read at least one (display.per_capita_base)
            "per_capita_bases": {m: per_capita_base([detail["per_1000_residents"][m]]) for m in HEADLINE_METRICS},
            "chart": charts.line_chart(points, metric=chart_metric, title=METRIC_NAMES[chart_metric]),
            "chart_metric": chart_metric,
            "points": points,
            "upcoming": pages.upcoming_events(user=request.user, region=code),
            "as_of_time": _as_of(detail_answer),
            "survival": pages.survival(scope="region", key=code),
        },
    )


@require_GET
def campaign(request: HttpRequest, campaign_id: str) -> HttpResponse:
    the_campaign = campaign_get(campaign_id=campaign_id)
    cid = str(the_campaign.id)
    plan = pages.campaign_plan(cid)
    chart_metric = _chart_metric(request)
    points = charts.cumulative_points(
        pages.series(metric=chart_metric, start=the_campaign.starts_on, end=the_campaign.ends_on), chart_metric
    )
    return render(
        request,
        "frontend/campaign.html",
        {
            "campaign": the_campaign,
            "totals": pages.campaign_totals(cid),
            "metrics": HEADLINE_METRICS,
            "plan": plan,
            "summary": pages.campaign_summary(plan) if plan else [],
            "chart": charts.line_chart(points, metric=chart_metric, title=METRIC_NAMES[chart_metric]),
            "chart_metric": chart_metric,
            "points": points,
            "upcoming": pages.upcoming_events(user=request.user, campaign=the_campaign),
            "survival": pages.survival(scope="campaign", key=cid),
        },
    )


@require_GET
def events(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    when = None
    if form.is_bound and not form.is_valid():
        # A reversed range (or a day that is no day) is said beside its field, not answered with an empty list.
        found = Event.objects.none()
    else:
        filters = form.cleaned_data if form.is_bound else {}
        campaign_id = filters.get("campaign") or None
        when = finder_when(campaign_id=campaign_id, date_from=filters.get("date_from"), date_to=filters.get("date_to"))
        near = filters.get("near")
        found = event_list(
            user=request.user,
            region=filters.get("region") or None,
            kind=filters.get("kind") or None,
            campaign_id=campaign_id,
            status=Event.Status.APPROVED,
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
            when=when,
            words=filters.get("q") or None,
            near=(near.latitude, near.longitude, filters.get("radius_km") or 25) if near else None,
        )
    page = Paginator(found, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    pins = [
        {
            "lat": e.latitude,
            "lon": e.longitude,
            "title": e.title,
            "url": reverse("event", args=[e.id]),
        }
        for e in page
        if e.latitude is not None and e.longitude is not None
    ]
    return render(
        request,
        "frontend/events.html",
        {
            "form": form,
            "refused": when is None,
            "near_me": form.is_bound and form.is_valid() and isinstance(form.cleaned_data.get("near"), Point),
            "upcoming_only": when == "upcoming",
            "page": page,
            "query": query.urlencode(),
            # Printed by json_script, which escapes <, > and & inside the JSON: a title cannot close the
            # script element (`</script><img onerror=…>`) however it is written.
            "pins": pins,
            "has_pins": bool(pins),
        },
    )


@require_GET
def event(request: HttpRequest, event_id: str) -> HttpResponse:
    the_event = event_get(user=request.user, event_id=event_id)
    registration = None
    if request.user.is_authenticated:
        registration = (
            registration_list(user=request.user)
            .filter(event=the_event)
            .exclude(status=Registration.Status.CANCELLED)
            .first()
        )
    achieved = Result.objects.filter(event=the_event).first()
    return render(
        request,
        "frontend/event.html",
        {
            "event": the_event,
            "registration": registration,
            "waitlist_position": waitlist_position(registration) if registration else None,
            "open_for_registration": the_event.status == Event.Status.APPROVED and timezone.now() < the_event.starts_at,
            "may_organise": may_organise(request.user, the_event),
            "may_oversee": may_oversee(request.user, the_event),
            "past": the_event.ends_at <= timezone.now(),
            **_achieved(achieved),
            "grade": result_grade(the_event, achieved),
            "grade_legend": grade_legend(),
            "photos": list(public_photos(subject=PHOTOS_OF_RESULT, subject_id=the_event.id)),
            # The current check of each label (a correction supersedes), the latest label first.
            "survival_checks": _survival_checks(the_event),
        },
    )


def _survival_checks(event: Event) -> list[dict]:
    if event.kind != "tree_planting":
        return []
    checks = event.survival_checks.filter(current=True)
    order = {label: i for i, label in enumerate(SURVIVAL_LABELS)}
    return [
        {
            "check": check,
            "percent": None if not check.planted_total else Decimal(check.alive_total) * 100 / check.planted_total,
            "species": [(name, check.alive.get(name, 0), planted) for name, planted in check.planted.items()],
        }
        for check in sorted(checks, key=lambda c: -order.get(c.label, 0))
    ]


def _achieved(result: Result | None) -> dict:
    """A past event's figures for the public: verified and awaiting apart, and whether figures
    verified before the latest report still stand (a correction awaits, or was rejected)."""
    if result is None:
        return {"achieved_figures": [], "achieved_status": None, "achieved_standing": False}
    rows = result_figures(result)
    return {"achieved_figures": rows, "achieved_status": result.status, "achieved_standing": standing(result, rows)}


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "frontend/open_data.html",
        {"site_url": request.build_absolute_uri("/").rstrip("/"), "published": published_types()},
    )


def _region_detail(code: str) -> dict:
    from stats import cache

    on = timezone.localdate()
    return cache.read("region", {"code": code, "on": on}, lambda: stats.region_detail(code=code, on=on))


def _chart_metric(request: HttpRequest) -> str:
    metric = request.GET.get("chart", "participants")
    return metric if metric in HEADLINE_METRICS else "participants"


_as_of = pages.as_of
