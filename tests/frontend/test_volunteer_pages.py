"""A volunteer's pages without JavaScript: register, waitlist, cancel, pass, profile, language, deletion."""

import re

import pytest
from django.contrib.messages import get_messages

from events.models import Registration
from events.passes import pass_code, pass_token
from events.services import registration_create
from ledger.models import Fact
from tests.browser.world import person
from volunteers.models import User

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_volunteer_registers_with_a_plain_form_and_is_sent_back_to_the_event(client, world, dana):
    client.force_login(dana)

    response = client.post(f"/events/{world.soon.id}/register/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    assert response.url == f"/events/{world.soon.id}/"
    assert messages_of(response) == ["You are registered. Your pass is in My events."]
    registration = Registration.objects.get(event=world.soon)
    assert (registration.volunteer_id, registration.status) == (dana.volunteer_id, "registered")
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'<a class="button" href="/me/passes/{registration.id}/">Show my pass</a>' in page


def test_when_the_places_are_gone_the_volunteer_joins_the_waitlist_with_a_number(client, world, dana):
    koktal = world.later[1]  # two places
    for name in ("aliya", "bolat"):
        registration_create(actor=person(f"{name}@taza.test", name.title()), event_id=koktal.id)
    client.force_login(dana)

    response = client.post(f"/events/{koktal.id}/register/", HTTP_ACCEPT_LANGUAGE="ru")

    assert messages_of(response) == ["Мест нет: вы в листе ожидания под номером 1."]
    assert Registration.objects.get(volunteer_id=dana.volunteer_id).status == "waitlisted"


def test_a_visitor_is_asked_to_sign_in_and_nothing_is_recorded(client, world):
    facts = Fact.objects.count()

    response = client.post(f"/events/{world.soon.id}/register/")

    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next=/events/{world.soon.id}/register/"
    assert Fact.objects.count() == facts


def test_a_refused_registration_shows_the_reason_and_records_nothing(client, world, dana):
    client.force_login(dana)
    client.post(f"/events/{world.soon.id}/register/", follow=True)  # the first time: registered
    facts = Fact.objects.count()

    response = client.post(f"/events/{world.soon.id}/register/", HTTP_ACCEPT_LANGUAGE="en")

    assert messages_of(response) == ["You are already registered for this event."]
    assert Fact.objects.count() == facts


def test_the_volunteer_cancels_the_place(client, world, dana):
    registration = registration_create(actor=dana, event_id=world.soon.id)
    client.force_login(dana)

    response = client.post(
        f"/me/registrations/{registration.id}/cancel/", {"confirmed": "yes"}, HTTP_ACCEPT_LANGUAGE="en"
    )  # the page that asks first: tests/frontend/test_confirm_pages.py

    assert response.url == f"/events/{world.soon.id}/"
    assert messages_of(response) == ["Your place is given back. Thank you for letting us know."]
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_the_pass_page_shows_a_scalable_qr_code_and_the_token_only_to_its_volunteer(client, world, dana):
    registration = registration_create(actor=dana, event_id=world.soon.id)
    client.force_login(dana)

    page = client.get(f"/me/passes/{registration.id}/").content.decode()

    assert '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ' in page
    # The short code to read out, not the 170-character token, is what the page gives to type.
    assert re.search(r"data-pass-code>([^<]+)</code>", page).group(1) == pass_code(registration.id)
    assert pass_token(registration) not in page
    client.force_login(person("other@taza.test", "Other"))
    assert client.get(f"/me/passes/{registration.id}/").status_code == 404


def test_my_events_lists_the_places_to_come_with_their_pass(client, world, dana):
    registration = registration_create(actor=dana, event_id=world.later[0].id)
    client.force_login(dana)

    page = client.get("/me/events/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert (
        f'<a class="button button--small" href="/me/passes/{registration.id}/" data-pass-link>Open my pass</a>' in page
    )
    assert "Once an organiser checks you in at an event, it appears here with your hours." in page


def test_switching_language_in_the_header_is_kept_on_the_account(client, dana):
    client.force_login(dana)

    response = client.post("/language/", {"language": "ru", "next": "/events/"})

    assert response.status_code == 302
    assert response.url == "/events/"
    dana.refresh_from_db()
    assert dana.language == "ru"


def test_the_profile_saves_language_region_organisation_and_leaderboard_choice(client, world, dana):
    client.force_login(dana)
    club = world.organiser.organisation

    response = client.post(
        "/me/profile/",
        {
            "display_name": " Dana Q ",
            "language": "en",
            "region": "KZ-75",
            "organisation": str(club.id),
            "show_on_leaderboards": "on",
        },
    )

    assert response.status_code == 302
    dana.refresh_from_db()
    assert (dana.display_name, dana.language, dana.region_id, dana.organisation_id, dana.show_on_leaderboards) == (
        "Dana Q",
        "en",
        "KZ-75",
        club.id,
        True,
    )
    assert response.cookies["taza_language"].value == "en"


def test_an_organiser_cannot_move_to_another_organisation_from_the_profile(client, world):
    organiser = world.organiser
    client.force_login(organiser)
    other = organiser.organisation.__class__.objects.create(name_en="School 7", kind="school", region_id="KZ-75")

    client.post(
        "/me/profile/",
        {"display_name": "Arman", "language": "kk", "region": "", "organisation": str(other.id)},
    )

    organiser.refresh_from_db()
    assert organiser.organisation.name == "ENU Eco-club"


def test_deleting_the_account_needs_the_email_typed_then_gives_places_back(client, world, dana):
    registration = registration_create(actor=dana, event_id=world.later[0].id)
    client.force_login(dana)

    refused = client.post("/me/delete/", {"email": "someone@else.kz"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert "This is not the email address of your account." in refused.content.decode()
    assert User.objects.filter(pk=dana.pk).exists()

    response = client.post("/me/delete/", {"email": "DANA@taza.test"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.url == "/"
    assert not User.objects.filter(email="dana@taza.test").exists()
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert "_auth_user_id" not in client.session
