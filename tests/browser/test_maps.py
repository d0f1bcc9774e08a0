"""The maps work anywhere: the finder's map draws the country and its events with no request leaving
the site, a PMTiles basemap is read from the site by byte ranges, and an organiser picks an event's
point by clicking the map.

The world (tests/browser/world.py) has three public events: two at the Esil embankment
(51.1283, 71.4305) and the Koktal park's (51.17, 71.47), 4.6 km away."""

from __future__ import annotations

import math

from playwright.sync_api import expect

from tests.browser.conftest import BROWSER, shot, sign_in
from tests.frontend.test_maps import TILE_COLOUR, write_sample_pmtiles

pytestmark = BROWSER

ESIL = (51.1283, 71.4305)


def record_requests(page) -> list[str]:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    return requests


def test_the_finder_map_shows_its_events_with_no_request_leaving_the_site(world, new_page, live_server):
    page = new_page("en")
    requests = record_requests(page)
    page.goto(f"{live_server.url}/events/")
    page.wait_for_selector(".event-map[data-ready]")
    page.wait_for_load_state("networkidle")

    # The country's outline and the events: the two at one place are one cluster of 2, Koktal a pin.
    assert page.locator(".map-outline").count() == 1
    expect(page.locator(".map-pin")).to_have_count(1)
    expect(page.locator(".map-cluster")).to_have_count(1)
    assert page.locator(".map-cluster").inner_text() == "2"
    assert page.locator(".map-pin").get_attribute("title") == "Clean-up of the Koktal park"
    # No tile and no other host: every request went to the site itself.
    assert requests and all(url.startswith(live_server.url + "/") for url in requests), requests
    assert not [url for url in requests if "/maps/basemap/" in url]
    shot(page, "maps-finder")

    # From the keyboard: the skip link goes past the map to the list.
    skip = page.get_by_role("link", name="Skip the map: go to the list")
    expect(skip).to_be_visible()
    skip.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "found-events"

    # A pin takes the focus and opens, with Enter, its link to the event's page.
    page.locator(".map-pin").focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content a")
    expect(popup).to_have_text("Clean-up of the Koktal park")
    assert popup.get_attribute("href") == f"/events/{world.later[1].id}/"

    # The cluster of two at one place lists both, each to its page.
    page.locator(".map-cluster").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".map-popup-list a")).to_have_text(
        ["Esil embankment clean-up", "Tree planting in the Botanical Garden"]
    )
    assert page.locator(".map-popup-list a").evaluate_all("links => links.map(a => a.getAttribute('href'))") == [
        f"/events/{world.soon.id}/",
        f"/events/{world.later[0].id}/",
    ]
    # A page without a map, or a finder with no point, loads no map code.
    for path in ("/", "/events/?q=nothing-matches-this"):
        requests.clear()
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert requests and not [url for url in requests if "/chunks/map-" in url or "leaflet" in url], path
    assert page.errors == []


def test_the_basemap_comes_from_the_sites_own_pmtiles_by_ranges(world, new_page, live_server, settings, tmp_path):
    archive = tmp_path / "kazakhstan.pmtiles"
    write_sample_pmtiles(archive)
    settings.TAZA_MAP_PMTILES = str(archive)
    settings.TAZA_MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"  # the archive wins
    page = new_page("en")
    requests = record_requests(page)
    statuses: list[int] = []
    page.on("response", lambda response: statuses.append(response.status) if "/maps/basemap/" in response.url else None)
    page.goto(f"{live_server.url}/events/")
    page.wait_for_selector(".event-map[data-ready]")
    page.wait_for_selector("canvas.leaflet-tile.leaflet-tile-loaded")
    page.wait_for_load_state("networkidle")

    # The map's tiles are canvases drawn from the archive's PNG tiles (the sample's zoom 4 is its most
    # detailed, scaled up): the colour written is the colour drawn.
    pixel = page.locator("canvas.leaflet-tile-loaded").first.evaluate(
        "canvas => Array.from(canvas.getContext('2d').getImageData(128, 128, 1, 1).data)"
    )
    assert pixel[0] == TILE_COLOUR[0] and pixel[1] == TILE_COLOUR[1] + 4 and pixel[3] == 255, pixel
    assert statuses and set(statuses) == {206}, statuses
    assert all(url.startswith(live_server.url + "/") for url in requests), requests
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("© OpenStreetMap contributors")
    shot(page, "maps-finder-basemap")
    assert page.errors == []


def mercator_y(lat: float) -> float:
    return math.asinh(math.tan(math.radians(lat)))


def point_at(centre: tuple[float, float], zoom: int, dx: float, dy: float) -> tuple[float, float]:
    """The point `dx`, `dy` pixels from `centre` on a Web Mercator map of 256-pixel tiles at `zoom`."""
    world_px = 256 * 2**zoom
    lon = centre[1] + dx * 360 / world_px
    y = mercator_y(centre[0]) - dy * 2 * math.pi / world_px
    return math.degrees(math.atan(math.sinh(y))), lon


