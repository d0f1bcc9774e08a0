"""Faking attendance and looking people up, tried through HTTP as an organiser or a stranger would.

Nobody is checked in without their consent (their own pass, their registered place, or the event
code on their own phone), no answer tells an organiser who owns an email, a wrong check-in is undone
with a reason (and the count, the hours and the totals follow), what is not yours is not found, and
a reused id or Idempotency-Key with a different request is a conflict, never the first answer.
"""

import datetime as dt
import uuid

import pytest
from django.contrib.messages import get_messages
from django.core import signing
from django.core.cache import caches
from django.core.management import call_command
from django.utils import timezone

from events.models import CheckIn, Event
from events.passes import SALT, pass_token
from ledger.models import Fact
from stats import cache as stats_cache
from tests.events.tables import event_tables
from tests.stats.history import fold_all


@pytest.fixture
def on_site(event, places, time_machine):
    time_machine.move_to(event.starts_at - dt.timedelta(minutes=10), tick=False)
    return event


def national(client) -> dict:
    """The published national totals, as the public reads them after the projections caught up."""
    fold_all()
    stats_cache.local.clear()
    caches["default"].clear()
    data = client.get("/api/v1/stats/national/").json()["data"]["total"]
    return {key: data[key] for key in ("events", "participants", "youth", "volunteer_hours")}


def forged_pass(event_id: uuid.UUID) -> str:
    """A pass the platform signed, naming the event (a pass of a place someone had there)."""
    claims = {"r": uuid.uuid4().hex, "e": event_id.hex, "v": uuid.uuid4().hex}
    return signing.dumps(claims, salt=SALT, compress=True)


def facts() -> int:
    return Fact.objects.count()


# --- consent ----------------------------------------------------------------------------------------


def test_no_answer_tells_an_organiser_who_owns_an_email(on_site, organiser, volunteers, client_for):
    # Given an organiser at their own event, and Bolat, who has an account and no place
    arman = client_for(organiser)
    before = facts()

    # When the organiser tries to check people in by email and by volunteer id, with and without accounts
    url = f"/api/v1/events/{on_site.id}/checkins/walk-in/"
    answers = [
        arman.post(url, body, format="json")
        for body in (
            {"email": "bolat@taza.test"},
            {"email": "nobody@taza.test"},
            {"volunteer_id": str(volunteers[1].volunteer_id)},
            {"volunteer_id": str(uuid.uuid4())},
        )
    ]

    # Then every answer is the same, nobody is checked in and nothing is appended
    assert {(a.status_code, a.content) for a in answers} == {(answers[0].status_code, answers[0].content)}
    assert answers[0].status_code == 404
    assert b"Bolat" not in answers[0].content
    assert not CheckIn.objects.exists()
    assert facts() == before


def test_an_offline_queue_cannot_check_in_a_person_by_volunteer_id(on_site, organiser, volunteers, client_for):
    before = facts()

    response = client_for(organiser).post(
        f"/api/v1/events/{on_site.id}/checkins/upload/",
        {
            "items": [
                {
                    "fact_id": "0190d5a2-0000-7000-8000-000000000001",
                    "checked_in_at": (on_site.starts_at - dt.timedelta(minutes=15)).isoformat(),
                    "volunteer_id": str(volunteers[1].volunteer_id),
                }
            ]
        },
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "fact_id": "0190d5a2-0000-7000-8000-000000000001",
            "status": "error",
            "checkin": None,
            "error": {
                "code": "validation_error",
                "message": "Some fields are not valid.",
                "fields": {"token": ["Give the pass token or the registration id."]},
            },
        }
    ]
    assert facts() == before
    assert not CheckIn.objects.exists()


