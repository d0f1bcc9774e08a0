"""The volunteer's own check-in page: the event code typed on their phone, or filled in by the console's QR."""

import datetime as dt

import pytest

from events.models import CheckIn


@pytest.fixture
def on_site(event, time_machine):
    time_machine.move_to(event.starts_at + dt.timedelta(minutes=5), tick=False)
    return event


def test_the_qr_code_opens_the_check_in_page_with_the_code_filled_in(on_site, volunteers, organiser, client):
    # Given the organiser's console, which shows the QR code of the check-in page
    client.force_login(organiser)
    console = client.get(f"/organise/events/{on_site.id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'src="/organise/events/{on_site.id}/check-in-qr.svg"' in console
    qr = client.get(f"/organise/events/{on_site.id}/check-in-qr.svg")
    assert (qr.status_code, qr["Content-Type"]) == (200, "image/svg+xml")

    # When a volunteer opens the address it holds
    client.force_login(volunteers[1])
    assert client.get(f"/organise/events/{on_site.id}/check-in-qr.svg").status_code == 403  # not theirs to show
    page = client.get(f"/events/{on_site.id}/check-in/?code={on_site.short_code}", HTTP_ACCEPT_LANGUAGE="en")

    # Then the code is in the field, and one tap checks them in
    assert f'value="{on_site.short_code}"' in page.content.decode()
    answer = client.post(f"/events/{on_site.id}/check-in/", {"code": on_site.short_code.lower()})
    after = client.get(answer.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You are checked in since" in after and "data-checked-in" in after
    assert CheckIn.objects.get(event=on_site).volunteer_id == volunteers[1].volunteer_id


def test_outside_the_window_the_page_says_when_it_opens(event, volunteers, client, time_machine):
    time_machine.move_to(event.starts_at - dt.timedelta(days=1), tick=False)
    client.force_login(volunteers[1])
    page = client.get(f"/events/{event.id}/check-in/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Check-in is open from" in page and 'name="code"' not in page


def test_signing_in_comes_first(event, client):
    response = client.get(f"/events/{event.id}/check-in/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
