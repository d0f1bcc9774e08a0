"""Under the Content-Security-Policy every page still works: no violation, no script error.

The policy runs no inline script or style; a page that still had one would report a violation (and
lose its behaviour). Checked in Chromium on the public pages, a volunteer's pass, the organiser's
console, the API docs (Swagger UI) and the Django admin's sign-in.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import BROWSER, shot, sign_in
from tests.security.hostile import build_hostile_world

pytestmark = BROWSER

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


def watched(new_page, language: str = "en"):
    page = new_page(language)
    page.add_init_script(WATCH)
    page.console_csp = []
    page.on(
        "console",
        lambda message: page.console_csp.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.__csp") + page.console_csp


@pytest.fixture
def hostile(db):
    return build_hostile_world(with_results=False)


def test_public_pages_and_the_api_docs_load_without_a_violation(new_page, live_server, hostile):
    page = watched(new_page)
    for path, ready in [
        ("/", "h1"),
        ("/events/", ".event-map:not([hidden])"),
        (f"/events/{hostile.events['soon']}/", "h1"),
        ("/regions/", ".tilemap"),
        (f"/campaigns/{hostile.campaign_id}/", "h1"),
        ("/api/docs/", ".swagger-ui .info"),  # Swagger UI rendered the schema: its script ran
        ("/admin/login/", "#login-form"),
    ]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_selector(ready)
        page.wait_for_load_state("networkidle")
        assert violations(page) == [], path
        if path.startswith("/campaigns/"):
            shot(page, "csp-campaign")  # the plan bars, drawn as SVG now
    assert page.errors == []
    page.goto(live_server.url + "/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock")
    shot(page, "csp-api-docs", full_page=False)


def test_a_pass_and_the_organisers_console_load_without_a_violation(new_page, live_server, hostile):
    volunteer = watched(new_page)
    sign_in(volunteer, live_server, hostile.volunteer.email)
    volunteer.goto(f"{live_server.url}/me/passes/{hostile.registrations[0]}/")
    volunteer.wait_for_selector(".pass__qr svg")
    volunteer.goto(f"{live_server.url}/me/events/")
    volunteer.wait_for_load_state("networkidle")
    assert violations(volunteer) == []

    organiser = watched(new_page)
    sign_in(organiser, live_server, hostile.organiser.email)
    organiser.goto(f"{live_server.url}/organise/events/{hostile.events['soon']}/")
    organiser.wait_for_selector("[data-roster] .roster")
    organiser.wait_for_timeout(5500)  # one live refresh of the roster
    organiser.wait_for_selector("[data-roster] .roster")
    assert violations(organiser) == []
    assert volunteer.errors == organiser.errors == []
    shot(organiser, "csp-organiser-console")