def test_someone_without_a_place_checks_in_with_the_code_on_their_own_phone(
    on_site, organiser, volunteers, client_for, time_machine
):
    # Given Bolat, who came without a place, during the event
    time_machine.move_to(on_site.starts_at + dt.timedelta(minutes=20), tick=False)
    bolat = client_for(volunteers[1])
    url = f"/api/v1/events/{on_site.id}/checkins/code/"

    # When he types a wrong code, then the code shown on site, then again
    wrong = bolat.post(url, {"code": "NOTIT1"}, format="json")
    first = bolat.post(url, {"code": on_site.short_code.lower()}, format="json")
    again = bolat.post(url, {"code": on_site.short_code}, format="json")

    # Then he is checked in once, without a place, and the organiser sees him
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (400, "wrong_event_code")
    assert (first.status_code, again.status_code) == (201, 200)
    checkin = first.json()["checkin"]
    assert (checkin["registration_id"], checkin["method"], checkin["volunteer_name"]) == (None, "event_code", "Bolat")
    assert CheckIn.objects.get(pk=checkin["id"]).volunteer_id == volunteers[1].volunteer_id
    assert again.json() == {"checkin": checkin, "recorded": False}
    listed = client_for(organiser).get(f"/api/v1/events/{on_site.id}/checkins/").json()["results"]
    assert [c["id"] for c in listed] == [checkin["id"]]
    assert Event.objects.get(pk=on_site.id).checked_in_count == 1


def test_an_offline_id_reused_for_a_second_volunteer_is_a_conflict(on_site, organiser, places, client_for):
    # Given Dana's check-in uploaded from the phone's queue under the id the phone gave it
    arman = client_for(organiser)
    url = f"/api/v1/events/{on_site.id}/checkins/upload/"
    at = (on_site.starts_at - dt.timedelta(minutes=5)).isoformat()
    fact_id = "0190d5a2-0000-7000-8000-0000000000aa"
    dana = {"fact_id": fact_id, "checked_in_at": at, "token": pass_token(places["dana"])}
    assert arman.post(url, {"items": [dana]}, format="json").json()["results"][0]["status"] == "ok"
    before = facts()

    # When a queue sends the same id for Aigerim, by pass and by roster tick, and Dana's item again
    aigerim_pass = {"fact_id": fact_id, "checked_in_at": at, "token": pass_token(places["aigerim"])}
    aigerim_tick = {"fact_id": fact_id, "checked_in_at": at, "registration_id": str(places["aigerim"].id)}
    answers = arman.post(url, {"items": [aigerim_pass, aigerim_tick, dana]}, format="json").json()["results"]

    # Then Aigerim's items are conflicts (not "duplicate" with Dana's check-in), Dana's a duplicate
    assert [(a["status"], a["error"] and a["error"]["code"]) for a in answers] == [
        ("error", "idempotency_conflict"),
        ("error", "idempotency_conflict"),
        ("duplicate", None),
    ]
    assert [a["checkin"] for a in answers[:2]] == [None, None]
    assert answers[2]["checkin"]["registration_id"] == str(places["dana"].id)
    assert facts() == before
    assert list(CheckIn.objects.values_list("volunteer_id", flat=True)) == [places["dana"].volunteer_id]


# --- undo ---------------------------------------------------------------------------------------------


