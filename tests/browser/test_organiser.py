"""An organiser on a phone at the event: ticks a volunteer on the roster, scans a pass with the
camera while the network is down (it uploads when the signal returns, counted once), then logs
the result once the event has started."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from playwright.sync_api import expect

from events.models import CheckIn, Result
from events.passes import pass_token
from events.services import registration_create
from tests.browser.camera import qr_video
from tests.browser.conftest import BROWSER, CHROMIUM, CHROMIUM_ARGS, PHONE, shot, sign_in
from tests.browser.world import person

pytestmark = BROWSER


@pytest.fixture
def camera_browser(playwright, tmp_path_factory):
    """A Chromium whose camera shows the QR code written to `video` before the browser starts."""
    video = tmp_path_factory.mktemp("camera") / "pass.y4m"
    launched = []

    def launch(token: str):
        qr_video(token, video)
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                *CHROMIUM_ARGS,
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
            ],
        )
        launched.append(browser)
        return browser

    yield launch
    for browser in launched:
        browser.close()


def test_an_organiser_checks_in_by_roster_and_by_camera_offline_then_logs_the_result(
    world, camera_browser, live_server
):
    event = world.soon
    aigerim = person("aigerim@taza.test", "Aigerim")
    bolat = person("bolat@taza.test", "Bolat")
    aigerim_place = registration_create(actor=aigerim, event_id=event.id)
    bolat_place = registration_create(actor=bolat, event_id=event.id)
    bolat_token = pass_token(bolat_place)

    # Given the organiser's phone, whose camera will see Bolat's pass
    browser = camera_browser(bolat_token)
    context = browser.new_context(viewport=PHONE, permissions=["camera"])
    context.add_cookies([{"name": "taza_language", "value": "en", "url": live_server.url}])
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, live_server, world.organiser.email)
    page.goto(f"{live_server.url}/organise/events/{event.id}/")
    assert page.locator("[data-checked-in-count]").inner_text() == "0"

    # When the organiser ticks Aigerim on the roster (a plain form post)
    page.locator(f"[data-registration='{aigerim_place.id}'] button").click()

    # then she is checked in, by roster
    page.wait_for_selector("text=Aigerim is checked in.")
    assert list(CheckIn.objects.values_list("volunteer_id", "method")) == [(aigerim.volunteer_id, "roster")]
    assert page.locator("[data-checked-in-count]").inner_text() == "1"

    # When the network drops and the camera reads Bolat's pass
    context.set_offline(True)
    page.get_by_role("button", name="Scan with the camera").click()

    # then the check-in waits on the phone, counted on screen, and nothing reached the server
    page.wait_for_selector("[data-queue]:not([hidden])")
    assert page.locator("[data-queue-count]").inner_text() == "1"
    assert page.locator("[data-offline-badge]").is_visible()
    answer = page.locator("[data-scan-answer]").inner_text()
    assert answer == "Offline: saved on this phone, it uploads when the signal returns."  # not "Pass read"
    page.get_by_role("button", name="Stop the camera").click()
    shot(page, "en-console-offline-queue")
    assert CheckIn.objects.count() == 1

    # When the signal returns
    context.set_offline(False)

    # then the queue uploads by itself, and Bolat is checked in once, by QR
    page.wait_for_selector("[data-queue]", state="hidden")
    assert sorted(CheckIn.objects.values_list("method", flat=True)) == ["qr", "roster"]
    assert CheckIn.objects.get(volunteer_id=bolat.volunteer_id).method == "qr"
    expect(page.locator("[data-checked-in-count]")).to_have_text("2")  # no eval under the page's CSP

    # And typing the same pass again records nothing new
    page.fill("#id_token", bolat_token)
    page.press("#id_token", "Enter")
    page.wait_for_selector("[data-queue]", state="hidden")
    assert CheckIn.objects.count() == 2
    shot(page, "en-console")

    # When the event has started, the organiser logs what was done
    with time_machine.travel(event.starts_at + dt.timedelta(minutes=45), tick=True):
        page.reload()
        page.get_by_role("link", name="Log the result").click()
        page.fill("#id_waste_plastic", "120.5")
        page.fill("#id_waste_mixed", "300")
        page.fill("#id_trees", "0")
        page.fill("#id_area_ha", "1.5")
        page.fill("#id_headcount", "3")
        shot(page, "en-result-form")
        page.get_by_role("button", name="Save the result").click()
        page.wait_for_selector("text=The result is logged. The region's coordinator will verify it.")

    # then the result is on record, awaiting the coordinator
    result = Result.objects.get(event=event)
    assert result.status == "awaiting"
    assert result.report.waste_kg == {"mixed": "300", "plastic": "120.5"}
    assert (result.report.area_ha, result.report.headcount) == (Decimal("1.5"), 3)
    context.close()
