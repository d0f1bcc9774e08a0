"""Reads of dumps: the public list and page, its history, the duplicates near a point, the
coordinator's worklist, and the liquidation rate by region and nationally."""

from __future__ import annotations

import datetime as dt
import math
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Max, Min, Q, QuerySet

from dumps.errors import DumpNotFound
from dumps.facts import dump_stream
from dumps.models import Dump
from dumps.places import distance_m
from ledger.models import Fact
from ledger.store import read_stream
from reference.models import Region
from volunteers.models import User
from volunteers.roles import is_admin, is_coordinator_of

OPEN = (Dump.Status.REPORTED, Dump.Status.CONFIRMED)
METRES_PER_DEGREE = 111_320  # of latitude, and of longitude at the equator


def public_dumps() -> QuerySet[Dump]:
    """The dumps the public sees: published (confirmed or imported) and not hidden by moderation."""
    return Dump.objects.filter(published=True, hidden=False)


def dump_list(*, region: str | None = None, status: str | None = None) -> QuerySet[Dump]:
    dumps = public_dumps().select_related("region")
    if region:
        dumps = dumps.filter(region_id=region)
    if status:
        dumps = dumps.filter(status=status)
    return dumps


def may_see_dump(user: User | None, dump: Dump) -> bool:
    """The public sees public dumps; the region's coordinator and the reporter see theirs always."""
    if dump.published and not dump.hidden:
        return True
    if user is None or not user.is_authenticated:
        return False
    return is_coordinator_of(user, dump.region_id) or dump.reporter_id == user.volunteer_id


def dump_get(*, dump_id: uuid.UUID | str, user: User | None = None) -> Dump:
    """A dump the user may see, or `dump_not_found` (an unpublished one is not even said to exist)."""
    try:
        dump_id = uuid.UUID(str(dump_id))
    except ValueError:
        raise DumpNotFound() from None
    dump = Dump.objects.select_related("region").filter(pk=dump_id).first()
    if dump is None or not may_see_dump(user, dump):
        raise DumpNotFound()
    return dump


@dataclass(frozen=True)
class Step:
    """One fact of a dump's history as its page shows it: what, when, why, which event. No person."""

    version: int
    type: str
    occurred_at: object
    reason: str
    event_id: str | None
    into_dump_id: str | None


def dump_history(dump: Dump) -> list[Step]:
    """The dump's facts in order, as a public page may show them (no reporter, no coordinator)."""
    return [
        Step(
            version=fact.version,
            type=fact.type,
            occurred_at=fact.occurred_at,
            reason=str(fact.data.get("reason", "")),
            event_id=fact.data.get("event_id"),
            into_dump_id=fact.data.get("into_dump_id"),
        )
        for fact in read_stream(dump_stream(dump.id))
    ]


def dump_candidates(
    *, latitude: float, longitude: float, exclude: uuid.UUID | None = None, metres: float | None = None
) -> list[tuple[Dump, float]]:
    """Open dumps within TAZA_DUMP_SAME_PLACE_METRES of the point, nearest first, with their distance.

    A box of that half-width around the point is asked of the index; the sphere decides."""
    metres = settings.TAZA_DUMP_SAME_PLACE_METRES if metres is None else metres
    dlat = metres / METRES_PER_DEGREE
    dlon = metres / (METRES_PER_DEGREE * max(math.cos(math.radians(latitude)), 0.01))
    near = Dump.objects.filter(
        status__in=OPEN,
        hidden=False,
        latitude__range=(latitude - dlat, latitude + dlat),
        longitude__range=(longitude - dlon, longitude + dlon),
    ).exclude(pk=exclude)
    found = [(dump, distance_m(latitude, longitude, dump.latitude, dump.longitude)) for dump in near]
    return sorted(((d, m) for d, m in found if m <= metres), key=lambda pair: pair[1])


def dumps_to_decide(user: User) -> QuerySet[Dump]:
    """The coordinator's worklist: the reports of their region waiting for confirmation or dismissal
    (an admin's: every region's), oldest first."""
    dumps = Dump.objects.filter(status=Dump.Status.REPORTED, hidden=False).select_related("region")
    if not is_admin(user):
        dumps = dumps.filter(region_id=getattr(user, "coordinator_region_id", None))
    return dumps.order_by("reported_at", "id")


@dataclass(frozen=True)
class LiquidationRate:
    """Of the dumps found and confirmed (monitoring's, and reports a coordinator confirmed), how many
    are liquidated. A reopened dump counts as found and not liquidated again."""

    region: Region | None  # None: the whole country
    found: int
    liquidated: int

    @property
    def rate(self) -> Decimal | None:
        """liquidated / found, as a fraction to 4 places; None when nothing was found."""
        if not self.found:
            return None
        return (Decimal(self.liquidated) / Decimal(self.found)).quantize(Decimal("0.0001"))

    @property
    def percent(self) -> Decimal | None:
        return None if self.rate is None else (self.rate * 100).quantize(Decimal("0.1"))


COUNTED = (Dump.Status.CONFIRMED, Dump.Status.LIQUIDATED)


def liquidation_rates() -> tuple[LiquidationRate, list[LiquidationRate]]:
    """The national rate and each region's (every region, those with no dump at zero found)."""
    counts = {
        row["region_id"]: row
        for row in public_dumps()
        .filter(status__in=COUNTED)
        .values("region_id")
        .annotate(found=Count("id"), liquidated=Count("id", filter=Q(status=Dump.Status.LIQUIDATED)))
    }
    regions = [
        LiquidationRate(
            region=region,
            found=counts.get(region.code, {}).get("found", 0),
            liquidated=counts.get(region.code, {}).get("liquidated", 0),
        )
        for region in Region.objects.order_by("code")
    ]
    national = LiquidationRate(
        region=None, found=sum(r.found for r in regions), liquidated=sum(r.liquidated for r in regions)
    )
    return national, regions


def liquidation_rate(*, region: str | None = None) -> LiquidationRate:
    """One region's rate (its ISO 3166-2 code), or the national one: as `liquidation_rates` counts."""
    national, regions = liquidation_rates()
    if region is None:
        return national
    return next(rate for rate in regions if rate.region.code == region)


@dataclass(frozen=True)
class DumpDates:
    """When a dump was confirmed and last reopened, which its row does not keep."""

    confirmed_at: dt.datetime | None  # its first confirmation; a monitoring row's first import
    reopened_at: dt.datetime | None  # its last reopening


def dump_dates() -> dict[str, DumpDates]:
    """Every dump's dates, by dump id, read from its facts (one query, on the ledger's type index).

    A monitoring row enters confirmed (projections.py: the source vouches for it), so its first
    import is its confirmation."""
    dates: dict[str, dict[str, dt.datetime]] = {}
    rows = (
        Fact.objects.filter(type__in=("DumpConfirmed", "DumpImported", "DumpReopened"), stream__startswith="dump-")
        .values("stream", "type")
        .annotate(first=Min("occurred_at"), last=Max("occurred_at"))
    )
    for row in rows:
        of = dates.setdefault(row["stream"].removeprefix("dump-"), {})
        if row["type"] == "DumpReopened":
            of["reopened_at"] = row["last"]
        else:
            of["confirmed_at"] = min(filter(None, (of.get("confirmed_at"), row["first"])))
    return {
        dump_id: DumpDates(confirmed_at=of.get("confirmed_at"), reopened_at=of.get("reopened_at"))
        for dump_id, of in dates.items()
    }
