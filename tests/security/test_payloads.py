"""No payload survives unescaped: every user-written text, on every page, in kk, ru and en.

The world (tests/security/hostile.py) writes a classic script-injection payload into every text a
person can write, through the API, the profile page and the admin. Then every page of
frontend/urls.py (and the account pages) is rendered for each kind of person, in each language, and
PARSED: a payload that escaped would leave an element or attribute in the document (an on*
handler, an <img src=x>, a <script> without src, an <iframe>, a javascript: URL). Text is fine,
and each label must be seen as text somewhere, so the test shows the data was on the pages.
"""

from __future__ import annotations

import io
import itertools
import json
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver

from certificates.services import certificate_issue, certificate_name_show
from events.models import CheckIn
from frontend import urls as frontend_urls
from photos.models import Photo
from tests.security.hostile import HostileWorld, build_hostile_world
from volunteers.email_choices import unsubscribe_token
from volunteers.models import Organisation

pytestmark = pytest.mark.django_db

LANGUAGES = ("kk", "ru", "en")
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "font-src": "'self'",
    "worker-src": "'self'",
    "manifest-src": "'self'",
    "form-action": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
}


def policy_of(response) -> dict[str, str]:
    directives = (part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return dict(directives)


# Elements no page of ours has, and only an injection could add.
FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "math", "mglyph", "frame", "frameset", "applet", "style"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "poster"}
# Written, but shown on no page (it goes to the API and to emails, which are plain text).
NOT_ON_PAGES = {"reschedule.reason"}  # the verification reason is shown to the organiser now
ACCOUNT_PAGES = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/accounts/email/",
                 "/accounts/password/change/"]  # fmt: skip


