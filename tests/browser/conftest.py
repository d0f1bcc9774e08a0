"""Headless Chromium (Debian's package) driven by Playwright against pytest-django's live server.

Every browser test is marked `browser` and skipped when /usr/bin/chromium is missing (CI installs
it). Pages are phone-sized; requests leaving the live server are refused, so no test reaches the
internet (the maps ask for none: tests/browser/test_maps.py counts). Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache

from stats import cache as stats_cache
from tests.browser.world import PASSWORD, World, build_world

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}

# Playwright's sync API keeps an event loop running in this thread; the tests' own ORM calls are
# plain synchronous code all the same.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# Every browser test module sets `pytestmark = BROWSER`. Against a live server the data is committed
# (transactional), and flushed after each test; the regions and role groups come back with the flush (post_migrate).
BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(scope="session")
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:  # one per session: the sync API cannot nest
        yield driver


@pytest.fixture(scope="session")
def browser(playwright):
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def world(db) -> World:
    cache.clear()
    stats_cache.local.clear()  # answers kept in memory by position; positions repeat after a flush
    mail.outbox = []
    return build_world()


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable]:
    """Pages in fresh browser contexts (one per person), phone-sized, in the given language."""
    contexts = []

    def make(language: str = "en", **options):
        locale = {"kk": "kk-KZ", "ru": "ru-RU"}.get(language, "en-GB")
        context = browser.new_context(viewport=PHONE, locale=locale, **options)  # options: geolocation, permissions…
        context.add_cookies([{"name": "taza_language", "value": language, "url": live_server.url}])
        context.route(
            re.compile(r"^(?!" + re.escape(live_server.url) + ").*"),
            lambda route: route.abort(),
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield make
    for context in contexts:
        context.close()
    cache.clear()


def sign_in(page, live_server, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    page.press("#id_password", "Enter")
    page.wait_for_selector("form[action='/accounts/logout/']")


def shot(page, name: str, *, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)
