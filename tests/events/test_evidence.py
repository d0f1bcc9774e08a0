"""The evidence behind a result: the public grade of each rung, the coordinator's signals at each
rule's boundary, and both in the result API (the grade for everyone, the signals for those who
oversee the event)."""

from decimal import Decimal

import pytest
from django.test import override_settings

from events.evidence import GRADES, evidence_grade, grade_legend, result_signals
from events.services import checkin_from_roster, registration_create, result_log, result_verify


def _signals(**figures) -> list[tuple[str, str]]:
    given = {"checked_in": 0, "headcount": 0, "waste_kg": Decimal(0), "trees": 0, "area_ha": Decimal(0), **figures}
    return [(s.code, s.message) for s in result_signals(**given)]


def test_each_rung_of_the_ladder_from_the_organiser_s_word_to_verified():
    assert evidence_grade(verified=False, checked_in=0) == "organiser_word"
    assert evidence_grade(verified=False, checked_in=1) == "with_checkins"
    assert evidence_grade(verified=True, checked_in=0) == "verified"
    assert evidence_grade(verified=True, checked_in=25) == "verified"


def test_with_photos_takes_check_ins_and_after_photos_and_stays_below_verified():
    assert GRADES == ("organiser_word", "with_checkins", "with_photos", "verified")
    assert evidence_grade(verified=False, checked_in=1, after_photos=1) == "with_photos"
    assert evidence_grade(verified=False, checked_in=0, after_photos=3) == "organiser_word"  # photos alone: no rung
    assert evidence_grade(verified=True, checked_in=1, after_photos=1) == "verified"
    assert [(row["grade"], row["name"], row["meaning"]) for row in grade_legend()] == [
        (
            "organiser_word",
            "Organiser's word",
            "The figures are as the organiser reported them, with nothing recorded beside them.",
        ),
        (
            "with_checkins",
            "With check-ins",
            "Volunteers' check-ins at the event are recorded beside the organiser's figures.",
        ),
        (
            "with_photos",
            "With photos",
            "Beside the check-ins, photos taken after the work are kept with the figures.",
        ),
        ("verified", "Verified", "The region's coordinator verified the figures."),
    ]


def test_head_count_far_above_the_check_ins_is_more_than_one_and_a_half_times_them_plus_ten():
    # 4 check-ins: up to 1.5 x 4 + 10 = 16 walk-ins is no signal, 17 is.
    assert _signals(checked_in=4, headcount=16) == []
    assert _signals(checked_in=4, headcount=17) == [
        (
            "headcount_above_checkins",
            "17 people came without registering, more than 1.5 times the 4 check-ins plus 10 (16): "
            "ask how they were counted.",
        )
    ]
    # 3 check-ins: the limit is 14.5, so 14 is under it and 15 above.
    assert _signals(checked_in=3, headcount=14) == []
    assert [code for code, _ in _signals(checked_in=3, headcount=15)] == ["headcount_above_checkins"]
    # No check-in at all: ten walk-ins pass, the eleventh is a signal.
    assert _signals(headcount=10) == []
    assert [code for code, _ in _signals(headcount=11)] == ["headcount_above_checkins"]


@override_settings(
    TAZA_RESULT_MAX_WASTE_KG_PER_PARTICIPANT=500,
    TAZA_RESULT_MAX_TREES_PER_PARTICIPANT=100,
    TAZA_RESULT_MAX_AREA_HA_PER_PARTICIPANT=5,
)
def test_figures_beyond_the_plausibility_limits_per_participant_are_signals_strictly_above_them():
    # 2 checked in + 1 head-count = 3 participants: 1500 kg, 300 trees, 15 ha at most.
    at_the_limits = {"checked_in": 2, "headcount": 1}
    assert _signals(**at_the_limits, waste_kg=Decimal("1500"), trees=300, area_ha=Decimal("15")) == []
    assert _signals(**at_the_limits, waste_kg=Decimal("1500.001"), trees=301, area_ha=Decimal("15.0001")) == [
        (
            "waste_kg_above_limit",
            "1500.001 kg of waste is more than 500 kg per participant for 3 participants (1500 kg).",
        ),
        ("trees_above_limit", "301 trees is more than 100 per participant for 3 participants (300)."),
        ("area_ha_above_limit", "15.0001 ha is more than 5 ha per participant for 3 participants (15 ha)."),
    ]
    # Nobody counted: the limits are those of one participant.
    assert [code for code, _ in _signals(trees=101)] == ["trees_above_limit"]


