"""A visitor's browser runs none of the payloads people wrote: the finder, an event, the home page.

Every payload of tests/security/hostile.py sets `window.__xss` if it runs. The pages are opened
with those payloads as titles, descriptions, places and names, the map drawn from them, and the
browser is asked whether anything ran and whether the CSP had to refuse anything.
"""

from __future__ import annotations

from tests.browser.conftest import BROWSER, shot
from tests.browser.test_csp import violations, watched
from tests.security.hostile import build_hostile_world

pytestmark = BROWSER


def test_no_injected_script_runs_on_the_finder_an_event_or_the_home_page(new_page, live_server, db):
    world = build_hostile_world(with_results=False)
    page = watched(new_page)

    for path in ("/events/", f"/events/{world.events['open.1']}/", "/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("typeof window.__xss") == "undefined", path
        assert violations(page) == [], path
    # The finder's map was drawn from the pins, and a pin's popup shows the title as text.
    page.goto(live_server.url + "/events/")
    page.wait_for_selector(".event-map:not([hidden]) .leaflet-interactive")
    page.locator(".leaflet-interactive").first.dispatch_event("click")
    popup = page.wait_for_selector(".leaflet-popup-content a")
    assert popup.inner_text().startswith("[event.title.")
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert violations(page) == []
    shot(page, "xss-finder")
