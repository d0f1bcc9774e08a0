"""A fact's meta names the request that appended it: every fact of one request shares its id, which
the answer says in X-Request-ID; another request has another."""

import uuid

import pytest

from events.services import registration_create
from ledger.models import Fact

pytestmark = pytest.mark.django_db


def correlation_ids(types: list[str]) -> list[str | None]:
    metas = Fact.objects.filter(type__in=types).order_by("position").values_list("meta", flat=True)
    return [meta["correlation_id"] for meta in metas]


def test_the_facts_of_one_request_share_its_id(event, volunteer, volunteers, client_for):
    # Given a full event (three places) with Bolat waiting
    places = [registration_create(actor=v, event_id=event.id) for v in (volunteer, *volunteers[:2])]
    registration_create(actor=volunteers[2], event_id=event.id)

    # When Dana gives her place back through the API (which promotes Bolat), sending no request id
    answer = client_for(volunteer).post(f"/api/v1/registrations/{places[0].id}/cancel/")
    # and Aigerim does too, naming her request's id
    mine = "0190a3a4-1c2b-7d3e-8f40-5a6b7c8d9e0f"
    again = client_for(volunteers[0]).post(f"/api/v1/registrations/{places[1].id}/cancel/", HTTP_X_REQUEST_ID=mine)

    # Then both facts of the first request carry the id its answer names, and the second its own
    first = answer["X-Request-ID"]
    assert uuid.UUID(first) and again["X-Request-ID"] == mine
    assert correlation_ids(["RegistrationCancelled", "WaitlistPromoted"]) == [first, first, mine]
    # (facts appended outside any request name none)
    assert correlation_ids(["VolunteerRegistered"]) == [None] * 4


def test_the_facts_say_whether_they_came_through_the_api_or_the_pages(event, volunteer, volunteers, client, client_for):
    # Given Dana registered outside any request (a shell, a command), and Aigerim on the event's page
    registration_create(actor=volunteer, event_id=event.id)
    client.force_login(volunteers[0])
    assert client.post(f"/events/{event.id}/register/").status_code == 302
    # When Bolat registers through the API
    client_for(volunteers[1]).post(f"/api/v1/events/{event.id}/registrations/")

    # Then each fact names where it came from, though no service was told
    metas = Fact.objects.filter(type="VolunteerRegistered").order_by("position").values_list("meta", flat=True)
    assert [meta["source"] for meta in metas] == ["web", "web", "api"]
