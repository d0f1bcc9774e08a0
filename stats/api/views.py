"""The public stats API: no login, JSON or CSV (`?format=csv` or a `.csv` suffix), cached answers.

Views validate the query, hand a selector to stats.cache.read and render; every answer carries
`as_of_position` and `as_of_time`, the freshness of the figures.

These are the hottest public reads, so a web process keeps each answer also as the bytes it sent
(`RenderedAnswer`), under a key naming the ledger position, the language, the day, the Accept header
and the URL. A repeated GET is answered from those bytes before DRF's request wrapping, content
negotiation and rendering: the position is read at most every STATS_POSITION_TTL seconds, so the
figures still move with every fold. Only the first asker of a key at a position goes through DRF.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from config.openapi import error, errors
from stats import cache, selectors
from stats.api import serializers as s
from stats.api.renderers import CSVRenderer, RenderedAnswer

_FRESH = {"as_of_position": 48213, "as_of_time": "2026-05-02T18:04:11+05:00"}
_FIGURES = {
    "events": 2,
    "participants": 52,
    "volunteers": 5,
    "headcount": 47,
    "youth": 3,
    "waste_kg": "320.500",
    "waste_kg_by_kind": {"mixed": "200.000", "plastic": "120.500"},
    "trees": 40,
    "area_ha": "2.5000",
    "volunteer_hours": "18.00",
}
_FORMAT = OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"], description="csv: a download.")
_CHECKPOINT = s.CheckpointQuery


_NOT_MODIFIED = OpenApiResponse(
    description="`If-None-Match` names the current `ETag`: the figures have not moved. No body."
)
_QUERY_REFUSED = errors(
    "A query parameter is not valid (in CSV when CSV was asked for: a `code,message` table).",
    error("validation_error", "Some fields are not valid.", {"period": ['"decade" is not a valid choice.']}),
)
_NOT_FOUND = errors(
    "No such region or campaign, no checkpoint of the tree size asked, or a `format` other than json and csv.",
    error("not_found", "Not found."),
    error(
        "unknown_checkpoint", "No checkpoint has this tree size.", {"checkpoint": ["No checkpoint has tree size 7."]}
    ),
)
_NOT_AS_OF_CHECKPOINT = errors(
    "`checkpoint` names a checkpoint the figures are not folded from exactly (an earlier one, or one the totals "
    "have not reached): the message says which tree the figures are of.",
    error(
        "not_as_of_checkpoint",
        "The figures are not as of this checkpoint.",
        {"checkpoint": ["The figures are folded from the first 9 public facts, not from checkpoint 7's 7."]},
    ),
)


def _answers(ok) -> dict:
    """What a stats operation answers: its figures, 304 for a current ETag, 400, 404, 409."""
    return {200: ok, 304: _NOT_MODIFIED, 400: _QUERY_REFUSED, 404: _NOT_FOUND, 409: _NOT_AS_OF_CHECKPOINT}


def flat(figures: dict) -> dict:
    """Figures as one level: waste by kind becomes waste_kg_<kind>."""
    out = {key: value for key, value in figures.items() if key != "waste_kg_by_kind"}
    out.update({f"waste_kg_{kind}": value for kind, value in figures.get("waste_kg_by_kind", {}).items()})
    return out


def board_arguments(q: dict) -> dict:
    """What every leaderboard selector takes, from its validated query."""
    campaign = q.get("campaign")
    return {
        "metric": q["metric"],
        "period": q["period"],
        "on": q["on"],
        "campaign_id": str(campaign) if campaign else None,
    }


def dump_rows(dumps: dict) -> list[dict]:
    """The dumps' figures as rows of a figures CSV: found and liquidated are coordinators' decisions
    or the state's monitoring, so verified; the rate is a ratio, in the total column only."""
    rate = "" if dumps["rate"] is None else dumps["rate"]
    return [
        {"metric": "dumps_found", "total": dumps["found"], "verified": dumps["found"], "awaiting_verification": 0},
        {
            "metric": "dumps_liquidated",
            "total": dumps["liquidated"],
            "verified": dumps["liquidated"],
            "awaiting_verification": 0,
        },
        {"metric": "dumps_liquidation_rate", "total": rate, "verified": rate, "awaiting_verification": ""},
    ]


def figure_rows(split: dict) -> list[dict]:
    total, verified, awaiting = (flat(split[k]) for k in ("total", "verified", "awaiting_verification"))
    return [
        {"metric": metric, "total": value, "verified": verified[metric], "awaiting_verification": awaiting[metric]}
        for metric, value in total.items()
    ]


