"""The errata log through the API: one erratum of each kind, with its reason and the figures before and after."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from ledger.runner import projection_rebuild, projection_verify

pytestmark = pytest.mark.django_db

E1_BEFORE = {
    "waste_kg": "300.500",
    "waste_kg_by_kind": {"mixed": "200.000", "plastic": "100.500"},
    "trees": 0,
    "tree_species": {},
    "area_ha": "0.0000",
    "headcount": 10,
}
E1_AFTER = {**E1_BEFORE, "waste_kg": "320.500", "waste_kg_by_kind": {"mixed": "200.000", "plastic": "120.500"}}
E1_AFTER["headcount"] = 12
E2_BEFORE = {"waste_kg": "0.000", "waste_kg_by_kind": {}, "trees": 50, "tree_species": {}, "area_ha": "0.0000"}
E2_BEFORE["headcount"] = 5
E3_BEFORE = {**E2_BEFORE, "waste_kg": "500.000", "waste_kg_by_kind": {"mixed": "500.000"}, "trees": 0}
E3_BEFORE["headcount"] = 20


def _shown(entry: dict, world) -> tuple:
    names = {str(event_id): name for name, event_id in world.events.items()}
    return (
        entry["kind"],
        names[entry["event_id"]],
        entry["region"],
        entry["result_version"],
        entry["reason"],
        entry["before"],
        entry["after"],
    )


def test_every_kind_of_erratum_with_its_reason_and_figures_before_and_after_newest_first(world):
    page = APIClient().get("/api/v1/open-data/errata/").json()

    assert page["count"] == 4
    assert [_shown(entry, world) for entry in page["results"]] == [
        ("rejection", "E3", "KZ-62", 5, "checked on site", E3_BEFORE, None),
        ("adjustment", "E2", "KZ-10", 5, "checked on site", E2_BEFORE, {**E2_BEFORE, "trees": 40}),
        # The organiser's reason for undoing a check-in is about a person: the public form leaves it out.
        ("checkin_undone", "E1", "KZ-71", None, "", {"volunteers": 3}, {"volunteers": 2}),
        ("correction", "E1", "KZ-71", 10, "bags weighed again", E1_BEFORE, E1_AFTER),
    ]
    assert {entry["campaign_id"] for entry in page["results"]} == {str(world.campaign)}
    positions = [entry["position"] for entry in page["results"]]
    assert positions == sorted(positions, reverse=True)
    feed = {f["position"]: f["type"] for f in APIClient().get("/api/v1/facts/", {"limit": 1000}).json()["results"]}
    assert [feed[p] for p in positions] == ["ResultVerified", "ResultVerified", "CheckInUndone", "ResultLogged"]


def test_errata_filtered_by_region_campaign_and_kind_and_paginated(world):
    def kinds(**params) -> list[str]:
        return [entry["kind"] for entry in APIClient().get("/api/v1/open-data/errata/", params).json()["results"]]

    assert kinds(region="KZ-71") == ["checkin_undone", "correction"]
    assert kinds(region="KZ-75") == []
    assert kinds(kind="adjustment") == ["adjustment"]
    assert kinds(campaign=str(world.campaign), region="KZ-62") == ["rejection"]
    assert kinds(campaign="00000000-0000-0000-0000-000000000000") == []
    first = APIClient().get("/api/v1/open-data/errata/", {"limit": 3}).json()
    assert (first["count"], len(first["results"])) == (4, 3)
    assert [e["kind"] for e in APIClient().get(first["next"]).json()["results"]] == ["correction"]


def test_a_bad_filter_is_refused_with_the_error_contract(world):
    answer = APIClient().get("/api/v1/open-data/errata/", {"kind": "typo", "region": "KZ-00"})

    assert answer.status_code == 400
    body = answer.json()["error"]
    assert body["code"] == "validation_error"
    assert set(body["fields"]) == {"kind", "region"}


def test_the_errata_log_rebuilt_from_the_ledger_equals_the_live_tables(world):
    assert projection_verify(name="opendata.errata") == []
    before = APIClient().get("/api/v1/open-data/errata/").json()
    projection_rebuild(name="opendata.errata")
    assert APIClient().get("/api/v1/open-data/errata/").json() == before
