"""The illegal dumps' figures are folded with the totals (stats.metrics.DumpState): found,
liquidated and the rate, nationally and per region, as of the answer's `as_of_position` like every
other figure, by the registry's own rule (dumps.selectors.liquidation_rates), batch by batch as in
one replay, and recounted from the public feed by `totals_recompute` (and so by the auditor)."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from dumps import selectors as registry
from dumps.facts import (
    DumpConfirmed,
    DumpDismissed,
    DumpHidden,
    DumpImported,
    DumpLinked,
    DumpLiquidated,
    DumpMerged,
    DumpReopened,
    DumpReported,
)
from dumps.services import imported_dump_id
from ledger import store
from ledger.projections import get
from ledger.runner import projection_verify
from reference.models import Region
from stats import cache as stats_cache
from stats.models import DumpFigures, Total
from tests.stats.history import COORDINATOR, ORGANISER, History, fold_all
from tests.stats.test_fold_batches import fold_in_batches, handled_facts

ASTANA, ABAI, ULYTAU = "KZ-71", "KZ-10", "KZ-11"
REPORTER = uuid.UUID("00000000-0000-0000-0000-0000000000b7")
EVENT = uuid.UUID("00000000-0000-0000-0000-0000000e0001")
R1, R2, R3, R4, R5 = (uuid.UUID(f"00000000-0000-0000-0000-0000000d000{n}") for n in range(1, 6))
M1, M2, M3 = (imported_dump_id("kazcosmos", f"KC-{n}") for n in range(1, 4))


def imported(dump_id, source_id: str, region: str, digest: str = "a") -> DumpImported:
    return DumpImported(
        dump_id=dump_id,
        source="kazcosmos",
        source_id=source_id,
        region=region,
        latitude=50.0,
        longitude=70.0,
        size="10_100_m2",
        area_m2="40.00",
        detected_on=dt.date(2025, 6, 1),
        row_digest=digest * 64,
    )


def reported(dump_id) -> DumpReported:
    return DumpReported(
        dump_id=dump_id,
        reporter_id=REPORTER,
        region=ASTANA,
        latitude=51.13,
        longitude=71.43,
        size="under_10_m2",
        waste_kinds=["mixed"],
    )


def append(dump_id, *facts) -> None:
    store.append(f"dump-{dump_id}", list(facts), occurred_at=timezone.now())


@pytest.fixture
def dumps(db, fresh_stats_cache) -> None:
    """M1 Astana liquidated; M2 Abai liquidated, then reopened; M3 Ulytau a false detection,
    dismissed, then its row changed (still dismissed); R1 a report in Astana confirmed, R5 merged
    into it; R2 undecided; R3 dismissed; R4 confirmed and hidden. Found: M1, M2, R1 (3), of which
    liquidated: M1 (1). Astana 2 found, 1 liquidated; Abai 1 and 0; Ulytau none."""
    append(M1, imported(M1, "KC-1", ASTANA))
    append(M2, imported(M2, "KC-2", ABAI))
    append(M3, imported(M3, "KC-3", ULYTAU))
    append(R1, reported(R1))
    append(R5, reported(R5))
    append(R5, DumpMerged(R5, R1, COORDINATOR, "the same dump"))
    append(R1, DumpConfirmed(R1, COORDINATOR))
    append(R2, reported(R2))
    append(R3, reported(R3))
    append(R3, DumpDismissed(R3, COORDINATOR, "a building site"))
    append(R4, reported(R4), DumpConfirmed(R4, COORDINATOR))
    append(R4, DumpHidden(R4, COORDINATOR, "the note named a neighbour"))
    append(M3, DumpDismissed(M3, COORDINATOR, "a quarry"))
    append(M3, imported(M3, "KC-3", ULYTAU, digest="b"))
    append(M1, DumpLinked(M1, EVENT, ORGANISER), DumpLiquidated(M1, EVENT, 3, COORDINATOR))
    append(M2, DumpLinked(M2, EVENT, ORGANISER), DumpLiquidated(M2, EVENT, 3, COORDINATOR))
    append(M2, DumpReopened(M2, COORDINATOR, "new bags"))


def stats_dumps(path: str) -> tuple[dict, int]:
    answer = APIClient().get(path).json()
    return answer["data"]["dumps"], answer["as_of_position"]


def registry_figures() -> dict[str, tuple[int, int]]:
    national, regions = registry.liquidation_rates()
    return {"KZ": (national.found, national.liquidated)} | {
        rate.region.code: (rate.found, rate.liquidated) for rate in regions
    }


def folded_figures() -> dict[str, tuple[int, int]]:
    rows = {
        (scope, key, metric): verified
        for scope, key, metric, verified in Total.objects.filter(metric__startswith="dumps_").values_list(
            "scope", "key", "metric", "verified"
        )
    }
    keys = {"KZ": "national"} | {code: "region" for code in registry_figures() if code != "KZ"}
    return {
        key: (rows.get((scope, key, "dumps_found"), 0), rows.get((scope, key, "dumps_liquidated"), 0))
        for key, scope in keys.items()
    }


def test_the_totals_count_the_dumps_as_the_registry_does(dumps):
    fold_all()

    assert stats_dumps("/api/v1/stats/national/")[0] == {"found": 3, "liquidated": 1, "rate": "0.3333"}
    assert stats_dumps(f"/api/v1/stats/regions/{ASTANA}/")[0] == {"found": 2, "liquidated": 1, "rate": "0.5000"}
    assert stats_dumps(f"/api/v1/stats/regions/{ABAI}/")[0] == {"found": 1, "liquidated": 0, "rate": "0.0000"}
    assert stats_dumps(f"/api/v1/stats/regions/{ULYTAU}/")[0] == {"found": 0, "liquidated": 0, "rate": None}
    regions = {row["region"]: row["dumps"] for row in APIClient().get("/api/v1/stats/regions/").json()["data"]}
    assert (regions[ASTANA], regions[ULYTAU]["found"], len(regions)) == (
        {"found": 2, "liquidated": 1, "rate": "0.5000"},
        0,
        20,
    )
    assert folded_figures() == registry_figures()
    assert DumpFigures.objects.count() == 8  # every dump reported or imported, counted or not
    assert projection_verify(name="stats.totals") == []


@pytest.mark.parametrize("size", [1, 2, 5])
def test_folded_in_batches_of_any_size_the_same_as_one_replay(dumps, size):
    facts = handled_facts()

    fold_in_batches(facts, size)

    assert len(facts) == 18  # 20 facts, the two DumpLinked not the totals'
    assert folded_figures() == registry_figures()
    projection = get("stats.totals")
    assert projection.snapshot() == projection.compute(facts)


def test_a_decision_after_the_fold_waits_for_it_with_the_position(dumps):
    """The registry moves with the append; the totals' answer keeps the figures of its position."""
    fold_all()
    before, position = stats_dumps("/api/v1/stats/national/")
    append(M2, DumpLinked(M2, EVENT, ORGANISER), DumpLiquidated(M2, EVENT, 3, COORDINATOR))
    cache.clear()

    assert (registry.liquidation_rate().liquidated, stats_dumps("/api/v1/stats/national/")) == (2, (before, position))

    fold_all()
    cache.clear()
    after, later = stats_dumps("/api/v1/stats/national/")
    assert (after, later > position) == ({"found": 3, "liquidated": 2, "rate": "0.6667"}, True)


