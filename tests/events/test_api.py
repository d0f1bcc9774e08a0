"""The events API as clients see it: lists and filters, the error format, Idempotency-Key, the pass,
and deleting one's account."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event, Registration
from events.services import checkin_from_roster, registration_create
from ledger.models import Fact
from ledger.runner import catch_up_all
from stats.selectors import national_totals
from tests.events.conftest import ALMATY
from volunteers.models import User


@pytest.fixture
def three_events(make_event, school, other_organiser, campaign, time_machine):
    """Astana in two days (approved), Astana in five days (tree planting), and a proposal not yet decided."""
    esil = make_event()
    park = make_event(
        title="Tree planting in the Botanical garden",
        kind="tree_planting",
        latitude=51.1067,
        longitude=71.4173,
        starts_at=esil.starts_at + dt.timedelta(days=3),
    )
    proposed = make_event(approved=False, title="Not decided yet")
    return esil, park, proposed


def ids(response) -> list[str]:
    return [e["id"] for e in response.json()["results"]]


def test_the_public_list_shows_approved_events_paginated_and_filtered(three_events, client_for, api_client):
    esil, park, proposed = three_events

    everything = api_client.get("/api/v1/events/", {"limit": 1})
    assert (everything.json()["count"], ids(everything), everything.json()["next"] is not None) == (
        2,
        [str(esil.id)],
        True,
    )
    assert ids(api_client.get("/api/v1/events/", {"kind": "tree_planting"})) == [str(park.id)]
    assert ids(api_client.get("/api/v1/events/", {"region": ALMATY})) == []
    day = timezone.localdate(park.starts_at).isoformat()  # the day as people in Kazakhstan name it
    assert ids(api_client.get("/api/v1/events/", {"date_from": day, "date_to": day})) == [str(park.id)]
    assert ids(api_client.get("/api/v1/events/", {"campaign": str(esil.campaign_id)})) == [str(esil.id), str(park.id)]


def test_near_a_point_lists_the_nearest_first_with_the_distance(three_events, api_client):
    esil, park, _ = three_events

    # From a point beside the Botanical garden (~0.4 km): the embankment is ~2.3 km away
    response = api_client.get("/api/v1/events/", {"lat": 51.1100, "lon": 71.4150, "radius_km": 5})
    assert ids(response) == [str(park.id), str(esil.id)]
    distances = [e["distance_km"] for e in response.json()["results"]]
    assert distances == sorted(distances) and 0.3 < distances[0] < 0.5 and 2.2 < distances[1] < 2.4

    assert ids(api_client.get("/api/v1/events/", {"lat": 43.2389, "lon": 76.8897, "radius_km": 50})) == []
    assert api_client.get("/api/v1/events/", {"lat": 51.1}, HTTP_ACCEPT_LANGUAGE="en").json()["error"] == {
        "code": "validation_error",
        "message": "Some fields are not valid.",
        "fields": {"lon": ["Give lat and lon together."]},
    }


def test_people_in_charge_see_the_proposals_others_do_not(three_events, client_for, organiser, coordinator, volunteer):
    _, _, proposed = three_events

    for person, sees in ((organiser, True), (coordinator, True), (volunteer, False)):
        listed = ids(client_for(person).get("/api/v1/events/", {"status": "proposed"}))
        assert listed == ([str(proposed.id)] if sees else []), person
    assert client_for(volunteer).get(f"/api/v1/events/{proposed.id}/").json()["error"]["code"] == "event_not_found"


def test_bad_input_is_answered_in_the_error_format_and_records_nothing(campaign, client_for, organiser):
    before = Fact.objects.count()

    response = client_for(organiser).post(
        "/api/v1/events/",
        {"campaign_id": str(campaign.id), "kind": "cleanup", "title": "x", "region": "KZ-71", "address": "y",
         "starts_at": "tomorrow", "ends_at": "2026-13-01", "capacity": "many"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert set(response.json()["error"]["fields"]) == {"starts_at", "ends_at", "capacity"}
    assert Fact.objects.count() == before


def test_a_malformed_id_is_a_json_not_found(db, client_for, volunteer):
    response = client_for(volunteer).post("/api/v1/events/not-an-id/registrations/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert response.json() == {"error": {"code": "event_not_found", "message": "There is no such event.", "fields": {}}}


def test_a_retried_registration_returns_the_first_outcome(event, client_for, volunteer):
    client = client_for(volunteer)
    url = f"/api/v1/events/{event.id}/registrations/"

    first = client.post(url, HTTP_IDEMPOTENCY_KEY="reg-1")
    retry = client.post(url, HTTP_IDEMPOTENCY_KEY="reg-1")
    unkeyed = client.post(url, HTTP_ACCEPT_LANGUAGE="en")

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert (unkeyed.status_code, unkeyed.json()["error"]["code"]) == (409, "already_registered")
    assert Fact.objects.filter(stream=event.stream, type="VolunteerRegistered").count() == 1


def test_a_key_used_for_another_request_is_refused(event, make_event, client_for, volunteer):
    other = make_event(title="Park clean-up")
    client = client_for(volunteer)
    client.post(f"/api/v1/events/{event.id}/registrations/", HTTP_IDEMPOTENCY_KEY="same-key")

    response = client.post(f"/api/v1/events/{other.id}/registrations/", HTTP_IDEMPOTENCY_KEY="same-key")

    assert (response.status_code, response.json()["error"]["code"]) == (409, "idempotency_conflict")
    assert not Registration.objects.filter(event=other).exists()


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("post", "/api/v1/events/{event}/cancel/", {"reason": "Storm."}, 200),
        ("patch", "/api/v1/events/{event}/", {"capacity": 9}, 200),
        ("post", "/api/v1/events/{event}/reschedule/", "reschedule", 200),
    ],
)
def test_keyed_organiser_writes_append_once(event, client_for, organiser, method, path, body, status):
    if body == "reschedule":
        starts = event.starts_at + dt.timedelta(days=1)
        body = {"starts_at": starts.isoformat(), "ends_at": (starts + dt.timedelta(hours=2)).isoformat()}
    client = client_for(organiser)
    url = path.format(event=event.id)

    answers = [getattr(client, method)(url, body, format="json", HTTP_IDEMPOTENCY_KEY="write-1") for _ in range(2)]

    assert [a.status_code for a in answers] == [status, status]
    assert Event.objects.get(pk=event.id).version == 3  # proposed, approved, and this write once


def test_the_pass_is_served_as_svg_to_its_volunteer_only(event, client_for, volunteer, volunteers):
    registration = registration_create(actor=volunteer, event_id=event.id)
    url = f"/api/v1/registrations/{registration.id}/pass.svg"

    mine = client_for(volunteer).get(url)
    theirs = client_for(volunteers[0]).get(url)

    assert (mine.status_code, mine["Content-Type"], mine["Cache-Control"]) == (
        200,
        "image/svg+xml",
        "private, no-store",
    )
    assert mine.content.startswith(b"<svg")
    assert (theirs.status_code, theirs.json()["error"]["code"]) == (404, "registration_not_found")


def test_a_deleted_volunteer_vanishes_from_pages_but_not_from_the_totals(
    make_event, client_for, organiser, volunteer, volunteers, time_machine
):
    # Given Dana attended a past clean-up and holds a place at an upcoming one where Aigerim waits
    past = make_event(capacity=5)
    upcoming = make_event(capacity=1, starts_at=past.starts_at + dt.timedelta(days=5))
    attended = registration_create(actor=volunteer, event_id=past.id)
    registration_create(actor=volunteer, event_id=upcoming.id)
    waiting = registration_create(actor=volunteers[0], event_id=upcoming.id)
    time_machine.move_to(past.starts_at, tick=False)
    checkin_from_roster(actor=organiser, event_id=past.id, registration_id=attended.id)
    time_machine.move_to(past.ends_at + dt.timedelta(hours=1), tick=False)
    catch_up_all()
    totals = national_totals()
    facts = list(Fact.objects.order_by("position").values_list("position", "data"))

    # When she deletes her account
    response = client_for(volunteer).post("/api/v1/account/delete/", {"confirm": True}, format="json")

    # Then the account is gone, the roster says "deleted volunteer", her upcoming place went to Aigerim …
    assert response.status_code == 204
    assert not User.objects.filter(email="dana@taza.test").exists()
    roster = client_for(organiser).get(f"/api/v1/events/{past.id}/roster/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [(line["name"], line["email"], line["method"]) for line in roster] == [("deleted volunteer", "", "roster")]
    assert Registration.objects.get(pk=waiting.id).status == "registered"
    # … the facts before are untouched, and the totals are what they were
    assert (
        list(Fact.objects.filter(position__lte=facts[-1][0]).order_by("position").values_list("position", "data"))
        == facts
    )
    catch_up_all()
    assert national_totals() == totals


def test_deleting_an_account_needs_confirmation(db, client_for, volunteer):
    response = client_for(volunteer).post("/api/v1/account/delete/", {"confirm": False}, format="json")

    assert (response.status_code, response.json()["error"]["code"]) == (400, "validation_error")
    assert User.objects.filter(pk=volunteer.pk).exists()


def test_the_list_counts_check_ins_in_its_own_query_not_once_per_event(
    make_event, organiser, volunteers, client_for, time_machine
):
    """Event.checked_in_count counts CheckIn rows (check-ins no longer touch the event's row): a
    list annotates it, so two events or six cost the same queries."""
    events = [make_event() for _ in range(6)]
    places = [registration_create(actor=volunteers[0], event_id=event.id) for event in events]
    time_machine.move_to(events[0].starts_at, tick=False)
    for event, place in zip(events, places, strict=True):
        checkin_from_roster(actor=organiser, event_id=event.id, registration_id=place.id)
    api = client_for(None)

    with CaptureQueriesContext(connection) as six:
        answer = api.get("/api/v1/events/?when=all").json()
    Event.objects.filter(pk__in=[e.id for e in events[2:]]).update(status=Event.Status.PROPOSED)
    with CaptureQueriesContext(connection) as two:
        fewer = api.get("/api/v1/events/?when=all").json()

    assert [e["checked_in_count"] for e in answer["results"]] == [1] * 6
    assert [e["checked_in_count"] for e in fewer["results"]] == [1] * 2
    assert len(six.captured_queries) == len(two.captured_queries)
