"""The rule of an adjustment is one (events.verification): the events projection's verified figures
(text, per figure) and the totals' (exact units) are the same figures for every adjustment."""

import pytest

from events.projections import figures_after_report, figures_after_verification, reported_figures
from events.verification import verified_result
from ledger.facts import upcast
from stats.metrics import adjusted_figures, figures_from_result, grams, square_metres

LOGGED = {
    "waste_kg": {"plastic": "120.5", "glass": "30"},
    "trees": 40,
    "tree_species": {"birch": 15, "elm": 25},
    "area_ha": "1.25",
    "headcount": 12,
}
NOTHING = {"waste_kg": None, "trees": None, "area_ha": None, "headcount": None, "tree_species": None}


def test_an_adjustment_names_what_changes_and_the_rest_keeps_the_organisers_figures():
    data = {**NOTHING, "decision": "adjusted", "waste_kg": {"plastic": "100"}, "tree_species": {"elm": 20}}

    assert verified_result(LOGGED, data) == {
        "waste_kg": {"plastic": "100", "glass": "30"},
        "trees": 35,
        "tree_species": {"birch": 15, "elm": 20},
        "area_ha": "1.25",
        "headcount": 12,
    }


def test_a_schema_1_adjustment_reads_as_it_was_meant_the_whole_breakdown():
    stored = {**NOTHING, "event_id": "e", "coordinator_id": "c", "decision": "adjusted", "result_version": 3}
    stored = {
        k: v for k, v in {**stored, "waste_kg": {"mixed": "45"}, "reason": "Weighed."}.items() if k != "tree_species"
    }

    data = upcast("ResultVerified", 1, stored)

    assert (data["waste_kg_whole"], data["tree_species"]) == (True, None)
    assert verified_result(LOGGED, data)["waste_kg"] == {"mixed": "45"}


def in_exact_units(figures: dict[str, dict]) -> dict:
    """The verified figures of the events projection, as the totals keep them."""
    verified = {name: f["verified"] for name, f in figures.items()}
    waste = {k.removeprefix("waste_kg."): grams(v) for k, v in verified.items() if k.startswith("waste_kg.")}
    return {
        "waste_g": {kind: g for kind, g in sorted(waste.items()) if g},
        "trees": int(verified["trees"]),
        "area_m2": square_metres(verified["area_ha"]),
        "headcount": int(verified["headcount"]),
    }


@pytest.mark.parametrize(
    "adjustment",
    [
        {"trees": 35},
        {"area_ha": "0.9"},
        {"headcount": 0},
        {"waste_kg": {"plastic": "100"}},  # glass left out: keeps its 30 kg
        {"waste_kg": {"plastic": "100"}, "waste_kg_whole": True},  # schema 1: glass no longer there
        {"waste_kg": {"metal": "5.5"}, "trees": 0, "area_ha": "2", "headcount": 3},
        {"waste_kg": {}},
        {"tree_species": {"elm": 20}},  # 35 trees: birch keeps its 15
        {"tree_species": {"oak": 5}, "trees": 45},
    ],
)
def test_both_projections_verify_the_same_figures(adjustment):
    data = {**NOTHING, **adjustment, "decision": "adjusted"}

    reported = reported_figures(**{k: v for k, v in LOGGED.items() if k != "tree_species"})
    events = figures_after_verification(figures_after_report(reported), data, logged=LOGGED)
    totals = adjusted_figures(figures_from_result(LOGGED), data)

    assert in_exact_units(events) == {k: v for k, v in totals.items() if k != "tree_species"}
    assert {f["status"] for f in events.values()} == {"verified"}
