"""The regional view's page: for each country, its figures and how fresh and how verified they are."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from frontend.labels import METRIC_NAMES
from regional.selectors import COLUMNS, METRICS, regional_overview


def _rows(split: dict) -> list[tuple]:
    """A table's rows: a metric's name and its verified, awaiting and total figures."""
    return [(METRIC_NAMES[metric], *(split[column][metric] for column in COLUMNS)) for metric in METRICS]


def regional_page(request: HttpRequest) -> HttpResponse:
    metric = request.GET.get("metric", "trees")
    overview = regional_overview(metric=metric if metric in METRICS else "trees")
    for instance in overview["instances"]:
        instance["rows"] = _rows(instance["figures"])
    for campaign in overview["campaigns"]:
        campaign["rows"] = [
            (country["name"], METRIC_NAMES[metric], plan, country["fact"].get(metric))
            for country in campaign["countries"]
            for metric, plan in country["plan"].items()
            if metric in METRIC_NAMES
        ]
    context = {
        "overview": overview,
        "totals": _rows(overview["totals"]),
        "metrics": [(code, METRIC_NAMES[code]) for code in METRICS],
        "metric_name": METRIC_NAMES[overview["leaderboard"]["metric"]],
    }
    return render(request, "regional/regional.html", context)
