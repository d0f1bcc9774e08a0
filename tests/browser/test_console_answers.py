"""The console answers each scan once, in the organiser's language: checked in with the name, already
checked in, not registered, invalid, mistyped; each answer replaces the last, and whoever is present
(a walk-in too) is on the roster. Passes are typed by their short code, as a volunteer reads it out."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from events.passes import pass_code, pass_code_normalise
from events.services import checkin_with_code, registration_cancel, registration_create
from tests.browser.conftest import BROWSER, shot, sign_in
from tests.browser.world import person

pytestmark = BROWSER

ANSWERS = {
    "en": ("Checked in:", "Already checked in:", "Not registered at this event.", "Invalid pass.", "mistyped"),
    "ru": (
        "Отмечен(а):",
        "Уже отмечен(а):",
        "Не зарегистрирован(а) на событие.",
        "Пропуск недействителен.",
        "опечатка",
    ),
    "kk": ("Белгіленді:", "Бұрын белгіленген:", "Бұл іс-шараға тіркелмеген.", "Рұқсатнама жарамсыз.", "қате"),
}


def type_code(page, code: str) -> None:
    page.fill("#id_token", code)
    page.press("#id_token", "Enter")


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_each_scan_gets_one_answer_that_replaces_the_last(world, new_page, live_server, language):
    event = world.soon
    bolat = person("bolat@taza.test", "Bolat")
    gone = person("gone@taza.test", "Gulnar")
    walk_in = person("walkin@taza.test", "Yerlan")
    bolat_place = registration_create(actor=bolat, event_id=event.id)
    gone_place = registration_create(actor=gone, event_id=event.id)
    registration_cancel(actor=gone, registration_id=gone_place.id)
    other_place = registration_create(actor=bolat, event_id=world.later[0].id)
    checked_in, already, not_registered, invalid, mistyped = ANSWERS[language]

    page = new_page(language)
    sign_in(page, live_server, world.organiser.email)
    page.goto(f"{live_server.url}/organise/events/{event.id}/")
    page.wait_for_selector("[data-checkin][data-ready]")
    answer = page.locator("[data-scan-answer]")

    # When the organiser types Bolat's code as he reads it out (lower case, with a space)
    type_code(page, pass_code(bolat_place.id).lower().replace("-", " "))
    # then the one answer names him
    expect(answer).to_have_text(f"{checked_in} Bolat")
    assert answer.get_attribute("data-answer") == "ok"
    shot(page, f"{language}-console-checked-in", full_page=False)

    # When the same code is typed again: already checked in, with his name, and nothing else
    type_code(page, pass_code(bolat_place.id))
    expect(answer).to_have_text(f"{already} Bolat")

    # When a cancelled place's code is typed: not registered; the name of the last one is gone
    type_code(page, pass_code(gone_place.id))
    expect(answer).to_have_text(not_registered)

    # When a code of another event's pass is typed: invalid
    type_code(page, pass_code(other_place.id))
    expect(answer).to_have_text(invalid)
    assert answer.get_attribute("data-answer") == "refused"
    shot(page, f"{language}-console-invalid", full_page=False)

    # When one character is mistyped: the check character says so
    code = pass_code_normalise(pass_code(bolat_place.id))
    type_code(page, code[:3] + ("X" if code[3] != "X" else "Y") + code[4:])
    expect(answer).to_contain_text(mistyped)

    # And no stale message is left beside the answer
    assert page.locator("[data-queue-problems] li").count() == 0
    assert page.locator(".alert--success").count() == 0

    # When someone without a place checks in with the event code on their own phone
    checkin_with_code(actor=walk_in, event_id=event.id, code=event.short_code)
    type_code(page, pass_code(bolat_place.id))  # the next scan refreshes the roster
    # then they are on the roster too
    expect(page.locator("[data-walk-ins]")).to_contain_text("Yerlan")
    expect(page.locator(f"[data-registration='{bolat_place.id}']")).to_contain_text("✓")
    shot(page, f"{language}-console-roster")
    assert page.errors == []
