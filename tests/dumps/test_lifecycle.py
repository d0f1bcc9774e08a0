"""A dump's life through the API: reported, confirmed, linked to a clean-up, liquidated with the
event's verified result, reopened; dismissed with a reason; merged; and what the public sees."""

from __future__ import annotations

import datetime as dt

import pytest

from dumps.models import Dump
from events.models import Result
from events.services import result_log, result_verify
from ledger.models import Fact
from tests.dumps.conftest import ASTANA, ASTANA_POINT, north, report_body

pytestmark = pytest.mark.django_db


def rate_of(client, region: str = ASTANA) -> tuple[dict, dict]:
    answer = client.get("/api/v1/dumps/rates/").json()
    (regional,) = [r for r in answer["regions"] if r["region"] == region]
    return answer["national"], regional


def test_report_confirm_link_liquidate_reopen_and_the_rate(
    client_for, volunteer, coordinator, organiser, event, time_machine
):
    public = client_for(None)
    assert rate_of(public)[0] == {"region": None, "region_name": None, "found": 0, "liquidated": 0, "rate": None}

    # Given a volunteer's report in Astana
    answer = client_for(volunteer).post("/api/v1/dumps/", report_body(), format="json")
    assert answer.status_code == 201
    dump = answer.json()["dump"]
    assert (dump["status"], dump["region"], dump["size"], dump["waste_kinds"]) == (
        "reported",
        ASTANA,
        "10_100_m2",
        ["mixed", "plastic"],  # in the vocabulary's order: one set of kinds, one fact
    )
    assert answer.json()["same_place"] == []
    # an unconfirmed report is nobody's business but its reporter's and the coordinator's
    assert public.get(f"/api/v1/dumps/{dump['id']}/").status_code == 404
    assert public.get("/api/v1/dumps/").json()["count"] == 0

    # When the coordinator confirms it, it is public and found
    coordinating = client_for(coordinator)
    confirmed = coordinating.post(f"/api/v1/dumps/{dump['id']}/confirm/", {"reason": "Seen on site."}, format="json")
    assert (confirmed.status_code, confirmed.json()["status"]) == (200, "confirmed")
    assert public.get("/api/v1/dumps/", {"region": ASTANA, "status": "confirmed"}).json()["count"] == 1
    assert rate_of(public)[1]["found"] == 1 and rate_of(public)[1]["rate"] == "0.0000"

    # an organiser links the eco-club's clean-up to it
    linked = client_for(organiser).post(f"/api/v1/dumps/{dump['id']}/link/", {"event_id": str(event.id)}, format="json")
    assert (linked.status_code, linked.json()["event_id"]) == (200, str(event.id))

    # liquidation waits for the event's verified result
    early = coordinating.post(f"/api/v1/dumps/{dump['id']}/liquidate/", {}, format="json")
    assert (early.status_code, early.json()["error"]["code"]) == (409, "dump_not_open")
    assert early.json()["error"]["message"] == "The dump's linked event has no verified result yet."

    time_machine.move_to(event.ends_at + dt.timedelta(hours=1), tick=False)
    result = result_log(
        actor=organiser, event_id=event.id, waste_kg={"mixed": "300"}, trees=0, area_ha="0.1", headcount=6
    )
    result_verify(actor=coordinator, event_id=event.id, decision="accepted", result_version=result.version)
    liquidated = coordinating.post(
        f"/api/v1/dumps/{dump['id']}/liquidate/", {"reason": "Cleared by the clean-up."}, format="json"
    )
    assert liquidated.status_code == 200
    assert (liquidated.json()["status"], liquidated.json()["cleared_by_event_id"]) == ("liquidated", str(event.id))
    national, astana = rate_of(public)
    assert (astana["found"], astana["liquidated"], astana["rate"]) == (1, 1, "1.0000")
    assert (national["found"], national["liquidated"], national["rate"]) == (1, 1, "1.0000")

    # Then it comes back, and is reopened: found, not liquidated
    reopened = coordinating.post(
        f"/api/v1/dumps/{dump['id']}/reopen/", {"reason": "New bags a month later."}, format="json"
    )
    assert (reopened.status_code, reopened.json()["status"], reopened.json()["event_id"]) == (200, "confirmed", None)
    assert rate_of(public)[1] == {
        "region": ASTANA,
        "region_name": "Astana",
        "found": 1,
        "liquidated": 0,
        "rate": "0.0000",
    }

    page = public.get(f"/api/v1/dumps/{dump['id']}/").json()
    assert [(step["type"], step["reason"], step["event_id"]) for step in page["history"]] == [
        ("DumpReported", "", None),
        ("DumpConfirmed", "Seen on site.", None),
        ("DumpLinked", "", str(event.id)),
        ("DumpLiquidated", "Cleared by the clean-up.", str(event.id)),
        ("DumpReopened", "New bags a month later.", None),
    ]
    liquidated_fact = Fact.objects.get(stream=f"dump-{dump['id']}", type="DumpLiquidated")
    assert liquidated_fact.data["result_version"] == Result.objects.get(event_id=event.id).verified_version == 3


