"""Reads of the public totals: national, region, campaign plans, leaderboards, series, as-of-date.

Every selector reads only stats tables plus reference data (regions, organisations) and, for the
volunteer leaderboard, the account table at read time, so a deleted or hidden account vanishes
from it at once. Figures come out in public units (see stats.metrics.present).
"""

from __future__ import annotations

import base64
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max, Q, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from config.errors import Conflict, NotFound
from dumps.selectors import LiquidationRate
from ledger.models import ProjectionCheckpoint
from reference.models import Region
from stats.metrics import (
    AWAITING,
    PUBLIC_METRICS,
    TARGET_METRICS,
    VERIFIED,
    present,
    present_survival,
    present_value,
    unit_of,
)
from stats.models import (
    Attendance,
    CampaignPlan,
    DailyTotal,
    EventFigures,
    PlanTarget,
    Total,
    TotalsClock,
    VolunteerTotal,
)
from stats.projections import TotalsProjection
from transparency.models import Leaf
from transparency.selectors import checkpoint_at
from volunteers.models import Organisation, User

PERIODS = ("week", "month", "campaign", "all")
VOLUNTEER_METRICS = ("volunteer_hours", "events")
PER_CAPITA_PLACES = Decimal("0.0001")
DEFAULT_PLAN_TOLERANCE = Decimal("0.10")


@dataclass(frozen=True)
class Freshness:
    """How far the totals have folded the ledger, and the instant their figures are as of."""

    position: int
    time: dt.datetime | None

    @property
    def version(self) -> str:
        """What names one state of the figures: the crediting (stats.crediting) moves them
        without a new position, never without a new time."""
        return version_of(self.position, self.time.isoformat() if self.time else None)


def version_of(position: int, as_of_time: str | None) -> str:
    return f"{position}@{as_of_time or ''}"


class NotAsOfCheckpoint(Conflict):
    code = "not_as_of_checkpoint"
    default_message = _lazy("The figures are not as of this checkpoint.")


def _ledger_order(position: int) -> tuple[int, int]:
    """Where a fact stands in ledger order, the order projections read: (tx, position) on PostgreSQL."""
    if connection.vendor != "postgresql" or not position:
        return (0, position)
    with connection.cursor() as cursor:
        cursor.execute("SELECT tx::text::bigint FROM ledger_fact WHERE position = %s", [position])
        row = cursor.fetchone()
    return (int(row[0]) if row else 0, position)


def _leaves_folded(position: int) -> int | None:
    """How many leaves of the transparency log the facts up to `position` (in ledger order) make, or
    None while the log has not read that far."""
    until = _ledger_order(position)
    log = ProjectionCheckpoint.objects.filter(name="transparency.log").values_list("tx", "position").first()
    if log is None or tuple(log) < until:
        return None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT max(l.index) FROM transparency_leaf l JOIN ledger_fact f ON f.position = l.position "
                "WHERE (f.tx::text::bigint, f.position) <= (%s, %s)",
                list(until),
            )
            last = cursor.fetchone()[0]
    else:
        last = Leaf.objects.filter(position__lte=position).aggregate(last=Max("index"))["last"]
    return 0 if last is None else last + 1


def figures_checkpoint(*, tree_size: int, position: int) -> dict:
    """The checkpoint of `tree_size` (its size and root), when the figures folded up to ledger
    `position` are folded from exactly its leaves: every public fact is a leaf, in ledger order, so
    the facts up to `position` are the first N leaves, and the figures are as of checkpoint N.
    Refused otherwise, naming the tree the figures are of: a printed report cites a checkpoint only
    for figures that checkpoint proves."""
    checkpoint = checkpoint_at(tree_size, "checkpoint")
    folded = _leaves_folded(position)
    if folded != checkpoint.size:
        of = (
            _("the log has not yet reached the figures' facts")
            if folded is None
            else _("the figures are folded from the first %(folded)d public facts") % {"folded": folded}
        )
        message = _("Not as of checkpoint %(size)d: %(of)s.") % {"size": checkpoint.size, "of": of}
        raise NotAsOfCheckpoint(fields={"checkpoint": [message]})
    return {"tree_size": checkpoint.size, "root": base64.b64encode(bytes(checkpoint.root)).decode()}