class Document(HTMLParser):
    """What a browser would build from the page that matters here: elements, attributes, scripts, text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> handler")
            if name == "style":
                self.problems.append(f"<{tag} style=…> (the CSP allows no inline style)")
            if name in URL_ATTRIBUTES and (value or "").strip().lower().replace("\t", "").startswith(
                ("javascript:", "data:text/html", "vbscript:")
            ):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if (
                name not in ("value", "content", "placeholder", "title", "aria-label", "alt")
                and value
                and "__xss" in value
            ):
                self.problems.append(f"<{tag} {name}={value!r}> carries a payload in an attribute it could act on")
        # Our images are same-origin paths (/static/…, the console's /organise/…/check-in-qr.svg);
        # a payload's is relative ("x"), protocol-relative ("//evil") or a scheme ("javascript:").
        src = named.get("src") or ""
        if tag == "img" and not (src.startswith("/") and not src.startswith("//")):
            self.problems.append(f"<img src={named.get('src')!r}>")
        if tag == "script":
            if named.get("src"):
                if not named["src"].startswith("/"):
                    self.problems.append(f"<script src={named['src']!r}> from elsewhere")
                self._script = None
            elif named.get("type") == "application/json":
                self._script = {"json": True, "text": []}
            else:
                self.problems.append("inline <script> (the CSP runs none)")
                self._script = {"json": False, "text": []}

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            body = "".join(self._script["text"])
            if self._script["json"]:
                try:
                    json.loads(body)
                except ValueError:
                    self.problems.append(f"application/json script that is not JSON: {body[:80]!r}")
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script["text"].append(data)
        else:
            self.text.append(data)

    def handle_comment(self, data):
        if "__xss" in data:
            self.problems.append(f"payload became a comment: {data[:60]!r}")


def parse(html: str) -> Document:
    document = Document()
    document.feed(html)
    document.close()
    return document


def certificate_code_of(volunteer) -> str:
    certificate_name_show(user=volunteer, shown=True)
    return certificate_issue(user=volunteer, language="en").content["code"]


def frontend_paths(world: HostileWorld) -> list[str]:
    """Every page of frontend/urls.py with every id it can take in this world."""
    values = {
        "event_id": list(world.events.values()),
        "registration_id": world.registrations,
        "checkin_id": [str(pk) for pk in CheckIn.objects.values_list("id", flat=True)],
        "code": ["KZ-71"],
        "campaign_id": [world.campaign_id],
        "organisation_id": [str(pk) for pk in Organisation.objects.values_list("id", flat=True)],
        # The calendar feed's secret and the unsubscribe link's signed token: the volunteer's.
        "token": [world.volunteer.calendar_token, unsubscribe_token(world.volunteer.volunteer_id, "reminders")],
        "language": list(LANGUAGES),  # the preview images' (preview.kk.png)
        # A certificate of the volunteer (the soon event's hostile title), its name shown on its check.
        "certificate_code": [certificate_code_of(world.volunteer)],
        # The dumps' pages (a confirmed, a dismissed and a waiting report) and the coordinator's decisions.
        "dump_id": world.dumps,
        "decision": ["confirm"],
        # A photo's moderation (a POST only: walked with whatever photos the world has).
        "photo_id": [str(pk) for pk in Photo.objects.values_list("id", flat=True)],
        # The PMTiles basemap's version (no archive is set here: its address answers 404).
        "version": ["0123456789abcdef"],
    }
    paths = []
    for pattern in frontend_urls.urlpatterns:
        assert isinstance(pattern, URLPattern) and not isinstance(pattern, URLResolver)
        route = str(pattern.pattern)
        names = re.findall(r"<(?:\w+:)?(\w+)>", route)
        unknown = set(names) - set(values)
        # A new kind of page parameter must be added above, so its pages are walked too.
        assert not unknown, f"no values for {unknown} in {route}"
        for combination in itertools.product(*(values[name] for name in names)):
            path = route
            for value in combination:
                path = re.sub(r"<(?:\w+:)?\w+>", value, path, count=1)
            paths.append("/" + path)
    return paths


@pytest.fixture
def world(db) -> HostileWorld:
    return build_hostile_world()


def test_no_payload_survives_on_any_page_in_any_language(world):
    people = {
        "anonymous": None,
        "volunteer": world.volunteer,
        "organiser": world.organiser,
        "coordinator": world.coordinator,
        "admin": world.admin,
    }
    paths = frontend_paths(world) + ACCOUNT_PAGES
    problems: dict[str, list[str]] = {}
    seen_text: list[str] = []
    rendered = 0
    for (who, user), language in ((p, lang) for p in people.items() for lang in LANGUAGES):
        client = Client()
        if user is not None:
            client.force_login(user)
        client.cookies["taza_language"] = language
        for path in paths:
            response = client.get(path)
            assert response.status_code in (200, 302, 403, 404, 405), (who, language, path, response.status_code)
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            rendered += 1
            assert policy_of(response) == POLICY, path
            document = parse(response.content.decode())
            if document.problems:
                problems[f"{who} {language} {path}"] = document.problems
            seen_text.append("".join(document.text))

    assert problems == {}
    assert rendered > 200
    # Every text that was written is shown somewhere, as text: the pages did carry the payloads.
    everything = "\n".join(seen_text)
    unseen = {label.rsplit(".", 1)[0] for label in world.labels - world.replaced if f"[{label}]" not in everything}
    assert unseen == NOT_ON_PAGES


def test_the_shared_forms_of_a_hostile_event_draw_and_escape_its_texts(world):
    """Every public event's preview image is drawn, whatever its title, and its poster shows the title
    as text: the poster's one unescaped part, the QR code, is geometry of our own address."""
    from PIL import Image

    from events.models import Event

    public = Event.objects.filter(pk__in=world.events.values(), status=Event.Status.APPROVED)
    assert public.count() >= 15  # one approved event per payload at least
    client = Client()
    for event in public:
        for language in LANGUAGES:
            client.cookies["taza_language"] = language
            image = client.get(f"/events/{event.id}/preview.{language}.png")
            assert image.status_code == 200 and image["Content-Type"] == "image/png", (event.title, language)
            assert Image.open(io.BytesIO(image.content)).size == (1200, 630)
            poster = client.get(f"/events/{event.id}/poster/")
            document = parse(poster.content.decode())
            assert poster.status_code == 200 and document.problems == [], (event.title, document.problems)
            assert event.title.split()[0] in "".join(document.text)