class StatsSchema(AutoSchema):
    """Operation ids from the answer's name: two GETs under regions/ would collide otherwise."""

    def get_operation_id(self) -> str:
        suffix = "_formatted" if "{format}" in self.path else ""
        return f"stats_{self.view.cache_name.replace('-', '_')}{suffix}"


class StatsView(APIView):
    """Public, read-only, cached; JSON or CSV."""

    schema = StatsSchema()

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    renderer_classes = [JSONRenderer, CSVRenderer]
    cache_name: str

    query_class: type | None = None

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            sent = cache.remembered(self.sent_key(request, cache.version()))
            if isinstance(sent, RenderedAnswer):
                return sent.response(request)
        return super().dispatch(request, *args, **kwargs)

    def sent_key(self, request: HttpRequest | Request, version: str) -> tuple:
        """Everything the bytes of an answer depend on: the same request at the same version (position
        and time of the figures) gets them."""
        return (
            "sent",
            self.cache_name,
            version,
            get_language(),
            timezone.localdate(),  # the default of `on`
            request.META.get("HTTP_ACCEPT", ""),
            request.path_info,
            request.META.get("QUERY_STRING", ""),
        )

    def options(self, request: Request, *args, **kwargs) -> HttpResponse:
        # What OPTIONS answers (the view's metadata) is not a table of figures: it is sent as JSON
        # whichever format was asked for, as every other API view sends it.
        request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        return super().options(request, *args, **kwargs)

    def get(self, request: Request, **kwargs) -> HttpResponse:
        if request.query_params.get("format") == "":
            raise ValidationError({"format": [_("Give json or csv, or leave the parameter out.")]})
        asked = s.CheckpointQuery(data=request.query_params)
        asked.is_valid(raise_exception=True)
        # The cache key is the raw query (and today, the default of `on`): a hit skips even the
        # validation, which ran when the answer was first made from these very parameters.
        params = {key: value for key, value in request.query_params.items() if key not in ("format", "checkpoint")}
        params.update({key: str(value) for key, value in kwargs.items() if key != "format"})
        params["today"] = timezone.localdate().isoformat()

        def compute() -> dict | list:
            query = {}
            if self.query_class is not None:
                serializer = self.query_class(data=request.query_params)
                serializer.is_valid(raise_exception=True)
                query = dict(serializer.validated_data)
            return self.build(query, **{key: value for key, value in kwargs.items() if key != "format"})

        payload = cache.read(self.cache_name, params, compute)
        if "checkpoint" in asked.validated_data:
            # Not cached with the figures: the log may reach the figures' position after they were.
            checkpoint = selectors.figures_checkpoint(
                tree_size=asked.validated_data["checkpoint"], position=payload["as_of_position"]
            )
            payload = {**payload, "checkpoint": checkpoint}
        answer = self.rendered(request, payload)
        version = selectors.version_of(payload["as_of_position"], payload["as_of_time"])
        cache.remember(self.sent_key(request, version), answer)
        return answer.response(request)

    def rendered(self, request: Request, payload: dict) -> RenderedAnswer:
        """The answer in the negotiated format (JSON or CSV), as it goes on the wire."""
        renderer = request.accepted_renderer
        body = renderer.render(payload, request.accepted_media_type, self.get_renderer_context())
        as_of_time = payload["as_of_time"]
        return RenderedAnswer.of(
            body,
            content_type=renderer.media_type + (f"; charset={renderer.charset}" if renderer.charset else ""),
            as_of_time=dt.datetime.fromisoformat(as_of_time).timestamp() if as_of_time else None,
            filename=f"taza-{self.cache_name}-{payload['as_of_position']}.csv" if renderer.format == "csv" else None,
        )

    def build(self, query: dict, **kwargs) -> dict | list:
        """The answer's data, from the validated query."""
        raise NotImplementedError

    def csv_rows(self, data) -> list[dict]:
        return list(data)


@extend_schema(
    tags=["stats"],
    summary="National totals",
    description=(
        "Every metric for the whole country, split into verified and awaiting verification, and the illegal "
        "dumps found and liquidated with the liquidation rate."
    ),
    parameters=[_FORMAT, _CHECKPOINT],
    responses=_answers(s.NationalAnswer),
    examples=[
        OpenApiExample(
            "National totals",
            value={
                **_FRESH,
                "data": {
                    "total": _FIGURES,
                    "verified": _FIGURES,
                    "awaiting_verification": _FIGURES,
                    "dumps": {"found": 3828, "liquidated": 3637, "rate": "0.9501"},
                },
            },
            response_only=True,
        )
    ],
)
class NationalTotalsView(StatsView):
    cache_name = "national"

    def build(self, query: dict) -> dict:
        return selectors.national_totals()

    def csv_rows(self, data: dict) -> list[dict]:
        return figure_rows(data) + dump_rows(data["dumps"])


