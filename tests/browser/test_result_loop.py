"""A coordinator verifies a corrected result on a phone, adjusting one figure; the organiser then
reads the decision, its reason, the verified figures and the history on the console and starts a
correction from the verified figures. In Kazakh, Russian and English, with screenshots of each."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import expect

from events.models import Result
from events.services import result_log
from tests.browser.conftest import BROWSER, shot, sign_in

pytestmark = BROWSER

REASON = {"en": "The depot weighed 0.3 ha", "ru": "Площадь по карте 0,3 га", "kk": "Картада 0,3 га"}
REPORT_2 = {"en": "Report 2 (correction)", "ru": "Отчёт 2 (исправление)", "kk": "2-есеп (түзету)"}


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_coordinator_adjusts_a_figure_and_the_organiser_reads_why(world, new_page, live_server, language):
    event = world.soon
    with time_machine.travel(event.starts_at + dt.timedelta(minutes=40), tick=False):
        for figures, why in (({"plastic": "45"}, ""), ({"plastic": "45", "glass": "12"}, "Two more bags of glass")):
            result_log(
                actor=world.organiser,
                event_id=event.id,
                waste_kg=figures,
                trees=0,
                area_ha="0.5",
                headcount=4,
                correction_reason=why,
            )

    # An hour after the start (the reports were logged 40 minutes in)
    with time_machine.travel(event.starts_at + dt.timedelta(hours=1), tick=True):
        # The coordinator's verify page counts reports, shows attendance and the limits, adjust fields closed
        coordinator = new_page(language)
        sign_in(coordinator, live_server, world.coordinator.email)
        coordinator.goto(f"{live_server.url}/coordinate/events/{event.id}/verify/")
        expect(coordinator.locator("[data-report-heading]")).to_have_text(REPORT_2[language])
        expect(coordinator.locator("[data-attendance] dd").first).to_have_text("0")
        expect(coordinator.locator("[data-limits] tbody tr")).to_have_count(3)
        expect(coordinator.locator("#id_area_ha")).to_be_hidden()
        shot(coordinator, f"{language}-verify")

        # When adjusting, the fields open
        coordinator.locator("[data-adjust] summary").click()
        expect(coordinator.locator("#id_area_ha")).to_be_visible()
        coordinator.locator("input[name=decision][value=adjusted]").check()
        coordinator.fill("#id_reason", REASON[language])
        coordinator.fill("#id_area_ha", "0.3")
        shot(coordinator, f"{language}-verify-adjusting")
        coordinator.locator("form.form button[type=submit]").click()
        coordinator.wait_for_url(f"{live_server.url}/coordinate/")
        assert Result.objects.get(event=event).status == "adjusted"

        # The organiser sees the decision, the reason, the verified figure and the history
        organiser = new_page(language)
        sign_in(organiser, live_server, world.organiser.email)
        organiser.goto(f"{live_server.url}/organise/events/{event.id}/")
        expect(organiser.locator("[data-decision-reason] span")).to_have_text(REASON[language])
        expect(organiser.locator("[data-result-history] li")).to_have_count(3)
        expect(organiser.locator("[data-result-history] li").last).to_contain_text(world.coordinator.display_name)
        expect(organiser.locator("[data-result-figures]")).to_contain_text("0,30" if language != "en" else "0.30")
        organiser.locator("[data-result-decision]").scroll_into_view_if_needed()
        shot(organiser, f"{language}-console-decision")

        # and a correction starts from the verified area, not the 0.5 ha they reported
        organiser.goto(f"{live_server.url}/organise/events/{event.id}/result/")
        expect(organiser.locator("#id_area_ha")).to_have_value("0.3")
        expect(organiser.locator("#id_waste_glass")).to_have_value("12")
        shot(organiser, f"{language}-result-correction")

        organiser.goto(f"{live_server.url}/organise/")
        expect(organiser.locator("[data-result-status]").first).to_contain_text(REASON[language])
        assert organiser.errors == [] and coordinator.errors == []


ACHIEVED = {"en": "What the event achieved", "ru": "Чего достигло мероприятие", "kk": "Іс-шараның нәтижесі"}


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_a_past_event_shows_what_it_achieved(world, new_page, live_server, language):
    event = world.soon
    with time_machine.travel(event.starts_at + dt.timedelta(hours=1), tick=False):
        result_log(
            actor=world.organiser,
            event_id=event.id,
            waste_kg={"plastic": "45", "glass": "12"},
            trees=0,
            area_ha="0.5",
            headcount=4,
        )
    with time_machine.travel(event.ends_at + dt.timedelta(days=1), tick=True):
        page = new_page(language)
        page.goto(f"{live_server.url}/events/{event.id}/")
        expect(page.locator("#achieved-heading")).to_have_text(ACHIEVED[language])
        expect(page.locator("[data-achieved] tbody tr")).to_have_count(4)  # plastic, glass, area, head-count
        shot(page, f"{language}-past-event")