def test_a_dismissal_keeps_its_reason_and_the_report_stays_private(client_for, volunteer, coordinator):
    dump_id = client_for(volunteer).post("/api/v1/dumps/", report_body(), format="json").json()["dump"]["id"]

    refused = client_for(coordinator).post(f"/api/v1/dumps/{dump_id}/dismiss/", {"reason": ""}, format="json")
    assert refused.status_code == 400
    dismissed = client_for(coordinator).post(
        f"/api/v1/dumps/{dump_id}/dismiss/", {"reason": "A builder's skip, emptied weekly."}, format="json"
    )

    assert dismissed.status_code == 200
    assert (dismissed.json()["status"], dismissed.json()["status_reason"]) == (
        "dismissed",
        "A builder's skip, emptied weekly.",
    )
    mine = client_for(volunteer).get(f"/api/v1/dumps/{dump_id}/").json()
    assert [(s["type"], s["reason"]) for s in mine["history"]] == [
        ("DumpReported", ""),
        ("DumpDismissed", "A builder's skip, emptied weekly."),
    ]
    assert client_for(None).get(f"/api/v1/dumps/{dump_id}/").status_code == 404
    # neither fact is in the public feed: the report never was public
    feed = client_for(None).get("/api/v1/facts/", {"stream": f"dump-{dump_id}"}).json()
    assert feed["results"] == []


def test_only_the_regions_coordinator_decides(client_for, volunteer, other_coordinator):
    dump_id = client_for(volunteer).post("/api/v1/dumps/", report_body(), format="json").json()["dump"]["id"]

    answer = client_for(other_coordinator).post(f"/api/v1/dumps/{dump_id}/confirm/", {}, format="json")

    assert (answer.status_code, answer.json()["error"]["code"]) == (403, "coordinator_required")
    assert Fact.objects.filter(stream=f"dump-{dump_id}").count() == 1


def test_reports_within_50_m_of_an_open_dump_are_offered_as_the_same_not_at_60_m(client_for, volunteers, coordinator):
    first = client_for(volunteers[0]).post("/api/v1/dumps/", report_body(), format="json").json()["dump"]
    client_for(coordinator).post(f"/api/v1/dumps/{first['id']}/confirm/", {}, format="json")

    near = client_for(volunteers[1]).post("/api/v1/dumps/", report_body(north(45)), format="json").json()
    far = client_for(volunteers[2]).post("/api/v1/dumps/", report_body(north(60)), format="json").json()

    assert [(c["id"], c["status"], c["distance_m"]) for c in near["same_place"]] == [(first["id"], "confirmed", 45.0)]
    assert far["same_place"] == []
    nearby = client_for(None).get("/api/v1/dumps/nearby/", {"latitude": north(45)[0], "longitude": ASTANA_POINT[1]})
    assert [(c["id"], c["distance_m"]) for c in nearby.json()] == [(first["id"], 45.0)]


