"""Every main page in Kazakh has no English left, checked against the same page in English.

What a person reads is collected from the rendered page: text nodes, placeholders, labels for
screen readers, titles. Left out: what is data, not interface (marked translate="no": event
titles, names, addresses), code, and the language switch's own names. A Kazakh page fails on any
Latin word that is not a known acronym, and on any text it shares with the English page.
Screenshots of each Kazakh page, phone-sized, go to test-artifacts/.
"""

from __future__ import annotations

import re

from certificates.services import certificate_issue
from dumps.services import dump_confirm, dump_report
from tests.browser.conftest import BROWSER, shot, sign_in
from tests.browser.world import something_on_every_page

# The brand and technical acronyms are the same in every language.
ACRONYMS = {"Taza", "API", "OpenAPI", "CSV", "UTF", "QR", "PDF", "JSON", "ISO", "ID"}
# Names of standards and products, written the same in every language (the accessibility and privacy pages).
ACRONYMS |= {"WCAG", "AA", "axe", "core", "JavaScript", "OpenStreetMap", "Cookie", "cookie"}
# The name printed on a key, which a map's help names (the point picker: "press Enter").
ACRONYMS |= {"Enter"}
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
DIGITS_AND_SIGNS = re.compile(r"^[\d\s.,:;%+\-–—·/()#✓⏳«»\u00a0\u202f]*$")

READ_TEXTS = """(language) => {
  const skipped = (element) => {
    if (!element) return true;
    if (element.closest('[translate="no"], code, pre, script, style, noscript')) return true;
    const tagged = element.closest('[lang]');
    return tagged !== null && tagged.getAttribute('lang') !== language;
  };
  const texts = [];  // not the <title>: it holds the event's title, which is data
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    if (text && !skipped(node.parentElement)) texts.push(text);
  }
  const attributes = ['placeholder', 'aria-label', 'title', 'alt', 'data-one', 'data-many'];
  for (const element of document.querySelectorAll(attributes.map((a) => `[${a}]`).join(','))) {
    if (skipped(element)) continue;
    for (const name of attributes) {
      const value = element.getAttribute(name);
      if (value && value.trim()) texts.push(value.trim());
    }
  }
  for (const template of document.querySelectorAll('template')) {
    for (const element of template.content.querySelectorAll('[data-msg]')) texts.push(element.textContent.trim());
  }
  return texts;
}"""

pytestmark = BROWSER


def untranslated(kazakh: list[str], english: list[str]) -> list[str]:
    shared = set(english)
    found = []
    for text in kazakh:
        if DIGITS_AND_SIGNS.match(text):
            continue
        words = [w for w in LATIN_WORD.findall(text) if w not in ACRONYMS]
        only_acronyms = not words and not re.search(r"[^\W\d_]", LATIN_WORD.sub("", text))
        if words or "a.m." in text or "p.m." in text or (text in shared and not only_acronyms):
            found.append(text)
    return found


def test_the_kazakh_pages_have_no_english_left(world, new_page, live_server):
    # Given a day of the campaign with something on every page: a place, a check-in, a result
    dana, place = something_on_every_page(world)
    soon, campaign = world.soon.id, world.campaign.id
    certificate = certificate_issue(user=dana, language="kk").content["code"]
    # A confirmed dump (the list, its page, the rates) and a report on the coordinator's work list.
    dump = dump_report(actor=dana, latitude=51.1283, longitude=71.4305, size="10_100_m2", waste_kinds=["mixed"])
    dump_confirm(actor=world.coordinator, dump_id=dump.id)
    dump_report(actor=dana, latitude=51.15, longitude=71.45, size="over_100_m2", waste_kinds=["plastic"])
    pages = {
        None: [
            ("home", "/"),
            ("events", "/events/"),
            ("event", f"/events/{world.later[0].id}/"),
            ("regions", "/regions/"),
            ("regions-plan", f"/regions/?mode=plan&campaign={campaign}&metric=participants&period=all&basis=per_1000"),
            ("region", "/regions/KZ-71/"),
            ("campaign", f"/campaigns/{campaign}/"),
            ("certificate-check", "/certificates/"),
            ("certificate-verify", f"/certificates/{certificate}/"),
            ("open-data", "/open-data/"),
            ("errata", "/open-data/errata/"),
            ("organisations", "/organisations/"),
            ("organisation", f"/organisations/{world.organiser.organisation_id}/"),
            ("volunteers", "/volunteers/"),
            ("dumps", "/dumps/"),
            ("dump", f"/dumps/{dump.id}/"),
            ("privacy", "/privacy/"),
            ("terms", "/terms/"),
            ("accessibility", "/accessibility/"),
            ("contact", "/contact/"),
            ("help", "/help/"),
            ("login", "/accounts/login/"),
            ("signup", "/accounts/signup/"),
        ],
        dana.email: [
            ("my-events", "/me/events/"),
            ("pass", f"/me/passes/{place.id}/"),
            ("event-registered", f"/events/{world.later[0].id}/"),
            ("certificate", "/me/certificate/"),
            ("profile", "/me/profile/"),
            ("dump-report", "/dumps/report/"),
        ],
        world.organiser.email: [
            ("organise", "/organise/"),
            ("console", f"/organise/events/{soon}/"),
            ("propose", "/organise/events/new/"),
            ("result", f"/organise/events/{soon}/result/"),
        ],
        world.coordinator.email: [
            ("coordinate", "/coordinate/"),
            ("verify", f"/coordinate/events/{soon}/verify/"),
        ],
    }

    failures = {}
    for who, paths in pages.items():
        kazakh, english = new_page("kk"), new_page("en")
        if who:
            sign_in(kazakh, live_server, who)
            sign_in(english, live_server, who)
        for name, path in paths:
            # When the same page is read in English and in Kazakh
            english.goto(live_server.url + path)
            kazakh.goto(live_server.url + path)
            assert kazakh.locator("html").get_attribute("lang") == "kk", path
            shot(kazakh, f"kk-{name}")

            # then the Kazakh page has nothing left in English
            left = untranslated(kazakh.evaluate(READ_TEXTS, "kk"), english.evaluate(READ_TEXTS, "en"))
            if left:
                failures[path] = left
        assert kazakh.errors == []

    assert failures == {}, "\n".join(f"{path}: {texts}" for path, texts in failures.items())
