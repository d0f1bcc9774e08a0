"""Every page passes axe-core's WCAG 2.1 A and AA rules, on a phone and on a desktop, in Kazakh.

axe-core (node_modules/axe-core, a devDependency that `npm ci` installs, as CI does) runs in the
page as a screen-reader user's tools would read it; a violation fails the test with the rule, the
elements and axe's own explanation. Kazakh is the default language and the longest of the three.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from certificates.services import certificate_issue
from dumps.services import dump_confirm, dump_report
from reference.models import Region
from tests.browser.conftest import BROWSER, sign_in
from tests.browser.world import something_on_every_page
from volunteers.roles import Role
from volunteers.services import role_grant

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}

pytestmark = [
    *BROWSER,
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed: run npm ci"),
]


def violations(page) -> list[str]:
    page.evaluate(AXE.read_text())
    found = page.evaluate(f"async () => (await axe.run(document, {json.dumps(RULES)})).violations")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -- " + "; ".join(n["target"][0] for n in v["nodes"][:4]) for v in found
    ]


@pytest.mark.parametrize("size", SIZES)
def test_every_page_has_no_axe_violation(world, browser, live_server, size):
    dana, place = something_on_every_page(world)
    soon, campaign = world.soon.id, world.campaign.id
    certificate = certificate_issue(user=dana, language="kk").content["code"]
    # A confirmed dump (the list, its page) and a report waiting on the coordinator's work list.
    dump = dump_report(actor=dana, latitude=51.1283, longitude=71.4305, size="10_100_m2", waste_kinds=["mixed"])
    dump_confirm(actor=world.coordinator, dump_id=dump.id)
    dump_report(actor=dana, latitude=51.15, longitude=71.45, size="over_100_m2", waste_kinds=["plastic"])
    pages = {
        None: [
            "/",
            "/events/",
            f"/events/{world.later[0].id}/",
            f"/events/{world.later[0].id}/poster/",
            "/regions/",
            f"/regions/?mode=plan&campaign={campaign}&metric=participants&period=all&basis=per_1000",
            "/regions/KZ-71/",
            f"/campaigns/{campaign}/",
            "/open-data/",
            "/open-data/errata/",
            "/certificates/",
            f"/certificates/{certificate}/",
            "/organisations/",
            f"/organisations/{world.organiser.organisation_id}/",
            "/volunteers/",
            "/dumps/",
            f"/dumps/{dump.id}/",
            "/privacy/",
            "/terms/",
            "/accessibility/",
            "/contact/",
            "/help/",
            "/accounts/login/",
            "/accounts/signup/",
            "/api/docs/",
        ],
        dana.email: [
            "/me/events/",
            f"/me/passes/{place.id}/",
            "/me/certificate/",
            "/me/profile/",
            "/dumps/report/",
        ],
        world.organiser.email: [
            "/organise/",
            f"/organise/events/{soon}/",
            "/organise/events/new/",
            f"/organise/events/{soon}/result/",
        ],
        world.coordinator.email: ["/coordinate/", f"/coordinate/events/{soon}/verify/"],
    }

    failures = {}
    for who, paths in pages.items():
        # axe runs as a script the page did not send: the CSP, rightly, would refuse it.
        context = browser.new_context(viewport=SIZES[size], locale="kk-KZ", bypass_csp=True)
        context.add_cookies([{"name": "taza_language", "value": "kk", "url": live_server.url}])
        page = context.new_page()
        if who:
            sign_in(page, live_server, who)
        for path in paths:
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            found = violations(page)
            if found:
                failures[path] = found
        context.close()

    assert failures == {}, json.dumps(failures, indent=1, ensure_ascii=False)


def test_axe_finds_what_it_is_run_for(browser, live_server, world):
    """The check itself: a page with an image without text and low-contrast text fails."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_content(
        '<html lang="en"><head><title>t</title></head><body><main><h1>Test</h1><img src="x.png">'
        '<p style="color:#bbb;background:#fff">faint</p></main></body></html>'
    )

    found = {line.split(" ")[0] for line in violations(page)}
    context.close()

    assert found == {"image-alt", "color-contrast"}


def test_the_main_pages_reflow_on_a_320_px_screen(world, browser, live_server):
    """WCAG 1.4.10: nothing but a table's own scrolling region is wider than a 320 px screen."""
    context = browser.new_context(viewport={"width": 320, "height": 700}, locale="kk-KZ")
    context.add_cookies([{"name": "taza_language", "value": "kk", "url": live_server.url}])
    page = context.new_page()
    widths = {}
    pages = ("/", "/events/", f"/events/{world.later[0].id}/", "/regions/", "/regions/KZ-71/", "/organisations/")
    for path in (*pages, "/dumps/", "/open-data/", "/open-data/errata/", "/certificates/"):
        page.goto(live_server.url + path)
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
    context.close()

    assert widths == dict.fromkeys(widths, 320)


def test_a_label_never_runs_into_its_value(world, browser, live_server):
    """The event page's facts in Kazakh, on a phone: each label ends before its value begins."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="kk-KZ")
    context.add_cookies([{"name": "taza_language", "value": "kk", "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/events/{world.later[0].id}/")

    overlaps = page.evaluate(
        """() => [...document.querySelectorAll('.facts > div')].map((row) => {
            const dt = row.querySelector('dt'), dd = row.querySelector('dd');
            const range = document.createRange(); range.selectNodeContents(dt);
            return [dt.textContent.trim(), range.getBoundingClientRect().right <= dd.getBoundingClientRect().left];
        })"""
    )
    context.close()

    assert overlaps and all(fits for _label, fits in overlaps), overlaps


def test_the_header_of_someone_who_organises_and_verifies_fits_two_rows_at_1280_px(world, browser, live_server):
    """Brand, languages and account on one row; every page of the main menu on the next, in Kazakh."""
    role_grant(user=world.organiser, role=Role.COORDINATOR, region=Region.objects.get(pk="KZ-71"))
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="kk-KZ")
    context.add_cookies([{"name": "taza_language", "value": "kk", "url": live_server.url}])
    page = context.new_page()
    sign_in(page, live_server, world.organiser.email)
    page.goto(f"{live_server.url}/organise/")

    tops = page.evaluate(
        """() => ({
            brand: document.querySelector('.brand').getBoundingClientRect().top,
            languages: document.querySelector('.language-switch').getBoundingClientRect().top,
            menu: [...document.querySelectorAll('.main-nav li')].map((li) => li.getBoundingClientRect().top),
        })"""
    )
    context.close()

    assert len(tops["menu"]) == 8 and len(set(tops["menu"])) == 1  # one row, Verify included
    assert abs(tops["languages"] - tops["brand"]) < 12
