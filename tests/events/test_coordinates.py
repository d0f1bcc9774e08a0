"""Coordinates a client may send that the database cannot compute with: refused or made exact,
never a 500 (found by fuzzing: `?lat=5e-324` made PostgreSQL's radians() underflow)."""

from __future__ import annotations

import pytest

from events.models import Event
from tests.events.conftest import proposal

pytestmark = pytest.mark.django_db


def test_a_subnormal_point_is_searched_as_the_equator(event, api_client):
    response = api_client.get("/api/v1/events/", {"lat": "5e-324", "lon": "26.6", "radius_km": 5})
    assert response.status_code == 200
    assert response.json()["results"] == []


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "1e400"])
def test_a_point_that_is_not_a_finite_number_is_refused(event, api_client, value):
    response = api_client.get("/api/v1/events/", {"lat": value, "lon": "71.4", "radius_km": 5})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert list(response.json()["error"]["fields"]) == ["lat"]


def test_an_event_placed_at_a_subnormal_latitude_does_not_break_the_search(
    campaign, organiser, coordinator, client_for, api_client
):
    body = proposal(campaign, latitude=5e-324, longitude=71.43056789123)
    body = {**body, "campaign_id": str(body["campaign_id"])}
    body["starts_at"], body["ends_at"] = body["starts_at"].isoformat(), body["ends_at"].isoformat()
    created = client_for(organiser).post("/api/v1/events/", body, format="json")
    assert created.status_code == 201, created.json()
    event = Event.objects.get(pk=created.json()["id"])
    assert (event.latitude, event.longitude) == (0.0, 71.4305679)
    assert client_for(coordinator).post(f"/api/v1/events/{event.id}/approve/", {}, format="json").status_code == 200

    near_the_equator = api_client.get("/api/v1/events/", {"lat": "0.00001", "lon": "71.43", "radius_km": 5})
    assert near_the_equator.status_code == 200
    assert [e["id"] for e in near_the_equator.json()["results"]] == [str(event.id)]
    near_astana = api_client.get("/api/v1/events/", {"lat": "51.11", "lon": "71.41", "radius_km": 5})
    assert near_astana.status_code == 200
    assert near_astana.json()["results"] == []