def test_the_organiser_undoes_a_wrong_check_in_and_the_count_hours_and_totals_follow(
    on_site, organiser, places, client_for, api_client, time_machine
):
    # Given Dana and Aigerim ticked on the roster at the start, and Aigerim leaving after an hour
    arman = client_for(organiser)
    time_machine.move_to(on_site.starts_at, tick=False)
    ticks = {
        name: arman.post(
            f"/api/v1/events/{on_site.id}/checkins/roster/", {"registration_id": str(place.id)}, format="json"
        ).json()["checkin"]
        for name, place in places.items()
    }
    time_machine.move_to(on_site.starts_at + dt.timedelta(hours=1), tick=False)
    out = arman.post(
        f"/api/v1/events/{on_site.id}/checkouts/",
        {"checkin_id": ticks["aigerim"]["id"]},
        format="json",
    )
    assert out.status_code == 200
    # (Aigerim's hour is credited at her check-out; Dana's time once the event ends)
    assert national(api_client) == {"events": 1, "participants": 2, "youth": 1, "volunteer_hours": "1.00"}

    # When the organiser undoes Dana's check-in (she was not there), with a key, and retries it
    url = f"/api/v1/events/{on_site.id}/checkins/{ticks['dana']['id']}/undo/"
    before = facts()
    blank = arman.post(url, {"reason": " "}, format="json", HTTP_IDEMPOTENCY_KEY="undo-dana")
    assert facts() == before
    done = arman.post(url, {"reason": "Ticked the wrong name."}, format="json", HTTP_IDEMPOTENCY_KEY="undo-dana")
    retry = arman.post(url, {"reason": "Ticked the wrong name."}, format="json", HTTP_IDEMPOTENCY_KEY="undo-dana")
    other_body = arman.post(url, {"reason": "She left."}, format="json", HTTP_IDEMPOTENCY_KEY="undo-dana")
    twice = arman.post(url, {"reason": "Ticked the wrong name."}, format="json", HTTP_IDEMPOTENCY_KEY="undo-again")

    # Then one fact is appended; the retry answers as the first time; the rest are refused
    assert (blank.status_code, blank.json()["error"]["code"], blank.json()["error"]["fields"]) == (
        400,
        "validation_error",
        {"reason": ["This field may not be blank."]},
    )
    assert done.status_code == 200
    assert done.json() == {
        "checkin_id": ticks["dana"]["id"],
        "event_id": str(on_site.id),
        "reason": "Ticked the wrong name.",
        "undone_at": timezone.localtime(on_site.starts_at + dt.timedelta(hours=1)).isoformat(),
        "checked_in_count": 1,
    }
    assert (retry.status_code, retry.json()) == (200, done.json())
    assert (other_body.status_code, other_body.json()["error"]["code"]) == (409, "idempotency_conflict")
    assert (twice.status_code, twice.json()["error"]["code"]) == (409, "checkin_already_undone")
    assert facts() == before + 1
    undone = Fact.objects.get(type="CheckInUndone")
    assert undone.data == {
        "event_id": str(on_site.id),
        "checkin_id": ticks["dana"]["id"],
        "volunteer_id": str(places["dana"].volunteer_id),
        "reason": "Ticked the wrong name.",
    }

    # And the count, the list, the hours and the national totals no longer include Dana
    listed = arman.get(f"/api/v1/events/{on_site.id}/checkins/").json()["results"]
    assert [c["id"] for c in listed] == [ticks["aigerim"]["id"]]
    assert Event.objects.get(pk=on_site.id).checked_in_count == 1
    assert national(api_client) == {"events": 1, "participants": 1, "youth": 0, "volunteer_hours": "1.00"}

    # And if she does come after all, she is checked in anew and counted again
    again = arman.post(
        f"/api/v1/events/{on_site.id}/checkins/pass/", {"token": pass_token(places["dana"])}, format="json"
    )
    assert again.status_code == 201
    assert again.json()["checkin"]["id"] != ticks["dana"]["id"]
    assert national(api_client) == {"events": 1, "participants": 2, "youth": 1, "volunteer_hours": "1.00"}
    time_machine.move_to(on_site.ends_at, tick=False)  # her 2 hours are credited once the event ends
    assert national(api_client) == {"events": 1, "participants": 2, "youth": 1, "volunteer_hours": "3.00"}

    # And the projections rebuilt from the ledger are the live ones
    live = event_tables()
    call_command("ledger", "rebuild", "--all")
    assert event_tables() == live
    call_command("ledger", "verify")
    assert national(api_client) == {"events": 1, "participants": 2, "youth": 1, "volunteer_hours": "3.00"}


def test_undoing_the_only_check_in_of_an_event_without_a_result_takes_it_out_of_the_totals(
    on_site, organiser, places, client_for, api_client, time_machine
):
    arman = client_for(organiser)
    tick = arman.post(
        f"/api/v1/events/{on_site.id}/checkins/roster/", {"registration_id": str(places["dana"].id)}, format="json"
    ).json()["checkin"]
    assert national(api_client)["events"] == 0  # checked in 10 minutes early: not held before its start
    time_machine.move_to(on_site.starts_at, tick=False)
    assert national(api_client)["events"] == 1

    undo = arman.post(f"/api/v1/events/{on_site.id}/checkins/{tick['id']}/undo/", {"reason": "Test scan."})

    assert undo.json()["checked_in_count"] == 0
    assert national(api_client) == {"events": 0, "participants": 0, "youth": 0, "volunteer_hours": "0.00"}
    call_command("ledger", "verify")