def test_the_csv_downloads_carry_the_dumps(dumps):
    fold_all()

    national = APIClient().get("/api/v1/stats/national/?format=csv").content.decode().splitlines()
    regions = APIClient().get("/api/v1/stats/regions/?format=csv").content.decode().splitlines()

    header = national[0].split(",")
    rows = {line.split(",")[0]: dict(zip(header, line.split(","), strict=True)) for line in national[1:]}
    assert {name: rows[name]["total"] for name in ("dumps_found", "dumps_liquidated", "dumps_liquidation_rate")} == {
        "dumps_found": "3",
        "dumps_liquidated": "1",
        "dumps_liquidation_rate": "0.3333",
    }
    header = regions[0].split(",")
    astana = next(dict(zip(header, line.split(","), strict=True)) for line in regions[1:] if line.startswith(ASTANA))
    ulytau = next(dict(zip(header, line.split(","), strict=True)) for line in regions[1:] if line.startswith(ULYTAU))
    assert (astana["dumps_found"], astana["dumps_liquidated"], astana["dumps_rate"]) == ("2", "1", "0.5000")
    assert (ulytau["dumps_found"], ulytau["dumps_rate"]) == ("0", "")


def recompute(live_server) -> str:
    out = io.StringIO()
    call_command("totals_recompute", "--url", live_server.url, "--page", "5", stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_recount_from_the_feed_finds_the_same_dumps_and_catches_a_changed_one(live_server, fresh_stats_cache):
    """The feed withholds the reports until confirmed (R2, R3 and R5 are never public) and carries
    each confirmation with its region: the recount from it gives the published figures."""
    dumps.__wrapped__(None, None)
    fold_all()

    printed = recompute(live_server)

    lines = {line.split()[0]: line.split()[1:] for line in printed.splitlines() if line.startswith("dumps.")}
    assert lines == {"dumps.found": ["3", "3"], "dumps.liquidated": ["1", "1"], "dumps.rate": ["0.3333", "0.3333"]}

    Total.objects.filter(scope="national", metric="dumps_liquidated").update(verified=2)
    cache.clear()
    stats_cache.local.clear()
    with pytest.raises(CommandError, match="dumps.liquidated, dumps.rate"):
        recompute(live_server)


def test_a_campaign_target_for_dumps_is_met_by_the_dumps_its_events_liquidated(db, fresh_stats_cache):
    """The campaign asks Astana to liquidate 4 dumps. Its clean-up clears M1 and M2; M2 comes back
    and is reopened; another campaign's event clears R1. The plan counts 1 of 4 (25 %)."""
    history = History()
    today = timezone.localdate()
    campaign = history.campaign(
        starts_on=today - dt.timedelta(days=9),
        ends_on=today + dt.timedelta(days=10),
        targets=[(ASTANA, "dumps_liquidated", "4")],
    )
    other = history.campaign(starts_on=today - dt.timedelta(days=9), ends_on=today + dt.timedelta(days=10))
    organisation = uuid.uuid4()
    ours = history.event(campaign=campaign, region=ASTANA, organisation=organisation, day=today)
    theirs = history.event(campaign=other, region=ASTANA, organisation=organisation, day=today)
    append(M1, imported(M1, "KC-1", ASTANA), DumpLiquidated(M1, ours, 3, COORDINATOR))
    append(M2, imported(M2, "KC-2", ASTANA), DumpLiquidated(M2, ours, 3, COORDINATOR))
    append(M2, DumpReopened(M2, COORDINATOR, "back again"))
    append(R1, reported(R1), DumpConfirmed(R1, COORDINATOR), DumpLiquidated(R1, theirs, 3, COORDINATOR))
    fold_all()

    plan = APIClient().get(f"/api/v1/stats/campaigns/{campaign}/plan/").json()["data"]

    assert plan["regions"][0]["metrics"] == [
        {
            "metric": "dumps_liquidated",
            "target": 4,
            "achieved": 1,
            "achieved_verified": 1,
            "percent": "25.0",
            "expected_percent": "50.0",
            "on_track": False,
        }
    ]
    assert stats_dumps(f"/api/v1/stats/regions/{ASTANA}/")[0] == {"found": 3, "liquidated": 2, "rate": "0.6667"}
    assert projection_verify(name="stats.totals") == []


def test_a_region_without_a_population_figure_answers_null_within_the_schema(db, fresh_stats_cache):
    """Some divisions have no sourced population (reference/data/README.md): the figures say null
    there, per 1 000 residents included, and every answer still holds to the schema (tests/answers)."""
    Region.objects.filter(code=ULYTAU).update(population=None)
    fold_all()

    regions = {row["region"]: row for row in APIClient().get("/api/v1/stats/regions/").json()["data"]}
    ulytau = APIClient().get(f"/api/v1/stats/regions/{ULYTAU}/").json()["data"]
    board = APIClient().get("/api/v1/stats/leaderboards/regions/?metric=participants&per_1000=true").json()["data"]

    assert (regions[ULYTAU]["population"], regions[ASTANA]["population"] > 0) == (None, True)
    assert (ulytau["population"], ulytau["per_1000_residents"]["participants"]) == (None, None)
    assert next(row for row in board if row["region"] == ULYTAU)["population"] is None
