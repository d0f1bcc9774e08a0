"""What the public pages show, put together from the stats, campaigns and events selectors.

Read-only compositions: each function calls selectors and shapes the result for a template. The
stats figures are read through stats.cache, as the API reads them. Its keys name the answer, its
parameters, the ledger position it reflects and the active language (`stats.cache.key_for`), so
region and campaign names arrive in the visitor's language, and a page shows the figures the API
answers at the same position. The two never share an entry: a page keys its typed parameters, the
API the raw query string and the day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from campaigns.models import Campaign
from config.errors import NotFound
from events.models import Event
from events.selectors import event_list
from frontend import display, tilemap
from frontend.labels import HEADLINE_METRICS
from stats import cache, selectors
from volunteers.roles import AnyUser

UPCOMING_LIMIT = 6


@dataclass(frozen=True)
class Counter:
    metric: str
    total: object
    verified: object
    awaiting: object


def as_of(answer: dict) -> dt.datetime | None:
    """The instant a stats answer's figures are as of (the page says "Figures as of …")."""
    return dt.datetime.fromisoformat(answer["as_of_time"]) if answer.get("as_of_time") else None


def national_counters() -> tuple[list[Counter], dict]:
    answer = cache.read("national", {}, selectors.national_totals)
    data = answer["data"]
    counters = [
        Counter(m, data["total"][m], data["verified"][m], data["awaiting_verification"][m]) for m in HEADLINE_METRICS
    ]
    return counters, answer


def region_board(*, metric: str, period: str, per_1000: bool, campaign_id: str | None) -> dict:
    params = {
        "metric": metric,
        "period": period,
        "on": timezone.localdate(),
        "per_capita": per_1000,
        **({"campaign": campaign_id} if campaign_id else {}),
    }
    return cache.read(
        "board-regions",
        params,
        lambda: selectors.leaderboard_regions(
            metric=metric, period=period, on=params["on"], per_capita=per_1000, campaign_id=campaign_id
        ),
    )


def campaign_plan(campaign_id: str) -> dict | None:
    on = timezone.localdate()
    try:
        return cache.read(
            "plan", {"campaign": campaign_id, "on": on}, lambda: selectors.campaign_plan(campaign_id=campaign_id, on=on)
        )["data"]
    except NotFound:
        return None  # launched but not yet folded by the totals


def metric_tiles(board: list[dict], *, metric: str, per_1000: bool) -> list[tilemap.Tile]:
    def basis(row: dict) -> Decimal:
        return display.as_decimal(row["per_1000_residents"] if per_1000 else row["value"])

    top = max((basis(row) for row in board), default=Decimal(0))
    shorts = tilemap.short_names([row["name"] for row in board])
    return [
        tilemap.Tile(
            code=row["region"],
            name=row["name"],
            short=shorts[row["name"]],
            column=tilemap.TILES[row["region"]][0],
            row=tilemap.TILES[row["region"]][1],
            value=row["per_1000_residents"] if per_1000 else row["value"],
            shade=tilemap.shade(basis(row), top),
            behind=None,
        )
        for row in sorted(board, key=lambda r: r["region"])
        if row["region"] in tilemap.TILES
    ]


def plan_tiles(plan: dict | None, regions: list) -> list[tilemap.Tile]:
    rows = {row["region"]: row for row in (plan or {}).get("regions", [])}
    shorts = tilemap.short_names([region.name for region in regions])
    tiles = []
    for region in regions:
        if region.code not in tilemap.TILES:
            continue
        row = rows.get(region.code)
        column, line = tilemap.TILES[region.code]
        tiles.append(
            tilemap.Tile(
                code=region.code,
                name=region.name,
                short=shorts[region.name],
                column=column,
                row=line,
                value=_lowest_percent(row) if row else None,
                shade=None,
                behind=row["behind"] if row else None,
            )
        )
    return tiles


def _lowest_percent(row: dict) -> str | None:
    percents = [display.as_decimal(m["percent"]) for m in row["metrics"] if m["percent"] is not None]
    return str(min(percents)) if percents else None


