"""Sharing in Chromium: the Share button copies the event's link (or hands it to the system's share
sheet), the poster prints onto exactly one A4 page in every language, and its QR code, read by a
real decoder (jsQR, the scanner's own), is the event page's address.

Screenshots of the poster at 390 and 1280 px, its PDF and the preview images go to test-artifacts/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from events.services import event_approve, event_propose
from tests.browser.conftest import ARTIFACTS, BROWSER, shot

JSQR = Path(__file__).resolve().parents[2] / "node_modules" / "jsqr" / "dist" / "jsQR.js"
LANGUAGES = ("kk", "ru", "en")

pytestmark = BROWSER


def _event_url(event) -> str:
    return f"{settings.SITE_URL}/events/{event.id}/"


def test_the_share_button_copies_the_events_link_where_there_is_no_share_sheet(world, new_page, live_server):
    event = world.later[0]
    page = new_page("kk")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.add_init_script("delete Navigator.prototype.share; delete Navigator.prototype.canShare;")
    page.goto(f"{live_server.url}/events/{event.id}/")

    page.click("[data-share-button]")

    page.wait_for_function("document.querySelector('[data-share-status]').textContent !== ''")
    assert page.evaluate("navigator.clipboard.readText()") == _event_url(event)
    assert page.inner_text("[data-share-status]") == "Сілтеме көшірілді: оны қалаған жеріңізге қойыңыз."
    assert page.errors == []


def test_the_share_button_opens_the_share_sheet_where_there_is_one(world, new_page, live_server):
    event = world.later[0]
    page = new_page("en")
    page.add_init_script(
        "Navigator.prototype.share = function (data) { window.__shared = data; return Promise.resolve(); };"
        "Navigator.prototype.canShare = function () { return true; };"
    )
    page.goto(f"{live_server.url}/events/{event.id}/")

    page.click("[data-share-button]")

    page.wait_for_function("window.__shared !== undefined")
    assert page.evaluate("window.__shared") == {"title": event.title, "url": _event_url(event)}
    assert page.inner_text("[data-share-status]") == ""


def test_without_javascript_the_link_and_the_share_links_are_there_and_no_button(world, browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    context.add_cookies([{"name": "taza_language", "value": "kk", "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/events/{world.later[0].id}/")

    assert page.input_value("#share-url") == _event_url(world.later[0])
    assert not page.is_visible("[data-share-button]")
    assert page.locator(".share-box__links a").all_inner_texts() == [
        "Telegram",
        "WhatsApp",
        "Электрондық поштамен",
        "Афишаны басып шығару",
    ]
    context.close()


def _pages_of(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_poster_prints_on_one_a4_page_and_its_code_reads_as_the_event_page(world, browser, live_server, language):
    # A title and what to bring as long as an organiser may write them still fit one sheet.
    proposed = event_propose(
        actor=world.organiser,
        campaign_id=world.campaign.id,
        kind="tree_planting",
        title=("Үлкен көгалдандыру: Есіл өзенінің сол жағалауындағы саябақтарда ағаш отырғызу және қоқыс жинау " * 3)[
            :200
        ],
        region="KZ-71",
        address=("Есіл жағалауы, Қабанбай батыр даңғылы 53, бірінші кіреберіс, екінші қабат, Нұра ауданы, " * 4)[:300],
        starts_at=world.later[0].starts_at,
        ends_at=world.later[0].ends_at,
        capacity=40,
        what_to_bring="Қолғап, су, бас киім, күннен қорғайтын крем, қоқыс қаптары және жақсы көңіл-күй. " * 8,
    )
    event = event_approve(actor=world.coordinator, event_id=proposed.id)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.add_cookies([{"name": "taza_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/events/{event.id}/poster/")
    ARTIFACTS.mkdir(exist_ok=True)
    shot(page, f"poster-{language}-1280")

    pdf = page.pdf(format="A4", print_background=True)
    (ARTIFACTS / f"poster-{language}.pdf").write_bytes(pdf)
    assert _pages_of(pdf) == 1

    page.add_script_tag(content=JSQR.read_text())
    decoded = page.evaluate(
        """async () => {
            const svg = document.querySelector('.poster__qr svg');
            const source = 'data:image/svg+xml;base64,' + btoa(new XMLSerializer().serializeToString(svg));
            const image = new Image();
            await new Promise((done, fail) => { image.onload = done; image.onerror = fail; image.src = source; });
            const canvas = document.createElement('canvas');
            canvas.width = canvas.height = 600;
            const drawing = canvas.getContext('2d');
            drawing.fillStyle = '#fff';
            drawing.fillRect(0, 0, 600, 600);
            drawing.drawImage(image, 0, 0, 600, 600);
            const found = jsQR(drawing.getImageData(0, 0, 600, 600).data, 600, 600);
            return found && found.data;
        }"""
    )
    assert decoded == _event_url(event)

    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, f"poster-{language}-390")
    assert page.evaluate("document.documentElement.scrollWidth") == 390
    context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_preview_images_for_the_artifacts(world, browser, live_server, language):
    """Not an assertion of looks: the previews saved for a person to look at, with the event page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "taza_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    response = page.goto(f"{live_server.url}/events/{world.later[0].id}/preview.{language}.png")
    assert response.status == 200 and response.headers["content-type"] == "image/png"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"preview-{language}.png").write_bytes(response.body())
    page.goto(f"{live_server.url}/events/{world.later[0].id}/")
    shot(page, f"event-share-{language}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("[data-share]").screenshot(path=str(ARTIFACTS / f"event-share-{language}-390.png"))
    context.close()