def freshness() -> Freshness:
    row = ProjectionCheckpoint.objects.filter(name=TotalsProjection.name).values_list("position", "updated_at").first()
    if row is None:
        return Freshness(0, None)
    changed_at = TotalsClock.objects.filter(pk=1).values_list("changed_at", flat=True).first()
    return Freshness(row[0], changed_at or row[1])


# --- totals ---------------------------------------------------------------------------------------


def _split(rows: Iterable[tuple[str, int, int]]) -> dict:
    verified: dict[str, int] = {}
    awaiting: dict[str, int] = {}
    for metric, v, a in rows:
        verified[metric] = verified.get(metric, 0) + v
        awaiting[metric] = awaiting.get(metric, 0) + a
    total = {metric: verified.get(metric, 0) + awaiting.get(metric, 0) for metric in verified.keys() | awaiting.keys()}
    return {"total": present(total), "verified": present(verified), "awaiting_verification": present(awaiting)}


def _stored(rows: Iterable[tuple[str, int, int]]) -> dict[str, int]:
    return {metric: v + a for metric, v, a in rows}


def present_dumps(stored: dict[str, int]) -> dict:
    """The illegal dumps' figures of a scope: found, liquidated and the liquidation rate (a decimal
    string to 4 places, as dumps.selectors.LiquidationRate gives it; null when none was found)."""
    found, liquidated = stored.get("dumps_found", 0), stored.get("dumps_liquidated", 0)
    rate = LiquidationRate(region=None, found=found, liquidated=liquidated).rate
    return {"found": found, "liquidated": liquidated, "rate": None if rate is None else str(rate)}


def national_totals() -> dict:
    """The national figures, split, and the dumps' (found, liquidated, rate), as of the same position."""
    rows = list(Total.objects.filter(scope="national", key="KZ").values_list("metric", "verified", "awaiting"))
    return {**_split(rows), "dumps": present_dumps(_stored(rows))}


def _per_capita(stored_metric: str, value: int, population: int) -> str | None:
    """A stored figure per 1 000 residents, in public units, to 4 places."""
    if not population:
        return None
    amount = Decimal(value) * 1000 / (population * unit_of(stored_metric))
    return str(amount.quantize(PER_CAPITA_PLACES, ROUND_HALF_EVEN))


def _region_info(region: Region) -> dict:
    return {"region": region.code, "name": region.name, "population": region.population}


def region_totals() -> list[dict]:
    rows: dict[str, list] = defaultdict(list)
    for key, metric, v, a in Total.objects.filter(scope="region").values_list("key", "metric", "verified", "awaiting"):
        rows[key].append((metric, v, a))
    return [
        {**_region_info(region), **_split(rows[region.code]), "dumps": present_dumps(_stored(rows[region.code]))}
        for region in Region.objects.order_by("code")
    ]


