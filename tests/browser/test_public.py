"""The public home page: its counters follow the totals without a reload, once the projection runs."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core.cache import cache
from playwright.sync_api import expect

from events.services import checkin_from_roster, registration_create, result_log
from ledger.runner import catch_up_all
from ledger.tasks import DEBOUNCE_KEY
from tests.browser.conftest import BROWSER, shot
from tests.browser.world import person

pytestmark = BROWSER


def counter(page, metric: str) -> str:
    return page.locator(f".counter__value[data-metric='{metric}']").inner_text()


def test_the_home_counters_change_without_a_reload_after_the_projection_runs(world, new_page, live_server):
    # Given the totals have caught up with everything so far (no event held yet)
    catch_up_all(wait=30)
    page = new_page("en")
    page.goto(f"{live_server.url}/")
    assert [counter(page, m) for m in ("participants", "waste_kg", "trees", "area_ha", "events")] == [
        "0",
        "0.0",
        "0",
        "0.0",
        "0",
    ]

    # When an event is held and its result logged, while the worker has not run the projection yet
    # (the debounce key says a catch-up is queued, so none is started)
    cache.set(DEBOUNCE_KEY, 1, timeout=None)  # no expiry: the clock jumps an hour below
    dana = person("dana@taza.test", "Dana")
    place = registration_create(actor=dana, event_id=world.soon.id)
    checkin_from_roster(actor=world.organiser, event_id=world.soon.id, registration_id=place.id)
    with time_machine.travel(world.soon.starts_at + dt.timedelta(hours=1), tick=True):
        result_log(
            actor=world.organiser,
            event_id=world.soon.id,
            waste_kg={"plastic": "1250.5"},
            trees=40,
            area_ha="2.25",
            headcount=11,
        )

    # then the page, polling all along, still shows the old figures
    page.wait_for_timeout(4500)
    assert counter(page, "participants") == "0"

    # When the projection runs (what the Celery task does), once the event has started: an event is
    # held once it has started and has attendance or a result
    with time_machine.travel(world.soon.starts_at + dt.timedelta(hours=1), tick=True):
        catch_up_all(wait=30)

    # then the counters change in place, without a reload
    # (a locator assertion, not wait_for_function: the page's CSP rightly forbids evaluating strings)
    expect(page.locator("[data-metric='participants']").first).to_have_text("12")
    assert [counter(page, m) for m in ("participants", "waste_kg", "trees", "area_ha", "events")] == [
        "12",
        "1.3",
        "40",
        "2.3",
        "1",
    ]
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    assert page.locator(".counter__detail [data-metric='participants']").inner_text() == "0"  # none verified
    shot(page, "en-home-live", full_page=False)
    assert page.errors == []
