"""The daily release: a valid Frictionless Data Package whose tables hold exactly the world's figures."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
import uuid
import zipfile

import pytest
from django.core.management import call_command
from frictionless import Package
from rest_framework.test import APIClient

from opendata.models import Release
from opendata.release import release_make
from opendata.tasks import make_release
from tests.stats.history import History, at, fold_all
from transparency.services import checkpoint_publish

pytestmark = pytest.mark.django_db

TABLES = [
    "facts",
    "events",
    "results",
    "totals_by_region",
    "totals_by_campaign",
    "plan_vs_fact",
    "timeseries",
    "errata",
    "dumps",
    "dump_liquidation",
]


def _download(url: str) -> bytes:
    answer = APIClient().get(url)
    assert answer.status_code == 200, url
    return answer.getvalue()


def _rows(body: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body.decode())))


@pytest.fixture
def release(world) -> dict:
    out = io.StringIO()
    call_command("opendata_release", stdout=out)
    assert out.getvalue().startswith(f"taza-{world.today.isoformat()}: ledger position ")
    listing = APIClient().get("/api/v1/open-data/releases/").json()
    assert listing["count"] == 1
    return listing["results"][0]


def test_the_release_is_a_valid_data_package_of_every_table_licensed_cc_by(world, release, tmp_path):
    with zipfile.ZipFile(io.BytesIO(_download(release["files"][-1]["url"]))) as zipped:
        assert sorted(zipped.namelist()) == sorted([f"{t}.csv" for t in TABLES] + ["datapackage.json"])
        zipped.extractall(tmp_path / "package")
    descriptor = json.loads((tmp_path / "package" / "datapackage.json").read_text())

    report = Package(str(tmp_path / "package" / "datapackage.json")).validate()

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert [r["name"] for r in descriptor["resources"]] == TABLES
    assert descriptor["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0",
        }
    ]
    (results,) = [r for r in descriptor["resources"] if r["name"] == "results"]
    assert [f["name"] for f in results["schema"]["fields"]] == [
        "event_id",
        "region",
        "campaign_id",
        "status",
        "evidence_grade",
        "measure",
        "detail",
        "value",
    ]
    (grade,) = [f for f in results["schema"]["fields"] if f["name"] == "evidence_grade"]
    assert grade == {
        "name": "evidence_grade",
        "type": "string",
        "description": (
            "How strong the event's figures are, weakest first: organiser_word (the organiser's figures only), "
            "with_checkins (the event has check-ins recorded), with_photos (check-ins and after-photos of the result "
            "not hidden), verified (the region's coordinator verified the figures that count)."
        ),
    }
    assert descriptor["taza"]["as_of_position"] == release["as_of_position"]
    assert descriptor["taza"]["checkpoint"] is None  # no transparency log in this world
    assert release["checkpoint"] is None
    assert release["name"] == f"taza-{world.today.isoformat()}"
    # Every file of the release is downloadable on its own, byte for byte what the zip holds.
    for file in release["files"][:-1]:
        body = _download(file["url"])
        assert body == (tmp_path / "package" / file["name"]).read_bytes()
        assert len(body) == file["bytes"]


def test_the_tables_hold_exactly_the_figures_of_the_world(world, release):
    files = {f["name"]: f["url"] for f in release["files"]}
    names = {str(event_id): name for name, event_id in world.events.items()}
    e1, e2, e4 = "E1", "E2", "E4"

    results = sorted(
        (names[row["event_id"]], row["status"], row["evidence_grade"], row["measure"], row["detail"], row["value"])
        for row in _rows(_download(files["results.csv"]))
    )
    # E4 has no check-in: the organiser's word only.
    assert results == [
        (e1, "verified", "verified", "headcount", "", "12"),
        (e1, "verified", "verified", "waste_kg", "mixed", "200.000"),
        (e1, "verified", "verified", "waste_kg", "plastic", "120.500"),
        (e2, "verified", "verified", "headcount", "", "5"),
        (e2, "verified", "verified", "trees", "", "40"),
        (e4, "awaiting", "organiser_word", "area_ha", "", "2.5000"),
        (e4, "awaiting", "organiser_word", "headcount", "", "30"),
    ]
    regions = {row["region"]: row for row in _rows(_download(files["totals_by_region.csv"]))}
    assert len(regions) == 20
    astana = regions["KZ-71"]
    # E1: 2 volunteers (Dana's check-in undone) + 12 head-count; E4: 30 head-count, awaiting.
    assert (astana["events"], astana["participants"], astana["participants_verified"]) == ("2", "44", "14")
    assert (astana["waste_kg"], astana["waste_kg_plastic"], astana["area_ha_awaiting"]) == (
        "320.500",
        "120.500",
        "2.5000",
    )
    assert (regions["KZ-10"]["trees"], regions["KZ-62"]["events"], regions["KZ-62"]["waste_kg"]) == ("40", "0", "0.000")

    (campaign,) = _rows(_download(files["totals_by_campaign.csv"]))
    assert (campaign["campaign_id"], campaign["name"], campaign["events"], campaign["participants"]) == (
        str(world.campaign),
        "Clean Kazakhstan",
        "3",
        "50",
    )
    plan = [
        (row["region"], row["metric"], row["target"], row["achieved"], row["percent"], row["on_track"])
        for row in _rows(_download(files["plan_vs_fact.csv"]))
    ]
    assert plan == [
        ("KZ-10", "trees", "200", "40", "20.0", "false"),
        ("KZ-71", "waste_kg", "600.000", "320.500", "53.4", "true"),
    ]

    series = {(row["day"], row["metric"]): row for row in _rows(_download(files["timeseries.csv"]))}
    first, second = ((world.today - dt.timedelta(days=days)).isoformat() for days in (2, 1))
    assert (series[(first, "participants")]["value"], series[(second, "participants")]["cumulative"]) == ("20", "50")
    assert series[(first, "trees")]["value"] == "40"

    errata = _rows(_download(files["errata.csv"]))
    assert [(row["kind"], row["reason"]) for row in errata] == [
        ("correction", "bags weighed again"),
        ("checkin_undone", ""),
        ("adjustment", "checked on site"),
        ("rejection", "checked on site"),
    ]
    assert json.loads(errata[1]["before"]) == {"volunteers": 3} and json.loads(errata[3]["after"] or "null") is None

    facts = _rows(_download(files["facts.csv"]))
    feed = APIClient().get("/api/v1/facts/", {"limit": 1000, "until": release["as_of_position"]}).json()["results"]
    assert [int(row["position"]) for row in facts] == [fact["position"] for fact in feed]
    assert [json.loads(row["data"]) for row in facts] == [fact["data"] for fact in feed]


def test_a_release_is_made_once_a_day_and_never_changes(world, release):
    again = release_make(day=world.today)

    assert again.name == release["name"]
    assert [f["sha256"] for f in again.files] == [f["sha256"] for f in release["files"]]
    assert Release.objects.count() == 1
    with pytest.raises(ValueError, match="immutable"):
        again.save()
    assert APIClient().get("/api/v1/open-data/releases/taza-1999-01-01/").json()["error"]["code"] == "not_found"
    assert APIClient().get(f"/api/v1/open-data/releases/{release['name']}/nothing.csv").status_code == 404


def test_beat_makes_the_day_s_release_once_however_often_it_runs(world):
    first = make_release.delay().get()
    again = make_release.delay().get()

    assert first == again == f"taza-{world.today.isoformat()}"
    assert Release.objects.get().as_of_position == max(
        f["position"] for f in APIClient().get("/api/v1/facts/", {"limit": 1000}).json()["results"]
    )


def test_a_release_names_the_log_s_checkpoint_of_its_facts(world):
    published = checkpoint_publish()  # what beat does every few minutes while facts come in

    release = release_make(day=world.today)

    facts = _rows(_download(f"/api/v1/open-data/releases/{release.name}/facts.csv"))
    package = json.loads(_download(f"/api/v1/open-data/releases/{release.name}/datapackage.json"))
    assert package["taza"]["leaves"] == len(facts) == published.size
    assert package["taza"]["checkpoint"] == release.checkpoint
    assert release.checkpoint["tree_size"] == published.size
    assert release.checkpoint["note"] == published.note
    assert base64.b64decode(release.checkpoint["root"]) == bytes(published.root)


def test_an_awaiting_result_with_check_ins_is_graded_with_check_ins_in_the_release(world):
    """E4 gets one check-in before the day's release: its rows say with_checkins, still awaiting."""
    History().check_in(world.events["E4"], uuid.uuid4(), when=at(world.today - dt.timedelta(days=1), 10))
    fold_all()

    release = release_make(day=world.today)

    rows = _rows(_download(f"/api/v1/open-data/releases/{release.name}/results.csv"))
    e4 = str(world.events["E4"])
    assert sorted((row["measure"], row["status"], row["evidence_grade"]) for row in rows if row["event_id"] == e4) == [
        ("area_ha", "awaiting", "with_checkins"),
        ("headcount", "awaiting", "with_checkins"),
    ]
    assert {row["evidence_grade"] for row in rows if row["event_id"] != e4} == {"verified"}