def campaign_summary(plan: dict) -> list[dict]:
    """Plan versus fact of the whole campaign per metric: targets and results summed over regions,
    on track by the rule of stats.selectors.campaign_plan applied to the sums."""
    sums: dict[str, dict] = {}
    for region in plan["regions"]:
        for m in region["metrics"]:
            entry = sums.setdefault(m["metric"], {"metric": m["metric"], "target": Decimal(0), "achieved": Decimal(0)})
            entry["target"] += display.as_decimal(m["target"])
            entry["achieved"] += display.as_decimal(m["achieved"])
    out = []
    for metric in HEADLINE_METRICS:
        if metric in sums:
            entry = sums[metric]
            percent = entry["achieved"] * 100 / entry["target"] if entry["target"] else None
            expected = display.as_decimal(plan["elapsed_percent"])
            slack = 1 - display.as_decimal(plan["tolerance_percent"]) / 100
            on_track = percent is None or percent >= expected * slack
            out.append({**entry, "percent": percent, "expected_percent": expected, "on_track": on_track})
    return out


def campaign_totals(campaign_id: str) -> dict[str, object]:
    """The campaign's figure for each headline metric: its regions' figures added up."""
    totals = {}
    for metric in HEADLINE_METRICS:
        board = region_board(metric=metric, period="campaign", per_1000=False, campaign_id=campaign_id)["data"]
        totals[metric] = sum((display.as_decimal(row["value"]) for row in board), Decimal(0))
    return totals


def survival(*, scope: str = "national", key: str = "KZ") -> dict:
    """Trees planted and surviving, with the survival rate (and as a percent), nationally, of a region
    (`region`, its code) or of a campaign (`campaign`, its id); from the same answer as the API's."""
    data = cache.read("survival", {}, selectors.survival_totals)["data"]
    if scope == "national":
        figures = data["national"]
    else:
        rows = data["regions"] if scope == "region" else data["campaigns"]
        name = "region" if scope == "region" else "campaign_id"
        figures = next((row for row in rows if row[name] == key), None) or {
            "trees_planted": 0,
            "trees_checked": 0,
            "trees_surviving": 0,
            "survival_rate": None,
        }
    rate = figures["survival_rate"]
    return {**figures, "percent": None if rate is None else Decimal(rate) * 100}


def series(*, metric: str, region: str | None = None, start: dt.date | None = None, end: dt.date | None = None):
    params = {"metric": metric, **({"region": region} if region else {})}
    params |= {"start": start} if start else {}
    params |= {"end": end} if end else {}
    return cache.read(
        "timeseries", params, lambda: selectors.timeseries(metric=metric, region=region, start=start, end=end)
    )["data"]


def upcoming_events(
    *, user: AnyUser, region: str | None = None, campaign: Campaign | None = None, limit: int = UPCOMING_LIMIT
) -> list[Event]:
    events = event_list(
        user=user,
        region=region,
        campaign_id=campaign.id if campaign else None,
        status=Event.Status.APPROVED,
        date_from=timezone.localdate(),
    )
    return list(events.filter(starts_at__gt=timezone.now())[:limit])


# --- organisations and volunteers -------------------------------------------------------------------

# Every organisation with a figure is ranked (a national campaign has a few thousand); a page shows
# BOARD_SHOWN of them, and an organisation's own page finds its place in the whole ranking.
BOARD_ALL = 100_000
BOARD_SHOWN = 50
ORGANISATION_METRICS = (*HEADLINE_METRICS, "volunteer_hours")


def organisation_board(*, metric: str, period: str) -> dict:
    on = timezone.localdate()
    return cache.read(
        "board-organisations",
        {"metric": metric, "period": period, "on": on, "limit": BOARD_ALL},
        lambda: selectors.leaderboard_organisations(metric=metric, period=period, on=on, limit=BOARD_ALL),
    )


def volunteer_board(*, metric: str, period: str) -> dict:
    on = timezone.localdate()
    return cache.read(
        "board-volunteers",
        {"metric": metric, "period": period, "on": on, "limit": BOARD_SHOWN},
        lambda: selectors.leaderboard_volunteers(metric=metric, period=period, on=on, limit=BOARD_SHOWN),
    )


@dataclass(frozen=True)
class Standing:
    """An organisation's all-time figure for one metric and its place among the organisations."""

    metric: str
    total: object
    verified: object
    rank: int | None  # None: no figure yet
    ranked: int  # organisations with a figure for the metric


def organisation_standings(organisation_id: str) -> tuple[list[Standing], dict | None]:
    """Its figure and place for each metric, all time, and the answer the first came from (for its freshness)."""
    standings, first = [], None
    for metric in ORGANISATION_METRICS:
        answer = organisation_board(metric=metric, period="all")
        first = first or answer
        row = next((r for r in answer["data"] if r["organisation_id"] == organisation_id), None)
        standings.append(
            Standing(
                metric=metric,
                total=row["value"] if row else 0,
                verified=row["verified"] if row else 0,
                rank=row["rank"] if row else None,
                ranked=len(answer["data"]),
            )
        )
    return standings, first