def test_who_may_undo_a_check_in(
    on_site,
    make_event,
    organiser,
    other_organiser,
    coordinator,
    other_coordinator,
    volunteer,
    places,
    client_for,
):
    # Given Dana checked in, and a check-in of another event of the eco-club
    tick = client_for(organiser).post(
        f"/api/v1/events/{on_site.id}/checkins/roster/", {"registration_id": str(places["dana"].id)}, format="json"
    )
    url = f"/api/v1/events/{on_site.id}/checkins/{tick.json()['checkin']['id']}/undo/"
    body = {"reason": "Not here."}
    before = facts()

    # When the people not in charge try, and ids that name no check-in of this event
    refusals = {
        "volunteer": client_for(volunteer).post(url, body, format="json"),
        "other_organiser": client_for(other_organiser).post(url, body, format="json"),
        "other_coordinator": client_for(other_coordinator).post(url, body, format="json"),
        "unknown": client_for(organiser).post(
            f"/api/v1/events/{on_site.id}/checkins/{uuid.uuid4()}/undo/", body, format="json"
        ),
        "malformed": client_for(organiser).post(f"/api/v1/events/{on_site.id}/checkins/x/undo/", body, format="json"),
        "other_event": client_for(organiser).post(
            f"/api/v1/events/{make_event(title='Other').id}/checkins/{tick.json()['checkin']['id']}/undo/",
            body,
            format="json",
        ),
    }

    # Then each is refused with its code and nothing is appended; the region's coordinator may
    assert {who: (r.status_code, r.json()["error"]["code"]) for who, r in refusals.items()} == {
        "volunteer": (403, "permission_denied"),
        "other_organiser": (403, "permission_denied"),
        "other_coordinator": (403, "permission_denied"),
        "unknown": (404, "checkin_not_found"),
        "malformed": (404, "checkin_not_found"),
        "other_event": (404, "checkin_not_found"),
    }
    assert facts() == before + 2  # the other event's proposal and approval
    assert client_for(coordinator).post(url, body, format="json").status_code == 200


# --- not yours = not found ------------------------------------------------------------------------------


def test_someone_elses_registration_is_not_found_to_cancel_as_to_read(event, places, volunteer, client_for):
    dana = client_for(volunteer)
    theirs = places["aigerim"].id
    before = facts()

    answers = {
        "read": dana.get(f"/api/v1/registrations/{theirs}/"),
        "cancel": dana.post(f"/api/v1/registrations/{theirs}/cancel/"),
        "pass": dana.get(f"/api/v1/registrations/{theirs}/pass/"),
        "cancel_unknown": dana.post(f"/api/v1/registrations/{uuid.uuid4()}/cancel/"),
    }

    assert {name: (a.status_code, a.json()) for name, a in answers.items()} == dict.fromkeys(
        answers,
        (404, {"error": {"code": "registration_not_found", "message": "There is no such registration.", "fields": {}}}),
    )
    assert facts() == before


def test_every_write_on_an_unpublished_event_of_others_is_not_found(
    make_event, other_organiser, other_coordinator, volunteer, client_for, time_machine
):
    # Given a proposed (not approved) event of the eco-club, during its hours
    hidden = make_event(approved=False)
    time_machine.move_to(hidden.starts_at + dt.timedelta(minutes=5), tick=False)
    base = f"/api/v1/events/{hidden.id}"
    read = client_for(volunteer).get(f"{base}/")
    assert read.status_code == 404
    before = facts()

    # When people of another organisation and region write to it
    bota, timur, dana = client_for(other_organiser), client_for(other_coordinator), client_for(volunteer)
    at = hidden.starts_at.isoformat()
    answers = {
        "register": dana.post(f"{base}/registrations/"),
        "code": dana.post(f"{base}/checkins/code/", {"code": hidden.short_code}, format="json"),
        "check_out": dana.post(f"{base}/checkouts/", {}, format="json"),
        "roster": bota.post(f"{base}/checkins/roster/", {"registration_id": str(uuid.uuid4())}, format="json"),
        "pass": bota.post(f"{base}/checkins/pass/", {"token": forged_pass(hidden.id)}, format="json"),
        "upload": bota.post(
            f"{base}/checkins/upload/",
            {"items": [{"fact_id": str(uuid.uuid4()), "checked_in_at": at, "token": "x"}]},
            format="json",
        ),
        "undo": bota.post(f"{base}/checkins/{uuid.uuid4()}/undo/", {"reason": "x"}, format="json"),
        "result": bota.post(
            f"{base}/result/", {"waste_kg": {}, "trees": 0, "area_ha": "0", "headcount": 1}, format="json"
        ),
        "verify": timur.post(f"{base}/result/verify/", {"decision": "accepted", "result_version": 3}, format="json"),
    }

    # Then every answer is the reader's 404, and nothing is appended
    assert {name: (a.status_code, a.json()) for name, a in answers.items()} == dict.fromkeys(
        answers, (read.status_code, read.json())
    )
    assert facts() == before