def region_detail(*, code: str, on: dt.date) -> dict:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise NotFound(_("No region with code %(code)s.") % {"code": code})
    rows = list(Total.objects.filter(scope="region", key=code).values_list("metric", "verified", "awaiting"))
    stored = _stored(rows)
    per_capita = {
        public: _per_capita(stored_metric, stored.get(stored_metric, 0), region.population)
        for public, stored_metric in PUBLIC_METRICS.items()
    }
    campaigns = []
    by_campaign: dict[str, list] = defaultdict(list)
    for key, metric, v, a in Total.objects.filter(scope="campaign_region", key__endswith=f":{code}").values_list(
        "key", "metric", "verified", "awaiting"
    ):
        by_campaign[key.split(":")[0]].append((metric, v, a))
    for plan in CampaignPlan.objects.filter(campaign_id__in=list(by_campaign)).order_by("-starts_on"):
        totals = _split(by_campaign[str(plan.campaign_id)])
        campaigns.append({"campaign_id": str(plan.campaign_id), "name": _name(plan.name), **totals})
    plans = []
    for plan in CampaignPlan.objects.filter(
        campaign_id__in=PlanTarget.objects.filter(region=code).values("campaign_id")
    ).order_by("-starts_on"):
        for row in campaign_plan(campaign_id=str(plan.campaign_id), on=on)["regions"]:
            if row["region"] == code:
                plans.append({"campaign_id": str(plan.campaign_id), "name": _name(plan.name), **row})
    return {
        **_region_info(region),
        **_split(rows),
        "dumps": present_dumps(stored),
        "per_1000_residents": per_capita,
        "campaigns": campaigns,
        "plans": plans,
    }


def _name(names: dict) -> str:
    return names.get((get_language() or "kk")[:2]) or names.get("kk") or next(iter(names.values()), "")


# --- plan versus fact ----------------------------------------------------------------------------


def plan_tolerance() -> Decimal:
    """How far behind the pace of time a region may be and still count as on track (0.10 = 10 %)."""
    return Decimal(str(getattr(settings, "STATS_PLAN_TOLERANCE", DEFAULT_PLAN_TOLERANCE)))


def elapsed_fraction(*, starts_on: dt.date, ends_on: dt.date, on: dt.date) -> Decimal:
    """The share of the campaign's days that have begun by `on` (0 before it, 1 after it)."""
    days = (ends_on - starts_on).days + 1
    elapsed = min(max((on - starts_on).days + 1, 0), days)
    return Decimal(elapsed) / Decimal(days)


def campaign_plan(*, campaign_id: str, on: dt.date) -> dict:
    plan = CampaignPlan.objects.filter(campaign_id=campaign_id).first()
    if plan is None:
        raise NotFound(_("No campaign with this id."))
    fraction = elapsed_fraction(starts_on=plan.starts_on, ends_on=plan.ends_on, on=on)
    tolerance = plan_tolerance()
    achieved: dict[tuple[str, str], tuple[int, int]] = {}
    for key, metric, v, a in Total.objects.filter(
        scope="campaign_region", key__startswith=f"{campaign_id}:"
    ).values_list("key", "metric", "verified", "awaiting"):
        achieved[(key.split(":")[1], metric)] = (v, a)
    public_of = {stored: public for public, stored in TARGET_METRICS.items()}
    by_region: dict[str, list[dict]] = defaultdict(list)
    for region, metric, target in PlanTarget.objects.filter(campaign_id=campaign_id).values_list(
        "region", "metric", "value"
    ):
        verified, awaiting = achieved.get((region, metric), (0, 0))
        done = verified + awaiting
        expected = Decimal(target) * fraction
        by_region[region].append(
            {
                "metric": public_of[metric],
                "target": present_value(metric, target),
                "achieved": present_value(metric, done),
                "achieved_verified": present_value(metric, verified),
                "percent": _percent(done, target),
                "expected_percent": _percent(expected, target),
                "on_track": Decimal(done) >= expected * (1 - tolerance),
            }
        )
    regions = []
    names = {r.code: r for r in Region.objects.filter(code__in=list(by_region))}
    for code in sorted(by_region):
        metrics = sorted(by_region[code], key=lambda m: list(TARGET_METRICS).index(m["metric"]))
        region = names.get(code)
        regions.append(
            {
                "region": code,
                "name": region.name if region else code,
                "behind": not all(m["on_track"] for m in metrics),
                "metrics": metrics,
            }
        )
    return {
        "campaign_id": str(plan.campaign_id),
        "name": _name(plan.name),
        "starts_on": plan.starts_on.isoformat(),
        "ends_on": plan.ends_on.isoformat(),
        "on": on.isoformat(),
        "elapsed_percent": str((fraction * 100).quantize(Decimal("0.1"), ROUND_HALF_EVEN)),
        "tolerance_percent": str((tolerance * 100).quantize(Decimal("0.1"), ROUND_HALF_EVEN)),
        "behind_regions": [r["region"] for r in regions if r["behind"]],
        "regions": regions,
    }