@extend_schema(
    tags=["stats"],
    summary="Totals of every region",
    parameters=[_FORMAT, _CHECKPOINT],
    responses=_answers(s.RegionsAnswer),
)
class RegionTotalsView(StatsView):
    cache_name = "regions"

    def build(self, query: dict) -> list[dict]:
        return selectors.region_totals()

    def csv_rows(self, data: list[dict]) -> list[dict]:
        rows = []
        for region in data:
            row = {"region": region["region"], "name": region["name"], "population": region["population"]}
            verified, awaiting = flat(region["verified"]), flat(region["awaiting_verification"])
            for metric, value in flat(region["total"]).items():
                row[metric] = value
                row[f"{metric}_verified"] = verified[metric]
                row[f"{metric}_awaiting"] = awaiting[metric]
            row.update({f"dumps_{name}": "" if value is None else value for name, value in region["dumps"].items()})
            rows.append(row)
        return rows


@extend_schema(
    tags=["stats"],
    summary="One region: totals, per 1 000 residents, illegal dumps, campaigns and plan versus fact",
    parameters=[s.OnQuery, _FORMAT, _CHECKPOINT],
    responses=_answers(s.RegionDetailAnswer),
)
class RegionDetailView(StatsView):
    cache_name = "region"
    query_class = s.OnQuery

    def build(self, query: dict, code: str) -> dict:
        return selectors.region_detail(code=code, on=query["on"])

    def csv_rows(self, data: dict) -> list[dict]:
        per_capita = data["per_1000_residents"]
        rows = [{**row, "per_1000_residents": per_capita.get(row["metric"], "")} for row in figure_rows(data)]
        return rows + [{**row, "per_1000_residents": ""} for row in dump_rows(data["dumps"])]


@extend_schema(
    tags=["stats"],
    summary="Plan versus fact of a campaign",
    description=(
        "Per region and metric: target, achieved (verified + awaiting), percent, and whether the region "
        "keeps pace with the time elapsed: on track when achieved ≥ target × elapsed share × (1 − tolerance). "
        "A region with any metric off track is `behind`."
    ),
    parameters=[s.OnQuery, _FORMAT, _CHECKPOINT],
    responses=_answers(s.PlanAnswer),
    examples=[
        OpenApiExample(
            "A region behind",
            value={
                **_FRESH,
                "data": {
                    "campaign_id": "6f1c0b8e-3c1a-4f0e-9d55-2b7f1f0c9a11",
                    "name": "Clean Kazakhstan",
                    "starts_on": "2026-04-01",
                    "ends_on": "2026-04-20",
                    "on": "2026-04-10",
                    "elapsed_percent": "50.0",
                    "tolerance_percent": "10.0",
                    "behind_regions": ["KZ-10"],
                    "regions": [
                        {
                            "region": "KZ-10",
                            "name": "Abai Region",
                            "behind": True,
                            "metrics": [
                                {
                                    "metric": "trees",
                                    "target": 200,
                                    "achieved": 40,
                                    "achieved_verified": 40,
                                    "percent": "20.0",
                                    "expected_percent": "50.0",
                                    "on_track": False,
                                }
                            ],
                        }
                    ],
                },
            },
            response_only=True,
        )
    ],
)
class CampaignPlanView(StatsView):
    cache_name = "plan"
    query_class = s.OnQuery

    def build(self, query: dict, campaign_id) -> dict:
        return selectors.campaign_plan(campaign_id=str(campaign_id), on=query["on"])

    def csv_rows(self, data: dict) -> list[dict]:
        return [
            {"region": region["region"], "name": region["name"], "behind": region["behind"], **metric}
            for region in data["regions"]
            for metric in region["metrics"]
        ]


@extend_schema(
    tags=["stats"],
    summary="Regions ranked by a metric",
    description="All 20 regions, raw or per 1 000 residents (`per_capita=true`), for a period.",
    parameters=[s.RegionLeaderboardQuery, _FORMAT, _CHECKPOINT],
    responses=_answers(s.RegionBoardAnswer),
    examples=[
        OpenApiExample(
            "Trees per 1 000 residents",
            value={
                **_FRESH,
                "data": [
                    {
                        "rank": 1,
                        "region": "KZ-10",
                        "name": "Abai Region",
                        "population": 600000,
                        "value": 40,
                        "verified": 40,
                        "per_1000_residents": "0.0667",
                    }
                ],
            },
            response_only=True,
        )
    ],
)
class RegionLeaderboardView(StatsView):
    cache_name = "board-regions"
    query_class = s.RegionLeaderboardQuery

    def build(self, q: dict) -> list[dict]:
        return selectors.leaderboard_regions(**board_arguments(q), per_capita=q["per_capita"])


