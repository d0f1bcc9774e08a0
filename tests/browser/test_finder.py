"""The finder's "Near me": the browser's location, rounded, searched with the near-point search."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import BROWSER, shot

pytestmark = BROWSER


def test_near_me_lists_the_nearest_event_first_from_the_browsers_location(world, new_page, live_server):
    # Given a volunteer standing in the Koktal park, whose browser may tell where they are
    page = new_page("en", geolocation={"latitude": 51.17012, "longitude": 71.46987}, permissions=["geolocation"])
    page.goto(f"{live_server.url}/events/")
    page.fill("#id_near", "Almaty")  # typed first, then replaced by the location

    # When they press "Near me"
    page.get_by_role("button", name="Near me").click()

    # Then the finder searches around the rounded point, nearest first, and says so
    expect(page.locator(".result-count")).to_contain_text("Near your location, within 25 km.")
    assert "lat=51.170&lon=71.470" in page.url and "near=&" in page.url
    titles = page.locator(".event-card__title").all_inner_texts()
    assert titles == [
        "Clean-up of the Koktal park",
        "Esil embankment clean-up",
        "Tree planting in the Botanical Garden",
    ]
    assert page.input_value("#id_near") == ""
    shot(page, "finder-near-me-en")
    assert page.errors == []


def test_near_me_says_why_when_the_location_is_refused(world, new_page, live_server):
    page = new_page("ru")  # no permission: the browser refuses the location
    page.goto(f"{live_server.url}/events/")

    page.get_by_role("button", name="Рядом со мной").click()

    expect(page.locator("[data-near-me-status]")).to_have_text(
        "Не удалось определить ваше местоположение: введите населённый пункт."
    )
    assert page.url == f"{live_server.url}/events/"
    assert page.errors == []