def test_a_coordinator_merges_a_report_into_the_known_dump(client_for, volunteers, coordinator):
    known = client_for(volunteers[0]).post("/api/v1/dumps/", report_body(), format="json").json()["dump"]["id"]
    client_for(coordinator).post(f"/api/v1/dumps/{known}/confirm/", {}, format="json")
    again = client_for(volunteers[1]).post("/api/v1/dumps/", report_body(north(20)), format="json").json()["dump"]["id"]

    merged = client_for(coordinator).post(
        f"/api/v1/dumps/{again}/merge/", {"into_dump_id": known, "reason": "The same heap."}, format="json"
    )

    assert (merged.status_code, merged.json()["status"], merged.json()["merged_into"]) == (200, "merged", known)
    assert client_for(None).get(f"/api/v1/dumps/{known}/").json()["reports_merged"] == 1
    assert client_for(None).get("/api/v1/dumps/rates/").json()["national"]["found"] == 1


def test_reports_beyond_the_hourly_limit_are_refused_with_429(client_for, volunteer, settings):
    settings.TAZA_DUMP_REPORTS_PER_HOUR = 2
    client = client_for(volunteer)
    for metres in (0, 200):
        assert client.post("/api/v1/dumps/", report_body(north(metres)), format="json").status_code == 201

    answer = client.post("/api/v1/dumps/", report_body(north(400)), format="json")

    assert answer.status_code == 429
    assert answer.json()["error"]["code"] == "too_many_reports"
    assert 3590 <= int(answer["Retry-After"]) <= 3600
    assert Dump.objects.filter(reporter_id=volunteer.volunteer_id).count() == 2


def test_the_public_form_names_no_person(client_for, volunteer, coordinator, organiser, event):
    dump_id = client_for(volunteer).post("/api/v1/dumps/", report_body(), format="json").json()["dump"]["id"]
    client_for(coordinator).post(f"/api/v1/dumps/{dump_id}/confirm/", {"reason": "Seen."}, format="json")
    client_for(organiser).post(f"/api/v1/dumps/{dump_id}/link/", {"event_id": str(event.id)}, format="json")

    feed = client_for(None).get("/api/v1/facts/", {"stream": f"dump-{dump_id}"}).json()["results"]

    assert [(fact["type"], fact["data"]) for fact in feed] == [
        (
            "DumpConfirmed",
            {
                "dump_id": dump_id,
                "region": ASTANA,
                "latitude": ASTANA_POINT[0],
                "longitude": ASTANA_POINT[1],
                "size": "10_100_m2",
                "waste_kinds": ["mixed", "plastic"],
                "note": "Behind the garages, bags and a sofa.",
                "reason": "Seen.",
            },
        ),
        ("DumpLinked", {"dump_id": dump_id, "event_id": str(event.id)}),
    ]
    text = str(feed) + str(client_for(None).get(f"/api/v1/dumps/{dump_id}/").json())
    for who in (volunteer, coordinator, organiser):
        assert str(who.volunteer_id) not in text


def test_a_hidden_dump_leaves_the_list_and_the_rate_and_its_reason_is_in_the_feed(client_for, volunteer, coordinator):
    dump_id = client_for(volunteer).post("/api/v1/dumps/", report_body(), format="json").json()["dump"]["id"]
    client_for(coordinator).post(f"/api/v1/dumps/{dump_id}/confirm/", {}, format="json")

    hidden = client_for(coordinator).post(
        f"/api/v1/dumps/{dump_id}/hide/", {"reason": "The note names a neighbour."}, format="json"
    )

    assert hidden.status_code == 200
    assert client_for(None).get(f"/api/v1/dumps/{dump_id}/").status_code == 404
    assert client_for(None).get("/api/v1/dumps/").json()["count"] == 0
    assert client_for(None).get("/api/v1/dumps/rates/").json()["national"]["found"] == 0
    feed = client_for(None).get("/api/v1/facts/", {"stream": f"dump-{dump_id}", "type": "DumpHidden"}).json()
    assert [fact["data"] for fact in feed["results"]] == [{"dump_id": dump_id, "reason": "The note names a neighbour."}]


