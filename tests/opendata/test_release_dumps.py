"""The dump registry in the release: every public dump one row, the liquidation rate by region and
nationally, a valid package, the same bytes for the same facts."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
import zipfile

import pytest
from frictionless import Package
from rest_framework.test import APIClient

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
from opendata.release import release_make
from tests.opendata.conftest import ABAI, ASTANA, ULYTAU
from tests.stats.history import COORDINATOR, ORGANISER, at, fold_all

pytestmark = pytest.mark.django_db

SOURCE = "kazcosmos"
REPORTER = uuid.UUID("00000000-0000-0000-0000-0000000000b7")
R1, R2, R3, R4, R5 = (uuid.UUID(f"00000000-0000-0000-0000-0000000d000{n}") for n in range(1, 6))
M1, M2, M3 = (imported_dump_id(SOURCE, f"KC-{n}") for n in range(1, 4))


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()


def _imported(dump_id, source_id, region, point, size, area, detected_on) -> DumpImported:
    return DumpImported(
        dump_id=dump_id,
        source=SOURCE,
        source_id=source_id,
        region=region,
        latitude=point[0],
        longitude=point[1],
        size=size,
        area_m2=area,
        detected_on=detected_on,
        row_digest=source_id.lower() * 8,
    )


def _reported(dump_id, point, note="Bags behind the garages.") -> DumpReported:
    return DumpReported(
        dump_id=dump_id,
        reporter_id=REPORTER,
        region=ASTANA,
        latitude=point[0],
        longitude=point[1],
        size="10_100_m2",
        waste_kinds=["plastic", "mixed"],
        note=note,
    )


@pytest.fixture
def registry(world) -> dict:
    """The world's events, and eight dumps, ten days ago to yesterday:

    M1 monitoring, Astana, 250 m²: cleared by E1 (liquidated).
    M2 monitoring, Abai, 40 m²: cleared by E2, then reopened (found, open).
    M3 monitoring, Ulytau: dismissed, a false detection (public, not found).
    R1 a report in Astana, confirmed (found, open), R5 merged into it before confirmation.
    R2 a report no one decided on, R3 a report dismissed, R4 a report confirmed and then hidden.
    """
    ten, five, two, one = (world.today - dt.timedelta(days=days) for days in (10, 5, 2, 1))
    e1, e2 = str(world.events["E1"]), str(world.events["E2"])
    times = {}

    def append(dump_id, facts, when):
        store.append(f"dump-{dump_id}", facts, occurred_at=when)
        times.setdefault(dump_id, []).append(when)

    append(M1, [_imported(M1, "KC-1", ASTANA, (51.1801, 71.4462), "over_100_m2", "250.00", ten)], at(ten, 8))
    append(M2, [_imported(M2, "KC-2", ABAI, (50.4111, 80.2275), "10_100_m2", "40.00", ten)], at(ten, 9))
    append(M3, [_imported(M3, "KC-3", ULYTAU, (47.7833, 67.7144), "under_10_m2", None, None)], at(ten, 10))
    append(R1, [_reported(R1, (51.1283, 71.4305))], at(five, 9))
    append(R5, [_reported(R5, (51.12834, 71.4305), note="The same garages.")], at(five, 11))
    append(R5, [DumpMerged(R5, R1, COORDINATOR, "the same dump")], at(five, 12))
    append(R1, [DumpConfirmed(R1, COORDINATOR)], at(five, 13))
    append(R2, [_reported(R2, (51.1500, 71.4000))], at(five, 14))
    append(R3, [_reported(R3, (51.1600, 71.4100))], at(five, 15))
    append(R3, [DumpDismissed(R3, COORDINATOR, "a building site, not a dump")], at(five, 16))
    append(R4, [_reported(R4, (51.1700, 71.4200))], at(five, 17))
    append(R4, [DumpConfirmed(R4, COORDINATOR)], at(five, 18))
    append(R4, [DumpHidden(R4, COORDINATOR, "the note named a neighbour")], at(five, 19))
    append(M3, [DumpDismissed(M3, COORDINATOR, "a false detection: a quarry")], at(five, 20))
    append(M1, [DumpLinked(M1, world.events["E1"], ORGANISER)], at(ten, 12))
    append(M1, [DumpLiquidated(M1, world.events["E1"], 2, COORDINATOR, "cleared")], at(one, 9))
    append(M2, [DumpLinked(M2, world.events["E2"], ORGANISER)], at(ten, 12))
    append(M2, [DumpLiquidated(M2, world.events["E2"], 1, COORDINATOR)], at(two, 18))
    append(M2, [DumpReopened(M2, COORDINATOR, "new bags after a week")], at(one, 10))
    fold_all()  # the dumps' figures are folded with the totals
    return {"ten": ten, "five": five, "two": two, "one": one, "E1": e1, "E2": e2}


def _rows(release, file_name: str) -> list[dict]:
    body = APIClient().get(f"/api/v1/open-data/releases/{release.name}/{file_name}").getvalue()
    return list(csv.DictReader(io.StringIO(body.decode())))


def test_every_public_dump_is_one_row_and_no_report_before_its_confirmation(world, registry):
    release = release_make(day=world.today)

    rows = _rows(release, "dumps.csv")

    ten, five, one = registry["ten"], registry["five"], registry["one"]
    blank = {"source_id": "", "area_m2": "", "detected_on": "", "liquidated_at": "", "reopened_at": ""}
    blank |= {"cleared_by_event_id": "", "merged_into": ""}
    blank |= {"source": SOURCE, "waste_kinds": "[]"}

    def imported(hour: int) -> dict:
        return {"found_at": _utc(at(ten, hour)), "confirmed_at": _utc(at(ten, hour))}

    assert rows == [
        {
            **blank,
            **imported(8),
            "dump_id": str(M1),
            "source_id": "KC-1",
            "region": ASTANA,
            "status": "liquidated",
            "size": "over_100_m2",
            "area_m2": "250.00",
            "latitude": "51.1801",
            "longitude": "71.4462",
            "detected_on": ten.isoformat(),
            "liquidated_at": _utc(at(one, 9)),
            "cleared_by_event_id": registry["E1"],
        },
        {
            **blank,
            **imported(9),
            "dump_id": str(M2),
            "source_id": "KC-2",
            "region": ABAI,
            "status": "confirmed",  # reopened: on the ground again, E2's clearing only in its history
            "size": "10_100_m2",
            "area_m2": "40.00",
            "latitude": "50.4111",
            "longitude": "80.2275",
            "detected_on": ten.isoformat(),
            "reopened_at": _utc(at(one, 10)),
        },
        {
            **blank,
            **imported(10),
            "dump_id": str(M3),
            "source_id": "KC-3",
            "region": ULYTAU,
            "status": "dismissed",  # a false detection of monitoring: public from its import, for ever
            "size": "under_10_m2",
            "latitude": "47.7833",
            "longitude": "67.7144",
        },
        {
            **blank,
            "dump_id": str(R1),
            "source": "report",
            "region": ASTANA,
            "status": "confirmed",
            "size": "10_100_m2",
            "waste_kinds": '["plastic", "mixed"]',
            "latitude": "51.1283",
            "longitude": "71.4305",
            "found_at": _utc(at(five, 9)),
            "confirmed_at": _utc(at(five, 13)),
        },
    ]
    # R2 (undecided), R3 (dismissed) and R5 (merged) were never public; R4 is hidden by moderation.
    # No column names a person, and a report's note (a person's words) stays in the feed only.
    assert str(REPORTER) not in json.dumps(rows) and "garages" not in json.dumps(rows)


def test_the_liquidation_rate_is_the_registry_s_by_region_and_nationally(world, registry):
    release = release_make(day=world.today)

    rows = {row["region"]: row for row in _rows(release, "dump_liquidation.csv")}

    assert list(rows)[0] == "KZ" and len(rows) == 21
    figures = {code: (row["found"], row["liquidated"], row["rate"]) for code, row in rows.items()}
    assert figures["KZ"] == ("3", "1", "0.3333")
    assert figures[ASTANA] == ("2", "1", "0.5000")  # M1 liquidated, R1 open; R4 hidden counts nowhere
    assert figures[ABAI] == ("1", "0", "0.0000")  # M2 reopened
    assert figures[ULYTAU] == ("0", "0", "")  # M3 dismissed: nothing found
    answer = APIClient().get("/api/v1/dumps/rates/").json()
    assert (answer["national"]["found"], answer["national"]["liquidated"], answer["national"]["rate"]) == (
        3,
        1,
        "0.3333",
    )


def test_the_package_with_dumps_is_valid_and_says_what_each_column_means(world, registry, tmp_path):
    release = release_make(day=world.today)
    body = APIClient().get(f"/api/v1/open-data/releases/{release.name}/datapackage.zip").getvalue()
    with zipfile.ZipFile(io.BytesIO(body)) as zipped:
        zipped.extractall(tmp_path)

    report = Package(str(tmp_path / "datapackage.json")).validate()

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    resources = {r["name"]: r for r in json.loads((tmp_path / "datapackage.json").read_text())["resources"]}
    dumps, rates = resources["dumps"]["schema"], resources["dump_liquidation"]["schema"]
    assert dumps["primaryKey"] == ["dump_id"] and rates["primaryKey"] == ["region"]
    assert {f["name"]: f["type"] for f in rates["fields"]} == {
        "region": "string",
        "found": "integer",
        "liquidated": "integer",
        "rate": "number",
    }
    types = {f["name"]: f["type"] for f in dumps["fields"]}
    assert (types["waste_kinds"], types["latitude"], types["detected_on"], types["reopened_at"]) == (
        "array",
        "number",
        "date",
        "datetime",
    )
    assert all(f.get("description") for f in dumps["fields"] + rates["fields"])


def test_the_same_facts_make_the_same_bytes(world, registry):
    first = release_make(day=world.today)

    second = release_make(day=world.today + dt.timedelta(days=1))  # another release, no new fact

    digests = {release.name: {f["name"]: f["sha256"] for f in release.files} for release in (first, second)}
    for name in ("dumps.csv", "dump_liquidation.csv", "facts.csv"):
        assert digests[first.name][name] == digests[second.name][name], name


def test_the_stats_answers_carry_the_dumps_figures_the_release_publishes(world, registry):
    release = release_make(day=world.today)
    published = {row["region"]: row for row in _rows(release, "dump_liquidation.csv")}

    national = APIClient().get("/api/v1/stats/national/").json()["data"]
    astana = APIClient().get(f"/api/v1/stats/regions/{ASTANA}/").json()["data"]
    ulytau = APIClient().get(f"/api/v1/stats/regions/{ULYTAU}/").json()["data"]

    assert national["dumps"] == {"found": 3, "liquidated": 1, "rate": "0.3333"}
    assert astana["dumps"] == {"found": 2, "liquidated": 1, "rate": "0.5000"}
    assert ulytau["dumps"] == {"found": 0, "liquidated": 0, "rate": None}
    assert (published["KZ"]["found"], published["KZ"]["rate"]) == (str(national["dumps"]["found"]), "0.3333")