def _percent(done: int | Decimal, target: int) -> str | None:
    if not target:
        return None
    return str((Decimal(done) * 100 / Decimal(target)).quantize(Decimal("0.1"), ROUND_HALF_UP))


# --- leaderboards ---------------------------------------------------------------------------------


def period_days(period: str, on: dt.date) -> tuple[dt.date, dt.date] | None:
    """The days a period covers, up to `on` inclusive; None for all time (and per campaign)."""
    if period == "week":
        return on - dt.timedelta(days=on.weekday()), on
    if period == "month":
        return on.replace(day=1), on
    return None


def _ranked(rows: list[dict], value_of) -> list[dict]:
    rows.sort(key=lambda row: (-value_of(row), row["_tiebreak"]))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
        del row["_tiebreak"]
    return rows


def leaderboard_regions(
    *, metric: str, period: str, on: dt.date, per_capita: bool = False, campaign_id: str | None = None
) -> list[dict]:
    """All 20 regions ranked by one metric, raw or per 1 000 residents."""
    stored_metric = PUBLIC_METRICS[metric]
    values: dict[str, tuple[int, int]] = {}
    days = period_days(period, on)
    if campaign_id:
        rows = Total.objects.filter(scope="campaign_region", key__startswith=f"{campaign_id}:", metric=stored_metric)
        values = {key.split(":")[1]: (v, a) for key, v, a in rows.values_list("key", "verified", "awaiting")}
    elif days:
        rows = (
            DailyTotal.objects.filter(metric=stored_metric, day__range=days)
            .values("region")
            .annotate(v=Sum("verified"), a=Sum("awaiting"))
        )
        values = {row["region"]: (row["v"], row["a"]) for row in rows}
    else:
        rows = Total.objects.filter(scope="region", metric=stored_metric)
        values = {key: (v, a) for key, v, a in rows.values_list("key", "verified", "awaiting")}
    out = []
    for region in Region.objects.order_by("code"):
        verified, awaiting = values.get(region.code, (0, 0))
        total = verified + awaiting
        row = {
            **_region_info(region),
            "value": present_value(stored_metric, total),
            "verified": present_value(stored_metric, verified),
            "per_1000_residents": _per_capita(stored_metric, total, region.population),
            "_tiebreak": region.code,
            "_sort": Decimal(total) * 1000 / region.population if per_capita and region.population else total,
        }
        out.append(row)
    ranked = _ranked(out, lambda row: row["_sort"])
    for row in ranked:
        del row["_sort"]
    return ranked


def leaderboard_organisations(
    *, metric: str, period: str, on: dt.date, campaign_id: str | None = None, limit: int = 50
) -> list[dict]:
    """Organisations with any figure for the metric, ranked."""
    stored_metric = PUBLIC_METRICS[metric]
    values: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    days = period_days(period, on)
    if campaign_id:
        rows = Total.objects.filter(
            scope="campaign_organisation", key__startswith=f"{campaign_id}:", metric=stored_metric
        )
        for key, v, a in rows.values_list("key", "verified", "awaiting"):
            values[key.split(":")[1]] = [v, a]
    elif days:
        # A week or a month holds few events: sum their contributions here.
        for row in EventFigures.objects.filter(day__range=days, status__in=(VERIFIED, AWAITING)):
            value = row.to_state().vector().get(stored_metric, 0)
            values[str(row.organisation_id)][0 if row.status == VERIFIED else 1] += value
    else:
        rows = Total.objects.filter(scope="organisation", metric=stored_metric)
        for key, v, a in rows.values_list("key", "verified", "awaiting"):
            values[key] = [v, a]
    ranked = sorted(((sum(va), oid) for oid, va in values.items() if sum(va)), key=lambda t: (-t[0], t[1]))[:limit]
    names = {str(o.id): o for o in Organisation.objects.filter(id__in=[oid for _, oid in ranked])}
    out = []
    for rank, (total, oid) in enumerate(ranked, start=1):
        organisation = names.get(oid)
        out.append(
            {
                "rank": rank,
                "organisation_id": oid,
                "name": organisation.name if organisation else "",
                "kind": organisation.kind if organisation else "",
                "region": organisation.region_id if organisation else "",
                "value": present_value(stored_metric, total),
                "verified": present_value(stored_metric, values[oid][0]),
            }
        )
    return out