def test_a_retried_report_answers_the_first_and_appends_nothing(client_for, volunteer):
    client = client_for(volunteer)
    first = client.post("/api/v1/dumps/", report_body(), format="json", HTTP_IDEMPOTENCY_KEY="report-1")
    again = client.post("/api/v1/dumps/", report_body(), format="json", HTTP_IDEMPOTENCY_KEY="report-1")
    other = client.post("/api/v1/dumps/", report_body(note="Else."), format="json", HTTP_IDEMPOTENCY_KEY="report-1")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["dump"]["id"] == first.json()["dump"]["id"]
    assert (other.status_code, other.json()["error"]["code"]) == (409, "idempotency_conflict")
    assert Dump.objects.count() == 1


def test_a_rejected_correction_leaves_the_clean_up_verified_to_liquidate_by_and_a_rejected_report_does_not(
    client_for, volunteer, coordinator, organiser, event, time_machine
):
    """The clean-up's result is accepted (version 3), then a correction (version 5) is rejected: the
    figures accepted stand, as in the totals, so the dump is liquidated naming version 3. Another
    event whose only report was rejected liquidates nothing."""
    coordinating = client_for(coordinator)
    dump = client_for(volunteer).post("/api/v1/dumps/", report_body(), format="json").json()["dump"]
    coordinating.post(f"/api/v1/dumps/{dump['id']}/confirm/", {"reason": ""}, format="json")
    client_for(organiser).post(f"/api/v1/dumps/{dump['id']}/link/", {"event_id": str(event.id)}, format="json")
    time_machine.move_to(event.ends_at + dt.timedelta(hours=1), tick=False)
    figures = {"waste_kg": {"mixed": "300"}, "trees": 0, "area_ha": "0.1", "headcount": 6}
    first = result_log(actor=organiser, event_id=event.id, **figures)
    result_verify(actor=coordinator, event_id=event.id, decision="accepted", result_version=first.version)
    correction = result_log(actor=organiser, event_id=event.id, **figures, correction_reason="More bags.")
    result_verify(
        actor=coordinator, event_id=event.id, decision="rejected", result_version=correction.version, reason="No."
    )
    assert Result.objects.get(event=event).status == "rejected"

    liquidated = coordinating.post(f"/api/v1/dumps/{dump['id']}/liquidate/", {"reason": ""}, format="json")

    assert (liquidated.status_code, liquidated.json()["status"]) == (200, "liquidated")
    fact = Fact.objects.get(stream=f"dump-{dump['id']}", type="DumpLiquidated")
    assert (first.version, correction.version, fact.data["result_version"]) == (3, 5, 3)


def test_an_event_whose_only_report_was_rejected_liquidates_nothing(
    client_for, volunteer, coordinator, organiser, event, time_machine
):
    coordinating = client_for(coordinator)
    dump = client_for(volunteer).post("/api/v1/dumps/", report_body(), format="json").json()["dump"]
    coordinating.post(f"/api/v1/dumps/{dump['id']}/confirm/", {"reason": ""}, format="json")
    client_for(organiser).post(f"/api/v1/dumps/{dump['id']}/link/", {"event_id": str(event.id)}, format="json")
    time_machine.move_to(event.ends_at + dt.timedelta(hours=1), tick=False)
    only = result_log(actor=organiser, event_id=event.id, waste_kg={"mixed": "3"}, trees=0, area_ha="0", headcount=1)
    result_verify(actor=coordinator, event_id=event.id, decision="rejected", result_version=only.version, reason="No.")

    refused = coordinating.post(f"/api/v1/dumps/{dump['id']}/liquidate/", {"reason": ""}, format="json")

    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "dump_not_open")
    assert Dump.objects.get(pk=dump["id"]).status == "confirmed"
    assert not Fact.objects.filter(stream=f"dump-{dump['id']}", type="DumpLiquidated").exists()
