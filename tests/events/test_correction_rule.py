"""Corrections after a verification and after the campaign closes (issue 13).

The rule: a correction after a verification awaits the coordinator like any report, and until it is
judged the verified figures are the ones that count, on the result and in the totals (a rejected
correction leaves them standing). Once the campaign is closed the organisers may no longer correct
(`campaign_closed`); a coordinator of the region may, always with a reason.
"""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from campaigns.services import campaign_close
from config.errors import DomainError
from events.services import result_log, result_verify
from ledger.models import Fact
from ledger.runner import catch_up_all
from stats import selectors as stats

FIGURES = {"waste_kg": {"plastic": "45", "mixed": "120"}, "trees": 0, "area_ha": "1.2", "headcount": 4}
LESS = {**FIGURES, "waste_kg": {"plastic": "5", "mixed": "120"}}


def refused(call) -> tuple[str, dict]:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.code, caught.value.fields


def waste(column: str) -> tuple[str, str, str]:
    catch_up_all(wait=30)  # another catch-up (a commit's, in the live server) may hold the projection
    figures = stats.national_totals()[column]
    return figures["waste_kg"], figures["waste_kg_by_kind"].get("plastic"), figures["waste_kg_by_kind"].get("mixed")


@pytest.fixture(autouse=True)
def fresh_cache(fresh_stats_cache):
    """Stats answers read anew (tests/conftest.py): the last test recounts from the live feed."""


@pytest.fixture
def held(event, time_machine):
    time_machine.move_to(event.ends_at + dt.timedelta(hours=1), tick=False)
    return event


@pytest.fixture
def verified(held, organiser, coordinator):
    result_log(actor=organiser, event_id=held.id, **FIGURES)
    return result_verify(
        actor=coordinator,
        event_id=held.id,
        decision="adjusted",
        result_version=3,
        reason="Plastic weighed at the depot.",
        waste_kg={"plastic": "40"},
    )


def test_a_correction_after_verification_awaits_and_the_verified_figures_still_count(verified, held, organiser):
    assert waste("verified") == ("160.000", "40.000", "120.000")

    corrected = result_log(actor=organiser, event_id=held.id, **LESS, correction_reason="Counted bags twice.")

    assert (corrected.version, corrected.status, corrected.verified_version) == (5, "awaiting", 3)
    assert corrected.figures["waste_kg.plastic"] == {"reported": "5", "verified": "40", "status": "awaiting"}
    assert corrected.figures["waste_kg.mixed"] == {"reported": "120", "verified": "120", "status": "awaiting"}
    # The totals keep what the coordinator verified until the correction is judged.
    assert waste("verified") == ("160.000", "40.000", "120.000")
    assert stats.national_totals()["awaiting_verification"]["waste_kg"] == "0.000"


def test_the_correction_judged_replaces_the_verified_figures(verified, held, organiser, coordinator):
    result_log(actor=organiser, event_id=held.id, **LESS, correction_reason="Counted bags twice.")

    accepted = result_verify(actor=coordinator, event_id=held.id, decision="accepted", result_version=5)

    assert (accepted.status, accepted.verified_version) == ("accepted", 5)
    assert accepted.figures["waste_kg.plastic"] == {"reported": "5", "verified": "5", "status": "verified"}
    assert waste("verified") == ("125.000", "5.000", "120.000")


def test_a_rejected_correction_leaves_the_verified_figures_standing(verified, held, organiser, coordinator):
    result_log(actor=organiser, event_id=held.id, **LESS, correction_reason="Counted bags twice.")

    rejected = result_verify(
        actor=coordinator, event_id=held.id, decision="rejected", result_version=5, reason="The bags were weighed."
    )

    assert rejected.status == "rejected"
    assert rejected.figures["waste_kg.plastic"] == {"reported": "5", "verified": "40", "status": "verified"}
    assert waste("verified") == ("160.000", "40.000", "120.000")


def test_a_first_report_rejected_counts_nowhere(held, organiser, coordinator):
    result_log(actor=organiser, event_id=held.id, **FIGURES)
    result_verify(actor=coordinator, event_id=held.id, decision="rejected", result_version=3, reason="No photos.")

    assert waste("verified") == ("0.000", "0.000", "0.000")
    assert stats.national_totals()["awaiting_verification"]["waste_kg"] == "0.000"


def test_once_the_campaign_closes_only_the_coordinator_corrects_with_a_reason(
    verified, held, organiser, coordinator, other_coordinator, admin
):
    campaign_close(actor=admin, campaign_id=held.campaign_id, reason="The season is over.")
    facts = Fact.objects.filter(stream=held.stream).count()

    assert refused(lambda: result_log(actor=organiser, event_id=held.id, **LESS, correction_reason="Late.")) == (
        "campaign_closed",
        {},
    )
    assert refused(lambda: result_log(actor=other_coordinator, event_id=held.id, **LESS, correction_reason="x"))[0] == (
        "permission_denied"
    )
    assert refused(lambda: result_log(actor=coordinator, event_id=held.id, **LESS)) == (
        "correction_reason_required",
        {"correction_reason": ["Say why the result is corrected."]},
    )
    assert Fact.objects.filter(stream=held.stream).count() == facts

    corrected = result_log(actor=coordinator, event_id=held.id, **LESS, correction_reason="Depot receipt: 5 kg.")

    assert (corrected.version, corrected.status) == (5, "awaiting")
    assert corrected.report.correction_reason == "Depot receipt: 5 kg."
    assert waste("verified") == ("160.000", "40.000", "120.000")


def test_the_api_answers_campaign_closed_with_its_code(verified, held, organiser, admin, client_for):
    campaign_close(actor=admin, campaign_id=held.campaign_id, reason="The season is over.")

    response = client_for(organiser).post(
        f"/api/v1/events/{held.id}/result/",
        {**LESS, "correction_reason": "Late."},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "campaign_closed",
        "message": "The campaign is closed: only a coordinator of the event's region may correct its result, "
        "with a reason.",
        "fields": {},
    }


@pytest.mark.django_db(transaction=True)
def test_the_recount_from_the_public_feed_follows_the_same_rule(verified, held, organiser, coordinator, live_server):
    """Verified 160 kg; a correction to 125 kg awaits, then a second is rejected: 160 kg verified
    throughout, by the totals and by a recount that reads only the public feed."""
    result_log(actor=organiser, event_id=held.id, **LESS, correction_reason="Counted bags twice.")
    result_verify(actor=coordinator, event_id=held.id, decision="rejected", result_version=5, reason="Weighed.")
    result_log(actor=organiser, event_id=held.id, **LESS, correction_reason="Counted bags twice, really.")
    assert waste("verified") == ("160.000", "40.000", "120.000")
    out = io.StringIO()

    call_command("totals_recompute", "--url", live_server.url, stdout=out)

    rows = [line.split() for line in out.getvalue().splitlines()]
    lines = {row[0]: row[1:] for row in rows if row and "." in row[0]}
    assert lines["verified.waste_kg"] == ["160.000", "160.000"]
    assert lines["awaiting.waste_kg"] == ["0.000", "0.000"]
    assert out.getvalue().splitlines()[-1] == "The published national totals match the recount from the facts."