def leaderboard_volunteers(
    *, metric: str, period: str, on: dt.date, campaign_id: str | None = None, limit: int = 50
) -> list[dict]:
    """Volunteers who chose to appear, by display name, ranked by hours or events attended."""
    shown = User.objects.filter(show_on_leaderboards=True, is_active=True).values("volunteer_id")
    days = period_days(period, on)
    if campaign_id or days:
        counted = Q(event__status__in=(VERIFIED, AWAITING), volunteer_id__in=shown)
        counted &= Q(event__campaign_id=campaign_id) if campaign_id else Q(event__day__range=days)
        rows = (
            Attendance.objects.filter(counted)
            .values("volunteer_id")
            .annotate(events=Count("id"), seconds=Sum("seconds"))
            .values_list("volunteer_id", "events", "seconds")
        )
    else:
        rows = VolunteerTotal.objects.filter(volunteer_id__in=shown, events__gt=0).values_list(
            "volunteer_id", "events", "seconds"
        )
    order = ("-seconds", "-events") if metric == "volunteer_hours" else ("-events", "-seconds")
    top = list(rows.order_by(*order, "volunteer_id")[:limit])
    names = dict(
        User.objects.filter(volunteer_id__in=[vid for vid, _, _ in top]).values_list("volunteer_id", "display_name")
    )
    return [
        {
            "rank": rank,
            "display_name": names.get(vid) or _("Volunteer"),
            "events": events,
            "volunteer_hours": present_value("seconds", seconds),
        }
        for rank, (vid, events, seconds) in enumerate(top, start=1)
        if vid in names  # the account was deleted between the two reads
    ]


# --- time --------------------------------------------------------------------------------------------


def timeseries(*, metric: str, region: str | None, start: dt.date | None, end: dt.date | None) -> list[dict]:
    """Per day: the figures of events held that day, and the running total from the beginning."""
    stored_metric = PUBLIC_METRICS[metric]
    rows = DailyTotal.objects.filter(metric=stored_metric)
    if region:
        rows = rows.filter(region=region)
    before = 0
    if start:
        earlier = rows.filter(day__lt=start).aggregate(v=Sum("verified"), a=Sum("awaiting"))
        before = (earlier["v"] or 0) + (earlier["a"] or 0)
        rows = rows.filter(day__gte=start)
    if end:
        rows = rows.filter(day__lte=end)
    out = []
    running = before
    for day, v, a in (
        rows.values("day").annotate(v=Sum("verified"), a=Sum("awaiting")).values_list("day", "v", "a").order_by("day")
    ):
        running += v + a
        out.append(
            {
                "day": day.isoformat(),
                "value": present_value(stored_metric, v + a),
                "verified": present_value(stored_metric, v),
                "cumulative": present_value(stored_metric, running),
            }
        )
    return out


def totals_as_of(*, day: dt.date, region: str | None = None) -> dict:
    """Every total counting only events held on or before `day` (their figures as known now)."""
    rows = DailyTotal.objects.filter(day__lte=day)
    if region:
        rows = rows.filter(region=region)
    aggregated = rows.values("metric").annotate(v=Sum("verified"), a=Sum("awaiting")).values_list("metric", "v", "a")
    return _split(aggregated)


