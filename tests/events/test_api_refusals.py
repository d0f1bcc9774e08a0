"""Refusals through HTTP, each checked against the schema by the suite (tests/answers.py): every
status and code a client can meet is documented for its operation."""

import datetime as dt

import pytest

from events.passes import pass_token
from events.services import registration_cancel, registration_create

pytestmark = pytest.mark.django_db


def answer(response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


def test_the_check_in_list_is_for_the_events_organisers(event, volunteer, client_for):
    client = client_for(volunteer)

    assert answer(client.get(f"/api/v1/events/{event.id}/checkins/")) == (403, "permission_denied")
    unknown = "0190a3a4-1c2b-7d3e-8f40-5a6b7c8d9e0f"
    assert answer(client.get(f"/api/v1/events/{unknown}/checkins/")) == (404, "event_not_found")


def test_a_cancelled_place_is_not_checked_in_by_its_pass(event, volunteer, organiser, client_for, time_machine):
    place = registration_create(actor=volunteer, event_id=event.id)
    registration_cancel(actor=volunteer, registration_id=place.id)
    time_machine.move_to(event.starts_at - dt.timedelta(minutes=10), tick=False)

    response = client_for(organiser).post(f"/api/v1/events/{event.id}/checkins/pass/", {"token": pass_token(place)})

    assert answer(response) == (409, "registration_cancelled")


def test_a_check_in_undone_cannot_be_checked_out(event, volunteer, organiser, client_for, time_machine):
    place = registration_create(actor=volunteer, event_id=event.id)
    time_machine.move_to(event.starts_at - dt.timedelta(minutes=10), tick=False)
    client = client_for(organiser)
    checkin = client.post(f"/api/v1/events/{event.id}/checkins/pass/", {"token": pass_token(place)}).json()["checkin"]
    client.post(f"/api/v1/events/{event.id}/checkins/{checkin['id']}/undo/", {"reason": "Wrong person."})

    response = client.post(f"/api/v1/events/{event.id}/checkouts/", {"checkin_id": checkin["id"]})

    # (an undone check-in is no check-in at all)
    assert answer(response) == (404, "checkin_not_found")


def test_a_volunteer_not_checked_in_cannot_check_out(event, volunteer, client_for, time_machine):
    registration_create(actor=volunteer, event_id=event.id)
    time_machine.move_to(event.starts_at + dt.timedelta(hours=1), tick=False)

    response = client_for(volunteer).post(f"/api/v1/events/{event.id}/checkouts/", {})

    assert answer(response) == (409, "not_checked_in")


def test_the_capacity_cannot_fall_below_the_registered(event, volunteer, volunteers, organiser, client_for):
    for person in (volunteer, volunteers[0]):
        registration_create(actor=person, event_id=event.id)

    response = client_for(organiser).patch(f"/api/v1/events/{event.id}/", {"capacity": 1})

    assert answer(response) == (409, "capacity_below_registered")
    assert response.json()["error"]["fields"] == {"capacity": ["2 volunteers are registered."]}