@extend_schema(
    tags=["stats"],
    summary="Organisations ranked by a metric",
    parameters=[s.LeaderboardQuery, _FORMAT, _CHECKPOINT],
    responses=_answers(s.OrganisationBoardAnswer),
)
class OrganisationLeaderboardView(StatsView):
    cache_name = "board-organisations"
    query_class = s.LeaderboardQuery

    def build(self, q: dict) -> list[dict]:
        return selectors.leaderboard_organisations(**board_arguments(q), limit=q["limit"])


@extend_schema(
    tags=["stats"],
    summary="Volunteers ranked by hours or events attended",
    description="Only volunteers who chose to appear, by display name.",
    parameters=[s.VolunteerLeaderboardQuery, _FORMAT, _CHECKPOINT],
    responses=_answers(s.VolunteerBoardAnswer),
    examples=[
        OpenApiExample(
            "By hours",
            value={**_FRESH, "data": [{"rank": 1, "display_name": "Aigerim", "events": 2, "volunteer_hours": "6.00"}]},
            response_only=True,
        )
    ],
)
class VolunteerLeaderboardView(StatsView):
    cache_name = "board-volunteers"
    query_class = s.VolunteerLeaderboardQuery

    def build(self, q: dict) -> list[dict]:
        return selectors.leaderboard_volunteers(**board_arguments(q), limit=q["limit"])


@extend_schema(
    tags=["stats"],
    summary="Daily series of a metric, nationally or for a region",
    description="Per day: the figures of events held that day and the running total since the first.",
    parameters=[s.TimeseriesQuery, _FORMAT, _CHECKPOINT],
    responses=_answers(s.TimeseriesAnswer),
)
class TimeseriesView(StatsView):
    cache_name = "timeseries"
    query_class = s.TimeseriesQuery

    def build(self, q: dict) -> list[dict]:
        return selectors.timeseries(metric=q["metric"], region=q.get("region"), start=q.get("start"), end=q.get("end"))


@extend_schema(
    tags=["stats"],
    summary="Totals as of a past day",
    description='Every total over the events held on or before `date` ("campaign day" against today).',
    parameters=[s.AsOfQuery, _FORMAT, _CHECKPOINT],
    responses=_answers(s.AsOfAnswer),
)
class AsOfView(StatsView):
    cache_name = "as-of"
    query_class = s.AsOfQuery

    def build(self, q: dict) -> dict:
        return selectors.totals_as_of(day=q["date"], region=q.get("region"))

    def csv_rows(self, data: dict) -> list[dict]:
        return figure_rows(data)


_SURVIVAL = {"trees_planted": 1200, "trees_checked": 400, "trees_surviving": 325, "survival_rate": "0.8125"}


@extend_schema(
    tags=["stats"],
    summary="Tree survival: trees planted and trees surviving, with the survival rate",
    description=(
        "Nationally, per region and per campaign. `trees_planted` is every tree the totals count; the rate "
        "is `trees_surviving / trees_checked`, over the events that had a survival check only, each at its "
        "latest check (three years before a year, a year before a season; a later check of the same label "
        "corrects it). An event never checked is unknown, not dead, so its trees are not in the denominator."
    ),
    parameters=[_FORMAT, _CHECKPOINT],
    responses=_answers(s.SurvivalAnswer),
    examples=[
        OpenApiExample(
            "Survival",
            value={
                **_FRESH,
                "data": {
                    "national": _SURVIVAL,
                    "regions": [{"region": "KZ-10", "name": "Abai Region", **_SURVIVAL}],
                    "campaigns": [
                        {"campaign_id": "6f1c0b8e-3c1a-4f0e-9d55-2b7f1f0c9a11", "name": "Nauryz trees", **_SURVIVAL}
                    ],
                },
            },
            response_only=True,
        )
    ],
)
class SurvivalTotalsView(StatsView):
    cache_name = "survival"

    def build(self, query: dict) -> dict:
        return selectors.survival_totals()

    def csv_rows(self, data: dict) -> list[dict]:
        rows = [{"scope": "national", "key": "KZ", "name": "", **data["national"]}]
        rows += [{"scope": "region", "key": r.pop("region"), **r} for r in (dict(r) for r in data["regions"])]
        rows += [{"scope": "campaign", "key": c.pop("campaign_id"), **c} for c in (dict(c) for c in data["campaigns"])]
        return rows
