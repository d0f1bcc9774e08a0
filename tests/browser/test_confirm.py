"""With JavaScript off, a volunteer giving a place back and an organiser cancelling an event are
asked first, on a page of its own, in each language; screenshots of the pages of issue 13's
smaller points go to test-artifacts/."""

from __future__ import annotations

import re

import pytest

from events.models import Event, Registration
from events.services import registration_create
from tests.browser.conftest import BROWSER, PHONE, shot, sign_in
from tests.browser.world import PASSWORD, person

pytestmark = BROWSER

ASKED = {
    "en": ("Give your place back?", "Yes, give my place back", "Cancel this event? It cannot be taken back."),
    "ru": ("Вернуть своё место?", "Да, вернуть моё место", "Отменить это мероприятие? Это нельзя будет вернуть."),
    "kk": (
        "Орныңызды қайтарасыз ба?",
        "Иә, орнымды қайтару",
        "Осы іс-шараны болдырмайсыз ба? Мұны кері қайтару мүмкін емес.",
    ),
}


def no_script_page(browser, live_server, language: str):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    context.add_cookies([{"name": "taza_language", "value": language, "url": live_server.url}])
    context.route(re.compile(r"^(?!" + re.escape(live_server.url) + ").*"), lambda route: route.abort())
    context.set_default_timeout(10_000)
    return context, context.new_page()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_without_javascript_a_place_and_an_event_are_cancelled_only_after_a_yes(world, browser, live_server, language):
    question, yes, event_question = ASKED[language]
    dana = person("dana@taza.test", "Dana")
    registration = registration_create(actor=dana, event_id=world.soon.id)
    context, page = no_script_page(browser, live_server, language)
    try:
        # Given Dana on the event's page, with JavaScript off
        sign_in(page, live_server, "dana@taza.test", PASSWORD)
        page.goto(f"{live_server.url}/events/{world.soon.id}/")
        # When she presses the button to give her place back, she is asked first
        page.locator(f"form[action='/me/registrations/{registration.id}/cancel/'] button").click()
        page.wait_for_selector("input[name=confirmed]", state="attached")
        assert page.locator("main strong").first.inner_text() == question
        shot(page, f"{language}-confirm-cancel-place")
        assert Registration.objects.get(pk=registration.id).status == "registered"
        # and only her yes gives the place back
        page.get_by_role("button", name=yes).click()
        page.wait_for_url(re.compile(rf"/events/{world.soon.id}/$"))
        assert Registration.objects.get(pk=registration.id).status == "cancelled"

        # Given the organiser on the event's edit page, with a reason typed
        page.context.clear_cookies()
        page.context.add_cookies([{"name": "taza_language", "value": language, "url": live_server.url}])
        sign_in(page, live_server, world.organiser.email, PASSWORD)
        page.goto(f"{live_server.url}/organise/events/{world.soon.id}/edit/")
        cancel_form = page.locator(f"form[action='/organise/events/{world.soon.id}/cancel/']")
        cancel_form.locator("textarea[name=reason]").fill("Storm warning")
        cancel_form.locator("button").click()
        # then the event is not cancelled until the question is answered
        page.wait_for_selector("input[name=confirmed]", state="attached")
        assert page.locator("main strong").first.inner_text() == event_question
        assert page.locator("textarea[name=reason]").input_value() == "Storm warning"
        shot(page, f"{language}-confirm-cancel-event")
        assert Event.objects.get(pk=world.soon.id).status == "approved"
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(rf"/organise/events/{world.soon.id}/$"))
        assert Event.objects.get(pk=world.soon.id).status == "cancelled"

        # The propose form and a reversed range in the finder, for the eye
        page.goto(f"{live_server.url}/organise/events/new/")
        shot(page, f"{language}-propose-form")
        page.goto(f"{live_server.url}/events/?date_from=2024-05-31&date_to=2024-05-01")
        shot(page, f"{language}-finder-reversed-range")
    finally:
        context.close()
