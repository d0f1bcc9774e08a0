"""Results: validated figures, plausibility with a justification, corrections, verification per figure."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings

from config.errors import DomainError
from events.models import Result, ResultReport
from events.selectors import volunteer_attendance
from events.services import checkin_from_roster, registration_create, result_log, result_verify
from ledger.models import Fact
from ledger.runner import catch_up_all
from stats import cache as stats_cache
from stats import selectors as stats

FIGURES = {"waste_kg": {"plastic": "40.5", "mixed": "120"}, "trees": 0, "area_ha": "1.2", "headcount": 4}


def refused(call) -> tuple[str, dict]:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.code, caught.value.fields


@pytest.fixture
def held(event, time_machine):
    """The event, an hour after it ended."""
    time_machine.move_to(event.ends_at + dt.timedelta(hours=1), tick=False)
    return event


def test_the_first_report_awaits_verification_figure_by_figure(held, organiser):
    result = result_log(actor=organiser, event_id=held.id, **FIGURES)

    assert (result.version, result.status) == (3, "awaiting")
    assert result.figures == {
        "waste_kg.mixed": {"reported": "120", "verified": None, "status": "awaiting"},
        "waste_kg.plastic": {"reported": "40.5", "verified": None, "status": "awaiting"},
        "trees": {"reported": "0", "verified": None, "status": "awaiting"},
        "area_ha": {"reported": "1.2", "verified": None, "status": "awaiting"},
        "headcount": {"reported": "4", "verified": None, "status": "awaiting"},
    }
    fact = Fact.objects.get(stream=held.stream, version=3)
    assert fact.data["waste_kg"] == {"mixed": "120", "plastic": "40.5"}


@pytest.mark.parametrize(
    ("figures", "fields"),
    [
        ({"waste_kg": {"plastic": "-1"}}, {"waste_kg.plastic": ["Cannot be negative."]}),
        (
            {"waste_kg": {"uranium": "1"}},
            {
                "waste_kg.uranium": [
                    "Unknown kind. Choose from: mixed, plastic, paper, glass, metal, organic, hazardous."
                ]
            },
        ),
        ({"waste_kg": {"glass": "1.0005"}}, {"waste_kg.glass": ["Use at most 3 decimal places."]}),
        ({"trees": -3}, {"trees": ["Cannot be negative."]}),
        ({"area_ha": "a lot"}, {"area_ha": ["Give a number."]}),
        ({"headcount": 2.5}, {"headcount": ["Give a whole number."]}),
        ({"trees": 10, "tree_species": {"elm": 4}}, {"tree_species": ["The species add up to 4, not 10 trees."]}),
    ],
)
def test_invalid_figures_are_refused_and_nothing_is_appended(held, organiser, figures, fields):
    before = Fact.objects.count()

    assert refused(lambda: result_log(actor=organiser, event_id=held.id, **{**FIGURES, **figures})) == (
        "validation_error",
        fields,
    )
    assert Fact.objects.count() == before
    assert not Result.objects.exists()


@override_settings(TAZA_RESULT_MAX_WASTE_KG_PER_PARTICIPANT=100)
def test_figures_beyond_the_plausible_need_a_justification(held, organiser):
    # 4 head-count, nobody checked in: more than 400 kg is implausible without a word of why
    heavy = {**FIGURES, "waste_kg": {"mixed": "50000"}}

    code, fields = refused(lambda: result_log(actor=organiser, event_id=held.id, **heavy))

    assert code == "implausible_result"
    assert fields == {
        "waste_kg": ["50000 is more than 100 per participant for 4 participants."],
        "justification": ["Explain the figures above the usual limits."],
    }
    result = result_log(
        actor=organiser, event_id=held.id, **heavy, justification="An illegal dump, cleared by a loader."
    )
    assert result.figures["waste_kg.mixed"]["reported"] == "50000"


def test_results_wait_for_the_event_to_start(event, organiser):
    assert refused(lambda: result_log(actor=organiser, event_id=event.id, **FIGURES))[0] == "event_not_started"


def test_a_correction_needs_a_reason_and_overwrites_nothing(held, organiser):
    result_log(actor=organiser, event_id=held.id, **FIGURES)
    corrected = {**FIGURES, "waste_kg": {"plastic": "45", "mixed": "120"}}

    assert refused(lambda: result_log(actor=organiser, event_id=held.id, **corrected)) == (
        "correction_reason_required",
        {"correction_reason": ["Say why the result is corrected."]},
    )
    result = result_log(actor=organiser, event_id=held.id, **corrected, correction_reason="Weighed again.")

    assert result.version == 4
    assert list(ResultReport.objects.filter(event=held).values_list("version", "waste_kg", "correction_reason")) == [
        (3, {"plastic": "40.5", "mixed": "120"}, ""),
        (4, {"plastic": "45", "mixed": "120"}, "Weighed again."),
    ]


def test_participants_are_the_checked_in_plus_the_headcount(event, organiser, volunteers, time_machine):
    places = [registration_create(actor=v, event_id=event.id) for v in volunteers[:3]]
    time_machine.move_to(event.starts_at, tick=False)
    for place in places:
        checkin_from_roster(actor=organiser, event_id=event.id, registration_id=place.id)

    with override_settings(TAZA_RESULT_MAX_TREES_PER_PARTICIPANT=10):
        # 3 checked in + 2 head-count = 5 participants: 50 trees is plausible, 51 is not
        assert result_log(actor=organiser, event_id=event.id, waste_kg={}, trees=50, area_ha="0", headcount=2)
        assert refused(
            lambda: result_log(
                actor=organiser,
                event_id=event.id,
                waste_kg={},
                trees=51,
                area_ha="0",
                headcount=2,
                correction_reason="Counted again.",
            )
        )[0] == ("implausible_result")


def test_the_coordinator_adjusts_the_figures_named_the_rest_stand(held, organiser, coordinator):
    logged = result_log(actor=organiser, event_id=held.id, **FIGURES)

    result = result_verify(
        actor=coordinator,
        event_id=held.id,
        decision="adjusted",
        result_version=logged.version,
        reason="The mixed waste was weighed at the landfill.",
        waste_kg={"mixed": "100"},
        headcount=3,
    )

    assert (result.status, result.verified_version) == ("adjusted", 3)
    assert result.figures == {
        "area_ha": {"reported": "1.2", "verified": "1.2", "status": "verified"},
        "headcount": {"reported": "4", "verified": "3", "status": "verified"},
        "trees": {"reported": "0", "verified": "0", "status": "verified"},
        # each kind on its own: plastic, not adjusted, keeps the organiser's 40.5 kg
        "waste_kg.mixed": {"reported": "120", "verified": "100", "status": "verified"},
        "waste_kg.plastic": {"reported": "40.5", "verified": "40.5", "status": "verified"},
    }


def test_adjusting_one_species_keeps_the_others_and_moves_the_trees(held, organiser, coordinator):
    logged = result_log(
        actor=organiser,
        event_id=held.id,
        waste_kg={"plastic": "45"},
        trees=60,
        tree_species={"elm": 40, "pine": 20},
        area_ha="0",
        headcount=0,
    )

    result = result_verify(
        actor=coordinator,
        event_id=held.id,
        decision="adjusted",
        result_version=logged.version,
        reason="Ten elms were counted twice.",
        tree_species={"elm": 30},
    )

    assert result.figures["trees"] == {"reported": "60", "verified": "50", "status": "verified"}
    # 45 kg of plastic stay plastic: nothing becomes "mixed"
    assert result.figures["waste_kg.plastic"] == {"reported": "45", "verified": "45", "status": "verified"}
    assert "waste_kg.mixed" not in result.figures
    verification = result.event.result_verifications.get()
    assert (verification.tree_species, verification.trees) == ({"elm": 30}, None)


def test_adjusted_species_must_add_up_to_the_adjusted_trees(held, organiser, coordinator):
    logged = result_log(
        actor=organiser,
        event_id=held.id,
        waste_kg={},
        trees=60,
        tree_species={"elm": 40, "pine": 20},
        area_ha="0",
        headcount=0,
    )

    code, fields = refused(
        lambda: result_verify(
            actor=coordinator,
            event_id=held.id,
            decision="adjusted",
            result_version=logged.version,
            reason="Recounted.",
            trees=55,
            tree_species={"elm": 30},
        )
    )

    assert (code, fields) == ("validation_error", {"tree_species": ["The species add up to 50, not 55 trees."]})


def test_a_rejected_result_counts_nothing_and_a_correction_awaits_again(held, organiser, coordinator):
    logged = result_log(actor=organiser, event_id=held.id, **FIGURES)
    rejected = result_verify(
        actor=coordinator, event_id=held.id, decision="rejected", result_version=3, reason="No photos."
    )
    assert {f["status"] for f in rejected.figures.values()} == {"rejected"}

    corrected = result_log(actor=organiser, event_id=held.id, **FIGURES, correction_reason="Photos attached.")

    assert (logged.version, corrected.version, corrected.status) == (3, 5, "awaiting")
    assert {f["status"] for f in corrected.figures.values()} == {"awaiting"}


def test_verification_rules(held, organiser, coordinator, other_coordinator):
    assert (
        refused(lambda: result_verify(actor=coordinator, event_id=held.id, decision="accepted", result_version=3))[0]
        == "no_result"
    )
    result_log(actor=organiser, event_id=held.id, **FIGURES)
    result_log(actor=organiser, event_id=held.id, **FIGURES, correction_reason="Typo.")

    cases = [
        (
            {"decision": "accepted", "result_version": 3},
            ("result_outdated", {"result_version": ["The latest result is version 4."]}),
        ),
        (
            {"decision": "maybe", "result_version": 4},
            ("validation_error", {"decision": ["Choose one of: accepted, adjusted, rejected."]}),
        ),
        ({"decision": "rejected", "result_version": 4}, ("validation_error", {"reason": ["Say why."]})),
        (
            {"decision": "adjusted", "result_version": 4, "reason": "Landfill scale."},
            ("validation_error", {"non_field_errors": ["Give the figures you accept instead."]}),
        ),
        (
            {"decision": "accepted", "result_version": 4, "trees": 3},
            ("validation_error", {"trees": ["Figures are given only when adjusting."]}),
        ),
    ]
    for arguments, expected in cases:
        assert refused(lambda a=arguments: result_verify(actor=coordinator, event_id=held.id, **a)) == expected
    assert (
        refused(
            lambda: result_verify(actor=other_coordinator, event_id=held.id, decision="accepted", result_version=4)
        )[0]
        == "permission_denied"
    )

    result_verify(actor=coordinator, event_id=held.id, decision="accepted", result_version=4)
    assert (
        refused(lambda: result_verify(actor=coordinator, event_id=held.id, decision="accepted", result_version=4))[0]
        == "result_already_verified"
    )
    assert Fact.objects.filter(stream=held.stream, type="ResultVerified").count() == 1


def test_a_rejected_correction_keeps_the_hours_verified_before_it_and_a_rejected_first_report_has_none(
    make_event, organiser, coordinator, volunteers, time_machine, settings
):
    """Two clean-ups of 3 hours, Aigerim checked in at both. The first's result is accepted and a
    correction of it rejected: its figures stand, so do her 3 hours. The second's only report is
    rejected: it was not held, she has no hours there. Her page and the totals say the same."""
    settings.STATS_POSITION_TTL = 0
    kept = make_event()
    dropped = make_event(starts_at=kept.starts_at + dt.timedelta(days=1))
    for event in (kept, dropped):
        place = registration_create(actor=volunteers[0], event_id=event.id)
        time_machine.move_to(event.starts_at, tick=False)
        checkin_from_roster(actor=organiser, event_id=event.id, registration_id=place.id)
    time_machine.move_to(dropped.ends_at + dt.timedelta(hours=1), tick=False)
    first = result_log(actor=organiser, event_id=kept.id, **FIGURES)
    result_verify(actor=coordinator, event_id=kept.id, decision="accepted", result_version=first.version)
    correction = result_log(actor=organiser, event_id=kept.id, **FIGURES, correction_reason="More plastic.")
    result_verify(
        actor=coordinator, event_id=kept.id, decision="rejected", result_version=correction.version, reason="No."
    )
    only = result_log(actor=organiser, event_id=dropped.id, **FIGURES)
    result_verify(
        actor=coordinator, event_id=dropped.id, decision="rejected", result_version=only.version, reason="No."
    )

    attendances = {a.event.id: a.hours for a in volunteer_attendance(volunteer_id=volunteers[0].volunteer_id)}

    assert attendances == {kept.id: Decimal("3.00"), dropped.id: Decimal("0.00")}
    catch_up_all()
    stats_cache.local.clear()
    national = stats.national_totals()["total"]
    assert (national["volunteer_hours"], national["events"]) == ("3.00", 1)