def test_an_organiser_picks_the_events_point_on_the_map(world, new_page, live_server):
    page = new_page("en")
    sign_in(page, live_server, world.organiser.email)
    requests = record_requests(page)

    # The edit form of the Esil clean-up opens its map at the event's point, at zoom 12.
    page.goto(f"{live_server.url}/organise/events/{world.soon.id}/edit/")
    picker = page.locator("[data-point-map][data-ready]")
    picker.wait_for()
    expect(page.locator(".map-pin--chosen")).to_have_count(1)
    picker.scroll_into_view_if_needed()
    box = picker.bounding_box()
    border = picker.evaluate("map => [map.clientLeft, map.clientTop, map.clientWidth, map.clientHeight]")
    centre_x = box["x"] + border[0] + border[2] / 2
    centre_y = box["y"] + border[1] + border[3] / 2
    dx, dy = 60, 45  # right of and below the centre: off the zoom buttons and the attribution
    page.mouse.click(centre_x + dx, centre_y + dy)

    lat, lon = point_at(ESIL, 12, dx, dy)
    # Tolerance: one pixel at zoom 12 (Leaflet rounds the map's origin to a pixel, the mouse lands on
    # one), plus the inputs' five decimals.
    pixel_lon = 360 / (256 * 2**12)
    pixel_lat = pixel_lon * math.cos(math.radians(ESIL[0]))
    got_lat, got_lon = float(page.input_value("#id_latitude")), float(page.input_value("#id_longitude"))
    assert abs(got_lat - lat) <= pixel_lat + 5e-6, (got_lat, lat)
    assert abs(got_lon - lon) <= pixel_lon + 5e-6, (got_lon, lon)
    assert abs(got_lat - ESIL[0]) > 10 * pixel_lat  # the point did move (45 px ≈ 0.0097°)
    # The marker stands where the map was clicked.
    marker = page.locator(".map-pin--chosen").bounding_box()
    assert abs(marker["x"] + marker["width"] / 2 - (centre_x + dx)) <= 1.5
    assert abs(marker["y"] + marker["height"] / 2 - (centre_y + dy)) <= 1.5

    # From the keyboard: Enter on the focused map places the point at its centre.
    picker.focus()
    page.keyboard.press("Enter")
    assert abs(float(page.input_value("#id_latitude")) - ESIL[0]) <= pixel_lat + 5e-6
    assert abs(float(page.input_value("#id_longitude")) - ESIL[1]) <= pixel_lon + 5e-6
    assert page.url.endswith("/edit/")  # Enter did not submit the form

    # The propose form: an empty point, the country on the map; a tap fills both inputs.
    page.goto(f"{live_server.url}/organise/events/new/")
    picker = page.locator("[data-point-map][data-ready]")
    picker.wait_for()
    assert page.input_value("#id_latitude") == "" and page.input_value("#id_longitude") == ""
    expect(page.locator(".map-pin--chosen")).to_have_count(0)
    picker.scroll_into_view_if_needed()
    box = picker.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    got_lat, got_lon = float(page.input_value("#id_latitude")), float(page.input_value("#id_longitude"))
    assert 40.5 <= got_lat <= 55.5 and 46.4 <= got_lon <= 87.4, (got_lat, got_lon)
    expect(page.locator(".map-pin--chosen")).to_have_count(1)
    shot(page, "maps-propose-point")
    assert requests and all(url.startswith(live_server.url + "/") for url in requests), requests
    assert page.errors == []


def test_the_dumps_list_clusters_its_dumps_and_the_report_form_takes_a_tapped_point(world, new_page, live_server):
    from dumps.services import dumps_import

    # Two dumps at one place in Astana, one 300 m away, and one in Almaty, 970 km away.
    rows = [
        {"id": "A-1", "latitude": 51.2, "longitude": 71.5, "area": "12"},
        {"id": "A-2", "latitude": 51.2, "longitude": 71.5, "area": "40"},
        {"id": "A-3", "latitude": 51.2027, "longitude": 71.5, "area": "140"},
        {"id": "B-1", "latitude": 43.25, "longitude": 76.9, "area": "5"},
    ]
    assert dumps_import(rows=rows, source="browser").added == 4
    page = new_page("en")
    requests = record_requests(page)
    page.goto(f"{live_server.url}/dumps/")
    page.wait_for_selector(".event-map--dumps[data-ready]")

    # Fitted to the country's breadth, the three Astana dumps are one cluster and Almaty's a pin.
    expect(page.locator(".map-cluster--dumps")).to_have_count(1)
    assert page.locator(".map-cluster--dumps").inner_text() == "3"
    expect(page.locator(".map-pin--dumps")).to_have_count(1)
    # A click on the cluster zooms in: the two at one place stay together, the third stands apart.
    page.locator(".map-cluster--dumps").click()
    expect(page.locator(".map-cluster--dumps")).to_have_text(["2"], timeout=5000)
    page.wait_for_function("document.querySelectorAll('.map-pin--dumps').length === 2")
    assert all(url.startswith(live_server.url + "/") for url in requests), requests
    shot(page, "maps-dumps")

    # The report form's map: a tap fills the latitude and longitude.
    sign_in(page, live_server, world.organiser.email)
    page.goto(f"{live_server.url}/dumps/report/")
    picker = page.locator("[data-point-map][data-ready]")
    picker.wait_for()
    picker.scroll_into_view_if_needed()
    box = picker.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2 + 20, box["y"] + box["height"] / 2)
    lat, lon = float(page.input_value("#id_latitude")), float(page.input_value("#id_longitude"))
    assert 40.5 <= lat <= 55.5 and 46.4 <= lon <= 87.4, (lat, lon)
    expect(page.locator(".map-pin--chosen")).to_have_count(1)
    assert page.errors == []