# --- open data (opendata.release reads these) -----------------------------------------------------


def campaign_totals() -> list[dict]:
    """Every campaign's totals, split as the national ones, newest first."""
    rows: dict[str, list] = defaultdict(list)
    for key, metric, v, a in Total.objects.filter(scope="campaign").values_list(
        "key", "metric", "verified", "awaiting"
    ):
        rows[key].append((metric, v, a))
    return [
        {
            "campaign_id": str(plan.campaign_id),
            "name": _name(plan.name),
            "starts_on": plan.starts_on.isoformat(),
            "ends_on": plan.ends_on.isoformat(),
            **_split(rows[str(plan.campaign_id)]),
        }
        for plan in CampaignPlan.objects.order_by("-starts_on", "campaign_id")
    ]


# --- survival -------------------------------------------------------------------------------------

SURVIVAL_METRICS = ("trees", "trees_checked", "trees_surviving")


def _survival_rows(scope: str, key: str | None = None) -> dict[str, dict[str, int]]:
    """Per key of `scope`: trees planted, of checked events, surviving (verified and awaiting summed:
    a survival check is recorded only on a verified result)."""
    rows: dict[str, dict[str, int]] = defaultdict(dict)
    query = Total.objects.filter(scope=scope, metric__in=SURVIVAL_METRICS)
    if key is not None:
        query = query.filter(key=key)
    for row_key, metric, v, a in query.values_list("key", "metric", "verified", "awaiting"):
        rows[row_key][metric] = v + a
    return rows


def survival_of(*, scope: str, key: str) -> dict:
    """Trees planted and surviving apart, with the rate, of one scope: `national`/`KZ`,
    `region`/<code>, `campaign`/<id> (metrics.present_survival)."""
    return present_survival(_survival_rows(scope, key).get(key, {}))


def survival_totals() -> dict:
    """Trees planted and surviving, with the survival rate, nationally, per region (all 20) and per
    campaign (newest first). The rate counts only events with a survival check, each at its latest
    check: its denominator is the trees of those events, since an unchecked event is unknown, not dead."""
    regions = _survival_rows("region")
    campaigns = _survival_rows("campaign")
    return {
        "national": present_survival(_survival_rows("national", "KZ").get("KZ", {})),
        "regions": [
            {"region": region.code, "name": region.name, **present_survival(regions.get(region.code, {}))}
            for region in Region.objects.order_by("code")
        ],
        "campaigns": [
            {
                "campaign_id": str(plan.campaign_id),
                "name": _name(plan.name),
                **present_survival(campaigns.get(str(plan.campaign_id), {})),
            }
            for plan in CampaignPlan.objects.order_by("-starts_on", "campaign_id")
        ],
    }


def public_event_figures() -> list[dict]:
    """Every approved event as the totals count it: its dimensions, status and figures (in public
    units), and the figures that count (the verified ones, or the logged ones while awaiting) with
    the trees by species. A proposed or rejected event is not public, so it is not here."""
    out = []
    for row in EventFigures.objects.filter(approved=True).order_by("starts_at", "event_id"):
        state = row.to_state()
        figures = state.verified if state.status == VERIFIED else state.logged
        out.append(
            {
                "event_id": str(row.event_id),
                "campaign_id": str(row.campaign_id),
                "organisation_id": str(row.organisation_id),
                "region": row.region,
                "kind": row.kind,
                "starts_at": row.starts_at.isoformat(),
                "ends_at": row.ends_at.isoformat(),
                "day": row.day.isoformat(),
                "cancelled": row.cancelled,
                "status": state.status,
                "figures": present(state.vector()),
                "tree_species": dict((figures or {}).get("tree_species") or {}),
            }
        )
    return out
