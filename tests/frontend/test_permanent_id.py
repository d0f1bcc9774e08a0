"""A volunteer's permanent id is shown to nobody: not on the certificate, not on rosters.

It is the same at every event, so whoever holds it (a certificate handed to an employer, an
organiser reading a roster) could follow the person from event to event.
"""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from events.services import checkin_from_roster, registration_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def checked_in(world, dana):
    place = registration_create(actor=dana, event_id=world.soon.id)
    checkin_from_roster(actor=world.organiser, event_id=world.soon.id, registration_id=place.id)
    return place


def forms_of(volunteer_id) -> list[str]:
    return [str(volunteer_id), volunteer_id.hex, str(volunteer_id).upper()]


def test_the_certificate_names_the_volunteer_and_events_but_not_the_volunteer_id(client, world, dana, checked_in):
    client.force_login(dana)

    page = client.get("/me/certificate/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Esil embankment clean-up" in page
    assert "Dana" in page
    assert [form for form in forms_of(dana.volunteer_id) if form in page] == []
    assert "Volunteer id" not in page


def test_the_roster_shows_the_organiser_names_and_states_but_not_volunteer_ids(client, world, dana, checked_in):
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=world.organiser)[0].key}")
    client.force_login(world.organiser)

    roster = api.get(f"/api/v1/events/{world.soon.id}/roster/").json()
    console = client.get(f"/organise/events/{world.soon.id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    partial = client.get(f"/organise/events/{world.soon.id}/roster/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert [(line["name"], line["status"], line["method"]) for line in roster] == [("Dana", "registered", "roster")]
    assert "volunteer_id" not in roster[0]
    for shown in (str(roster), console, partial):
        assert [form for form in forms_of(dana.volunteer_id) if form in shown] == []
