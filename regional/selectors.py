"""The regional figures: each instance's, as of its last verified checkpoint, their sum, and the
countries' leaderboard (raw and per 1 000 residents, from reference.models.Country.population)."""

from __future__ import annotations

import datetime as dt
from base64 import b64encode
from decimal import ROUND_HALF_EVEN, Decimal

from django.utils import timezone
from django.utils.translation import get_language

from reference.models import Country
from regional.instances import configured_instances
from regional.models import InstanceMirror

METRICS = ("events", "participants", "youth", "waste_kg", "trees", "area_ha", "volunteer_hours")
COLUMNS = ("verified", "awaiting_verification", "total")
_PLACES = {"waste_kg": Decimal("0.001"), "area_ha": Decimal("0.0001"), "volunteer_hours": Decimal("0.01")}
_ZERO = dict.fromkeys(METRICS, "0")


def _figure(metric: str, value: Decimal) -> int | str:
    if metric in _PLACES:
        return str(value.quantize(_PLACES[metric], ROUND_HALF_EVEN))
    return int(value)


def _figures(raw: dict) -> dict:
    return {
        column: {metric: _figure(metric, Decimal(str(raw.get(column, _ZERO).get(metric, "0")))) for metric in METRICS}
        for column in COLUMNS
    }


def per_thousand(value: int | str, population: int | None) -> str | None:
    if not population:
        return None
    return str((Decimal(value) * 1000 / population).quantize(Decimal("0.0001"), ROUND_HALF_EVEN))


def regional_overview(*, metric: str = "trees", now: dt.datetime | None = None) -> dict:
    """Every configured instance with its mirror's state and figures, the regional totals (the sum of
    every instance's last verified figures, whatever its status: a forked or silent instance counts
    as of its last verified checkpoint, and says so), and the leaderboard of countries by `metric`
    per 1 000 residents (countries with no population figure last)."""
    now = now or timezone.now()
    mirrors = {m.country: m for m in InstanceMirror.objects.all()}
    countries = {c.code: c for c in Country.objects.all()}
    instances, totals = [], {column: dict.fromkeys(METRICS, Decimal(0)) for column in COLUMNS}
    for configured in configured_instances():
        mirror = mirrors.get(configured.country) or InstanceMirror(country=configured.country, url=configured.url)
        country = countries.get(configured.country)
        figures = _figures(mirror.figures)
        for column in COLUMNS:
            for name in METRICS:
                totals[column][name] += Decimal(str(figures[column][name]))
        instances.append(
            {
                "country": configured.country,
                "name": country.name if country else configured.country,
                "population": country.population if country else None,
                "url": configured.url,
                "status": mirror.status,
                "status_label": InstanceMirror.Status(mirror.status).label,
                "checkpoint": {
                    "size": mirror.size,
                    "root": b64encode(bytes(mirror.root)).decode() if mirror.size else None,
                    "published_at": mirror.checkpoint_published_at,
                    "note": mirror.note or None,
                },
                "seen_size": mirror.seen_size,
                "lag": max(mirror.seen_size - mirror.size, 0),
                "verified_at": mirror.verified_at,
                "attempted_at": mirror.attempted_at,
                "age_seconds": int((now - mirror.verified_at).total_seconds()) if mirror.verified_at else None,
                "last_error": mirror.last_error,
                "figures_at": mirror.figures_at,
                "figures": figures,
                "dumps": mirror.figures.get("dumps"),
                "campaigns": mirror.figures.get("campaigns", []),
            }
        )
    leaderboard = sorted(
        (
            {
                "country": row["country"],
                "name": row["name"],
                "population": row["population"],
                "value": row["figures"]["total"][metric],
                "per_1000": per_thousand(row["figures"]["total"][metric], row["population"]),
                "status": row["status"],
            }
            for row in instances
        ),
        key=lambda row: (row["per_1000"] is None, -Decimal(row["per_1000"] or 0), -Decimal(row["value"])),
    )
    return {
        "as_of_time": now,
        "instances": instances,
        "totals": {column: {m: _figure(m, v) for m, v in sums.items()} for column, sums in totals.items()},
        "totals_as_of": {row["country"]: row["checkpoint"]["size"] for row in instances},
        "leaderboard": {"metric": metric, "rows": leaderboard},
        "campaigns": regional_campaigns(instances),
    }


def regional_campaigns(instances: list[dict]) -> list[dict]:
    """The campaigns run in more than one instance, plan versus fact per country and summed.

    A regional campaign is told by its English name, the same in every instance's `CampaignLaunched`
    ("Nauryz tree planting 2027"): the public facts carry no shared identifier yet (regional/README.md)."""
    lang = (get_language() or "en")[:2]
    shared: dict[str, list[dict]] = {}
    for row in instances:
        for campaign in row.pop("campaigns"):
            key = campaign["name"].get("en") or next(iter(campaign["name"].values()), "")
            shared.setdefault(key, []).append(
                {
                    "country": row["country"],
                    "name": row["name"],
                    "campaign_id": campaign["campaign_id"],
                    "title": campaign["name"].get(lang) or key,
                    "plan": campaign["plan"],
                    "fact": _figures({"total": campaign["fact"]})["total"],
                }
            )
    out = []
    for key, countries in shared.items():
        if len({country["country"] for country in countries}) < 2:
            continue
        plan: dict[str, Decimal] = {}
        fact = dict.fromkeys(METRICS, Decimal(0))
        for country in countries:
            for name, value in country["plan"].items():
                plan[name] = plan.get(name, Decimal(0)) + Decimal(value)
            for name in METRICS:
                fact[name] += Decimal(str(country["fact"][name]))
        out.append(
            {
                "name": key,
                "title": countries[0]["title"],
                "countries": countries,
                "plan": {name: str(value) for name, value in sorted(plan.items())},
                "fact": {name: _figure(name, value) for name, value in fact.items()},
            }
        )
    return out