# --- the same Idempotency-Key with a different body -----------------------------------------------------


def test_a_result_key_reused_with_other_figures_is_a_conflict(
    on_site, organiser, coordinator, client_for, time_machine
):
    # Given a result logged with a key, at the event's end
    time_machine.move_to(on_site.ends_at, tick=False)
    arman = client_for(organiser)
    url = f"/api/v1/events/{on_site.id}/result/"
    figures = {"waste_kg": {"plastic": "12.5"}, "trees": 0, "area_ha": "0.2", "headcount": 4}
    first = arman.post(url, figures, format="json", HTTP_IDEMPOTENCY_KEY="result-1")
    before = facts()

    # When the client retries it, and sends a corrected figure under the same key
    retry = arman.post(url, figures, format="json", HTTP_IDEMPOTENCY_KEY="result-1")
    corrected = {**figures, "waste_kg": {"plastic": "21.5"}, "correction_reason": "Weighed again."}
    changed = arman.post(url, corrected, format="json", HTTP_IDEMPOTENCY_KEY="result-1")

    # Then the retry answers as the first time; the correction is refused, not told it succeeded
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert (changed.status_code, changed.json()["error"]["code"]) == (409, "idempotency_conflict")
    assert facts() == before

    # And the coordinator's verdict: the same key with another decision is refused too
    saule = client_for(coordinator)
    verify = f"/api/v1/events/{on_site.id}/result/verify/"
    version = first.json()["version"]
    accepted = saule.post(
        verify, {"decision": "accepted", "result_version": version}, format="json", HTTP_IDEMPOTENCY_KEY="v-1"
    )
    accepted_again = saule.post(
        verify, {"decision": "accepted", "result_version": version}, format="json", HTTP_IDEMPOTENCY_KEY="v-1"
    )
    rejected = saule.post(
        verify,
        {"decision": "rejected", "result_version": version, "reason": "No photos."},
        format="json",
        HTTP_IDEMPOTENCY_KEY="v-1",
    )
    adjusted = saule.post(
        verify,
        {"decision": "adjusted", "result_version": version, "reason": "Scale.", "headcount": 2},
        format="json",
        HTTP_IDEMPOTENCY_KEY="v-1",
    )
    assert (accepted.status_code, accepted_again.status_code) == (200, 200)
    assert accepted_again.json() == accepted.json()
    assert [(r.status_code, r.json()["error"]["code"]) for r in (rejected, adjusted)] == [
        (409, "idempotency_conflict"),
        (409, "idempotency_conflict"),
    ]
    assert facts() == before + 1
    assert accepted.json()["status"] == "accepted"


def test_the_event_page_takes_the_code_from_someone_who_came_without_a_place(on_site, volunteers, client, time_machine):
    # Given Bolat, signed in on his own phone during the event, without a place
    time_machine.move_to(on_site.starts_at + dt.timedelta(minutes=20), tick=False)
    client.force_login(volunteers[1])
    page = client.get(f"/events/{on_site.id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    url = f"/events/{on_site.id}/check-in/"
    assert f'action="{url}"' in page

    # When he types a wrong code, then the right one
    wrong = client.post(url, {"code": "NOTIT1"}, HTTP_ACCEPT_LANGUAGE="en")
    right = client.post(url, {"code": on_site.short_code}, HTTP_ACCEPT_LANGUAGE="en")

    # Then he is checked in once, without a place, by the code
    assert [m.message for m in get_messages(right.wsgi_request)] == [
        "The event code is not right. This is not the event's code.",
        "You are checked in. Thank you for coming!",
    ]
    # (each answer is shown on his check-in page, the wrong code kept in the field to correct)
    assert (wrong.url, right.url) == (f"{url}?code=NOTIT1", url)
    assert list(CheckIn.objects.values_list("volunteer_id", "registration_id", "method")) == [
        (volunteers[1].volunteer_id, None, "event_code")
    ]
