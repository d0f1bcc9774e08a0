"""A volunteer on a phone: signs up, confirms the email, registers for an event, opens the pass,
and finds it again with the network cut off."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core import mail

from events.models import Registration
from events.passes import pass_code
from tests.browser.conftest import BROWSER, shot
from volunteers.models import User

pytestmark = BROWSER


def test_a_volunteer_signs_up_confirms_registers_and_opens_the_pass_offline(world, new_page, live_server):
    page = new_page("en")

    # Given a visitor who signs up on the site
    page.goto(f"{live_server.url}/accounts/signup/")
    page.fill("#id_email", "aigerim@example.kz")
    page.fill("#id_display_name", "Aigerim")
    page.select_option("#id_region", "KZ-71")
    page.fill("#id_password1", "zhasyl-dala-2026")
    page.fill("#id_password2", "zhasyl-dala-2026")
    shot(page, "en-signup")
    page.press("#id_password2", "Enter")
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))

    # When they follow the link of the confirmation email and confirm
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(live_server.url + urlsplit(link).path)
    page.locator("main form button[type=submit]").click()

    # then they are signed in
    page.wait_for_selector("form[action='/accounts/logout/']")
    assert User.objects.get(email="aigerim@example.kz").region_id == "KZ-71"

    # When they find the event and register
    page.goto(f"{live_server.url}/events/")
    page.get_by_role("link", name="Esil embankment clean-up").click()
    assert page.locator(".event-card__places, dd strong").first.inner_text() == "30"
    page.get_by_role("button", name="Register").click()

    # then the page says so, and the place is theirs
    page.wait_for_selector("text=You are registered. Your pass is in My events.")
    registration = Registration.objects.get(event=world.soon)
    assert registration.status == "registered"
    assert page.locator("dl.facts dd strong").inner_text() == "29"
    shot(page, "en-event-registered")

    # When they open My events: the service worker is running by now, and keeps the pass
    page.get_by_role("link", name="My events").click()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    shot(page, "en-my-events")
    page.get_by_role("link", name="Open my pass").click()

    # then the pass shows its QR code and, under it, the short code to read out
    page.wait_for_selector(".pass__qr svg")
    assert page.locator("[data-pass-code]").text_content() == pass_code(registration.id)
    shot(page, "en-pass")

    # And with the network cut off, the pass still opens
    page.context.set_offline(True)
    page.reload()
    page.wait_for_selector(".pass__qr svg")
    assert page.locator("[data-offline-note]").is_visible()
    assert page.locator("h1").inner_text() == "Your pass"
    page.context.set_offline(False)
    assert page.errors == []
