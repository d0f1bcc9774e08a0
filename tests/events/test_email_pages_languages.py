"""The pages of emails and calendars (the profile's email choices and calendar address, the
unsubscribe question and its answer) in Kazakh and Russian have no English left in their main part, by the rule of
tests/browser/test_languages.py: no Latin word but the acronyms, and no text shared with the English
page; data (translate="no"), code and scripts are left out."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from volunteers.email_choices import unsubscribe_token

ACRONYMS = {"Taza", "API", "OpenAPI", "CSV", "UTF", "QR", "PDF", "JSON", "ISO", "ID"}
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
DIGITS_AND_SIGNS = re.compile(r"^[\d\s.,:;%+\-–—·/()#✓⏳«»\u00a0\u202f]*$")
SKIPPED = {"script", "style", "code", "pre", "noscript", "title"}
VOID = {"input", "br", "img", "meta", "link", "hr", "source", "area", "col", "embed", "wbr"}


class Texts(HTMLParser):
    """What a person reads in the body: text, placeholders, labels for screen readers, titles."""

    def __init__(self, language: str):
        super().__init__()
        self.language = language
        self.stack: list[bool] = []  # per open element: is its text skipped
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        skipped = (
            (self.stack and self.stack[-1])
            or tag in SKIPPED
            or attributes.get("translate") == "no"
            or attributes.get("lang", self.language) != self.language  # the language switch's names
        )
        if not skipped:
            for name in ("placeholder", "aria-label", "title", "alt"):
                if (attributes.get(name) or "").strip():
                    self.texts.append(attributes[name].strip())
        if tag not in VOID:
            self.stack.append(bool(skipped))

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not (self.stack and self.stack[-1]):
            self.texts.append(text)


def texts_of(html: str, language: str) -> list[str]:
    # The page's own part: the header and footer every page shares are checked by the browser test
    body = html[html.index("<main") : html.index("</main>")]
    parser = Texts(language)
    parser.feed(body)
    return parser.texts


def untranslated(page: list[str], english: list[str]) -> list[str]:
    shared = set(english)
    found = []
    for text in page:
        if DIGITS_AND_SIGNS.match(text):
            continue
        words = [w for w in LATIN_WORD.findall(text) if w not in ACRONYMS]
        only_acronyms = not words and not re.search(r"[^\W\d_]", LATIN_WORD.sub("", text))
        if words or (text in shared and not only_acronyms):
            found.append(text)
    return found


def pages(organiser, volunteer) -> dict[str, tuple]:
    token = unsubscribe_token(volunteer.volunteer_id, "reminders")
    return {
        "profile of a volunteer": (volunteer, "get", "/me/profile/"),
        "profile of an organiser": (organiser, "get", "/me/profile/"),
        "unsubscribe question": (None, "get", f"/unsubscribe/{token}/"),
        "unsubscribe answer": (None, "post", f"/unsubscribe/{token}/"),
    }


def render(who, method: str, path: str, language: str) -> str:
    client = Client()
    if who is not None:
        client.force_login(who)
    client.cookies["taza_language"] = language
    response = getattr(client, method)(path)
    assert response.status_code == 200, (path, language, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_email_and_calendar_pages_have_no_english_left(language, organiser, volunteer):
    left = {}
    for name, (who, method, path) in pages(organiser, volunteer).items():
        english = texts_of(render(who, method, path, "en"), "en")
        page = texts_of(render(who, method, path, language), language)
        if found := untranslated(page, english):
            left[name] = found
        assert any("emails" in t.lower() or "календар" in t.lower() or "хат" in t.lower() or "пись" in t.lower()
                   for t in page), name  # fmt: skip

    assert left == {}


def test_the_english_pages_read_english(organiser, volunteer):
    profile = render(volunteer, "get", "/me/profile/", "en")
    assert "Save my email choices" in profile and "Give my calendar a new address" in profile
    assert "the coordinator's decision on my results" not in profile  # an organiser's choice only
    assert "the coordinator's decision on my results" in render(organiser, "get", "/me/profile/", "en")