@pytest.fixture
def attended(make_event, organiser, volunteers, time_machine):
    """A clean-up of capacity 10 where Aigerim, Bolat and Erlan were checked in from the roster."""
    event = make_event(capacity=10)
    places = [registration_create(actor=v, event_id=event.id) for v in volunteers[:3]]
    time_machine.move_to(event.starts_at, tick=False)
    for place in places:
        checkin_from_roster(actor=organiser, event_id=event.id, registration_id=place.id)
    return event


def test_the_result_api_gives_the_grade_to_everyone_and_the_signals_to_the_coordinator(
    attended, organiser, coordinator, volunteer, client_for
):
    # 3 check-ins and 20 walk-ins: more than 1.5 x 3 + 10 = 14.5.
    logged = result_log(
        actor=organiser, event_id=attended.id, waste_kg={"mixed": "120"}, trees=0, area_ha="0.5", headcount=20
    )
    url = f"/api/v1/events/{attended.id}/result/"

    public = client_for(None).get(url).json()
    assert (public["evidence_grade"], public["signals"]) == ("with_checkins", None)
    assert client_for(volunteer).get(url).json()["signals"] is None
    expected = [
        {
            "code": "headcount_above_checkins",
            "message": "20 people came without registering, more than 1.5 times the 3 check-ins plus 10 (14.5): "
            "ask how they were counted.",
        }
    ]
    assert client_for(coordinator).get(url).json()["signals"] == expected
    assert client_for(organiser).get(url).json()["signals"] == expected

    verified = client_for(coordinator).post(
        f"{url}verify/", {"decision": "accepted", "result_version": logged.version}, format="json"
    )

    assert verified.status_code == 200
    assert (verified.json()["evidence_grade"], verified.json()["signals"]) == ("verified", expected)
    assert client_for(None).get(url).json()["evidence_grade"] == "verified"


def test_a_result_without_check_ins_is_the_organiser_s_word_and_a_rejected_one_is_not_verified(
    event, organiser, coordinator, client_for, time_machine
):
    time_machine.move_to(event.starts_at, tick=False)
    logged = result_log(actor=organiser, event_id=event.id, waste_kg={"mixed": "40"}, trees=0, area_ha="0", headcount=5)
    url = f"/api/v1/events/{event.id}/result/"
    assert client_for(None).get(url).json()["evidence_grade"] == "organiser_word"

    result_verify(
        actor=coordinator, event_id=event.id, decision="rejected", result_version=logged.version, reason="Nobody came."
    )

    assert client_for(None).get(url).json()["evidence_grade"] == "organiser_word"


def test_verified_figures_keep_the_grade_while_a_correction_awaits(
    event, organiser, coordinator, client_for, time_machine
):
    time_machine.move_to(event.starts_at, tick=False)
    first = result_log(actor=organiser, event_id=event.id, waste_kg={"mixed": "40"}, trees=0, area_ha="0", headcount=5)
    result_verify(actor=coordinator, event_id=event.id, decision="accepted", result_version=first.version)
    result_log(
        actor=organiser,
        event_id=event.id,
        waste_kg={"mixed": "45"},
        trees=0,
        area_ha="0",
        headcount=5,
        correction_reason="One more bag.",
    )

    answer = client_for(None).get(f"/api/v1/events/{event.id}/result/").json()

    assert (answer["status"], answer["evidence_grade"]) == ("awaiting", "verified")
