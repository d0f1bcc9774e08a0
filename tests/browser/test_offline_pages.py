"""Without a signal, the event finder and the last event pages viewed still open (the service worker
keeps them, as it keeps passes), and only the last ten event pages are kept."""

from __future__ import annotations

import datetime as dt

from events.services import event_approve, event_propose
from tests.browser.conftest import BROWSER, shot

pytestmark = BROWSER


def test_the_finder_and_the_events_viewed_open_offline(world, new_page, live_server):
    page = new_page("ru")
    # Given a visitor who looked at the finder and an event, with the service worker running
    page.goto(f"{live_server.url}/events/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.reload()  # now fetched through the worker, and kept
    page.get_by_role("link", name=world.soon.title).click()
    page.wait_for_selector("h1")
    title = page.locator("h1").inner_text()

    # When the network is cut off, both still open
    page.context.set_offline(True)
    page.goto(f"{live_server.url}/events/")
    assert page.get_by_role("link", name=world.soon.title).is_visible()
    page.goto(f"{live_server.url}/events/{world.soon.id}/")
    assert page.locator("h1").inner_text() == title
    shot(page, "ru-event-offline")
    page.context.set_offline(False)


def test_only_the_last_ten_event_pages_are_kept(world, new_page, live_server):
    # Given twelve public events, and a visitor who views each, the first one once more at the end
    extra = []
    for day in range(1, 10):
        proposed = event_propose(
            actor=world.organiser,
            campaign_id=world.campaign.id,
            kind="cleanup",
            title=f"Clean-up {day}",
            region="KZ-71",
            address="Esil embankment",
            starts_at=world.soon.starts_at + dt.timedelta(days=day),
            ends_at=world.soon.starts_at + dt.timedelta(days=day, hours=2),
            capacity=10,
        )
        extra.append(event_approve(actor=world.coordinator, event_id=proposed.id))
    events = [world.soon, *world.later, *extra]
    page = new_page("en")
    page.goto(f"{live_server.url}/events/")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    for event in [*events, world.soon]:
        page.goto(f"{live_server.url}/events/{event.id}/")

    kept = page.evaluate(
        """async () => (await (await caches.open("taza-pages-v1")).keys())
            .map((r) => new URL(r.url).pathname).filter((p) => /^\\/events\\/[0-9a-f-]{36}\\/$/.test(p))"""
    )

    # Then the ten viewed last are kept, each once, the latest viewed last
    assert kept == [f"/events/{event.id}/" for event in [*events[3:], world.soon]]
