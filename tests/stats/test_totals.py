"""National and region totals after the scripted story, and the projection against a replay."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from events.facts import WASTE_KINDS
from ledger.models import Fact
from ledger.projections import get
from ledger.store import read_stream
from ledger.stored import StoredFact
from stats import selectors
from stats.models import Total, VolunteerTotal
from tests.stats.history import at, fold_all


def figures(**given):
    base = {
        "events": 0,
        "participants": 0,
        "volunteers": 0,
        "headcount": 0,
        "youth": 0,
        "waste_kg": "0.000",
        "waste_kg_by_kind": dict.fromkeys(WASTE_KINDS, "0.000"),
        "trees": 0,
        "area_ha": "0.0000",
        "volunteer_hours": "0.00",
    }
    kinds = given.pop("by_kind", {})
    base.update(given)
    base["waste_kg_by_kind"] = {**base["waste_kg_by_kind"], **kinds}
    return base


VERIFIED = figures(
    events=2,
    participants=22,
    volunteers=5,
    headcount=17,
    youth=3,
    waste_kg="320.500",
    by_kind={"plastic": "120.500", "mixed": "200.000"},
    trees=40,
    # E1 Aigerim 2 h, Bolat and Dana 4 h; E2 Aigerim 2 h (12-14: 10-12 was E1's, her stays overlap)
    # and Erlan 4 h
    volunteer_hours="16.00",
)
AWAITING = figures(events=1, participants=30, headcount=30, area_ha="2.5000")


def test_national_totals_count_corrections_adjustments_and_leave_out_rejected_and_cancelled(story):
    # Given the story (correction accepted, adjustment, rejection, walk-ins, a cancelled registration
    # and a cancelled event), when the totals have caught up, then:
    totals = selectors.national_totals()

    assert totals["verified"] == VERIFIED
    assert totals["awaiting_verification"] == AWAITING
    assert totals["total"] == figures(
        events=3,
        participants=52,
        volunteers=5,
        headcount=47,
        youth=3,
        waste_kg="320.500",
        by_kind={"plastic": "120.500", "mixed": "200.000"},
        trees=40,
        area_ha="2.5000",
        volunteer_hours="16.00",
    )


def test_region_totals_split_the_national_ones(story):
    regions = {row["region"]: row for row in selectors.region_totals()}

    assert len(regions) == 20
    assert regions["KZ-71"]["total"]["events"] == 2
    assert regions["KZ-71"]["total"]["participants"] == 45
    assert regions["KZ-71"]["verified"]["waste_kg"] == "320.500"
    assert regions["KZ-71"]["awaiting_verification"]["area_ha"] == "2.5000"
    assert regions["KZ-10"]["total"]["trees"] == 40
    assert regions["KZ-10"]["total"]["volunteer_hours"] == "6.00"  # E2: Aigerim 12-14, Erlan 10-14
    assert regions["KZ-62"]["total"] == figures()


def test_the_projection_equals_a_replay_of_the_ledger(story):
    projection = get("stats.totals")
    facts = [StoredFact.from_row(row) for row in Fact.objects.order_by("position")]

    assert projection.snapshot() == projection.compute(facts)


def test_ledger_verify_passes_and_catches_a_tampered_total(story):
    out = io.StringIO()
    call_command("ledger", "verify", "stats.totals", stdout=out)

    Total.objects.filter(scope="region", key="KZ-10", metric="trees").update(verified=41)
    with pytest.raises(CommandError):
        call_command("ledger", "verify", "stats.totals", stdout=out)


def test_a_later_correction_awaits_and_the_verified_figures_count_until_it_is_judged(story, history):
    # Given E1 verified, when the organiser corrects it again
    e1 = story.events["E1"]
    history.result(e1, waste_kg={"plastic": "20"}, headcount=0, correction="double counted")
    fold_all()

    # then the correction waits for verification and the verified figures still count, unchanged
    totals = selectors.national_totals()
    assert totals["verified"] == VERIFIED
    assert totals["awaiting_verification"] == AWAITING
    assert [f.type for f in read_stream(f"event-{e1}")][-1] == "ResultLogged"
    projection = get("stats.totals")
    assert projection.snapshot() == projection.compute(
        StoredFact.from_row(row) for row in Fact.objects.order_by("position")
    )


def test_changes_folded_in_later_batches_move_hours_tallies_and_totals(story, history):
    # Given the story folded, when later batches reschedule E2 to end an hour early, check Bolat
    # out of E1 after 3 h, and cancel E4 (each folded on its own)
    day = story.today - dt.timedelta(days=2)
    history.reschedule(story.events["E2"], starts_at=at(day, 10), ends_at=at(day, 13))
    fold_all()
    history.check_out(story.events["E1"], story.bolat, when=at(day, 13))
    fold_all()
    history.cancel(story.events["E4"])
    fold_all()

    # then hours and tallies follow, and the tables still equal a replay
    totals = selectors.national_totals()
    # E1 2+3+4, E2 1+3 (Aigerim's 10-12 is E1's: her union 10-13 counts once)
    assert totals["verified"]["volunteer_hours"] == "13.00"
    assert totals["awaiting_verification"] == figures()
    assert VolunteerTotal.objects.get(volunteer_id=story.aigerim).seconds == 3 * 3600
    assert VolunteerTotal.objects.get(volunteer_id=story.bolat).seconds == 3 * 3600
    projection = get("stats.totals")
    assert projection.snapshot() == projection.compute(
        StoredFact.from_row(row) for row in Fact.objects.order_by("position")
    )
