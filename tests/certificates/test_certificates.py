"""Certificates anyone can check (issue 16): Dana was at two clean-ups; her certificate fixes what it
certifies under a code, its QR code opens the public check, and its signed file checks out offline
with the published key and fails when one hour is changed."""

from __future__ import annotations

import base64
import datetime as dt
import json
import subprocess
import sys
import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from certificates.codes import code_display, code_new
from certificates.keys import verifier
from certificates.models import Certificate
from events.services import checkin_from_roster, checkout_record, registration_create, volunteer_delete
from tests.browser.world import build_world, person
from volunteers.models import User

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 6, 5, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=5)))  # Astana
FIRST, SECOND = dt.date(2026, 6, 5), dt.date(2026, 6, 8)
ESIL, GARDEN = "Esil embankment clean-up", "Tree planting in the Botanical Garden"


@pytest.fixture(autouse=True)
def _no_guesses_counted():
    cache.clear()  # the look-up limit counts per client address, in the cache
    yield
    cache.clear()


@pytest.fixture
def world(db, time_machine):
    """On 5 June at 9:00: the Esil clean-up 9:30-12:30, the Botanical Garden planting on 8 June
    9:00-12:00 (tests/browser/world.py)."""
    time_machine.move_to(START, tick=False)
    return build_world()


@pytest.fixture
def dana(db) -> User:
    return person("dana@taza.test", "Dana Seitova")


@pytest.fixture
def two_events(world, dana, time_machine) -> dict[str, uuid.UUID]:
    """Dana checked in at the Esil clean-up before it starts, out at 11:00 (1.50 h), and at the
    planting at its start, staying to the end (3.00 h); it is 8 June, 12:30."""
    esil, garden = world.soon, world.later[0]
    place = registration_create(actor=dana, event_id=esil.id)
    checkin_from_roster(actor=world.organiser, event_id=esil.id, registration_id=place.id)
    time_machine.move_to(START + dt.timedelta(hours=2), tick=False)
    checkout_record(actor=dana, event_id=esil.id)
    garden_place = registration_create(actor=dana, event_id=garden.id)
    time_machine.move_to(garden.starts_at, tick=False)
    checkin_from_roster(actor=world.organiser, event_id=garden.id, registration_id=garden_place.id)
    time_machine.move_to(garden.ends_at + dt.timedelta(minutes=30), tick=False)
    return {"esil": esil.id, "garden": garden.id}


def issued(client, dana: User) -> Certificate:
    client.force_login(dana)
    page = client.get("/me/certificate/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    certificate = Certificate.objects.get(volunteer=dana)
    assert certificate.content["code"] in page.content.decode()
    client.logout()
    return certificate


def downloaded(client, dana: User) -> dict:
    client.force_login(dana)
    response = client.get("/me/certificate.json", HTTP_ACCEPT_LANGUAGE="en")
    client.logout()
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="certificate-')
    return json.loads(response.content)


def test_the_check_shows_exactly_the_two_events_and_their_hours(client, dana, two_events):
    certificate = issued(client, dana)
    code = certificate.content["code"]

    page = client.get(f"/certificates/{code}/", HTTP_ACCEPT_LANGUAGE="en")
    answer = client.get(f"/api/v1/certificates/{code}/").json()

    assert page.status_code == 200
    check = page.context["check"]
    assert check.authentic is True
    assert [(e.title, e.date, e.region, str(e.hours)) for e in check.events] == [
        (GARDEN, SECOND, "Astana", "3.00"),
        (ESIL, FIRST, "Astana", "1.50"),
    ]
    assert (str(check.hours), check.period_from, check.period_to) == ("4.50", FIRST, SECOND)
    assert "Authentic." in page.content.decode()
    assert answer == {
        "code": code,
        "authentic": True,
        "name": None,
        "language": "en",
        "events": [
            {
                "event_id": str(two_events["garden"]),
                "title": GARDEN,
                "date": "2026-06-08",
                "region": "Astana",
                "hours": "3.00",
            },
            {
                "event_id": str(two_events["esil"]),
                "title": ESIL,
                "date": "2026-06-05",
                "region": "Astana",
                "hours": "1.50",
            },
        ],
        "hours": "4.50",
        "period_from": "2026-06-05",
        "period_to": "2026-06-08",
        "issued_at": "2026-06-08T12:30:00+05:00",
        "key_name": "taza.local/certificates",
        "key_id": verifier().id.hex(),
    }


def test_the_printed_certificate_carries_its_code_and_a_qr_code_to_its_check(client, dana, two_events):
    client.force_login(dana)

    page = client.get("/me/certificate/", HTTP_ACCEPT_LANGUAGE="en")

    code = Certificate.objects.get(volunteer=dana).content["code"]
    assert page.context["verify_url"] == f"http://testserver/certificates/{code}/"
    text = page.content.decode()
    assert f'<code class="certificate__code" translate="no">{code}</code>' in text
    assert "<svg" in text and "4.50 hours in all" in text


def test_the_same_content_is_one_certificate_and_a_new_content_a_new_one(client, world, dana, two_events, time_machine):
    first = issued(client, dana)
    assert issued(client, dana).code == first.code  # opened again: the same certificate
    with pytest.raises(DatabaseError), transaction.atomic():
        Certificate.objects.filter(code=first.code).update(content={**first.content, "hours": "99.00"})

    # Dana is checked in at a third event: the next opening certifies three under a new code
    park = world.later[1]
    place = registration_create(actor=dana, event_id=park.id)
    time_machine.move_to(park.starts_at, tick=False)
    checkin_from_roster(actor=world.organiser, event_id=park.id, registration_id=place.id)
    time_machine.move_to(park.ends_at, tick=False)
    client.force_login(dana)
    client.get("/me/certificate/", HTTP_ACCEPT_LANGUAGE="en")

    codes = list(Certificate.objects.filter(volunteer=dana).order_by("issued_at").values_list("code", flat=True))
    assert len(codes) == 2 and codes[0] == first.code
    old = client.get(f"/api/v1/certificates/{code_display(first.code)}/").json()
    new = client.get(f"/api/v1/certificates/{code_display(codes[1])}/").json()
    assert (old["authentic"], old["hours"], len(old["events"])) == (True, "4.50", 2)
    assert (new["authentic"], new["hours"], len(new["events"])) == (True, "7.50", 3)


def test_a_row_changed_behind_the_platforms_back_is_not_authentic(client, dana, two_events):
    certificate = issued(client, dana)
    # The owner of the database turns the trigger off (rolled back with the test) and edits the hours
    on = " ON certificates_certificate" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TRIGGER certificates_certificate_never_edited{on}")
    Certificate.objects.filter(code=certificate.code).update(content={**certificate.content, "hours": "40.50"})

    page = client.get(f"/certificates/{certificate.content['code']}/", HTTP_ACCEPT_LANGUAGE="en")

    assert (page.context["check"].authentic, str(page.context["check"].hours)) == (False, "40.50")
    assert "Not authentic." in page.content.decode()


def test_the_signature_verifies_with_cryptography_directly(client, dana, two_events):
    document = downloaded(client, dana)

    name, key_id, key = verifier().vkey.split("+", 2)
    raw = base64.b64decode(key)
    assert (document["key_name"], document["key_id"], raw[0]) == (name, key_id, 0x01)
    # RFC 8785 of this content (strings and objects only, ASCII keys) is json.dumps with sorted keys
    message = json.dumps(document["content"], sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    Ed25519PublicKey.from_public_bytes(raw[1:]).verify(base64.b64decode(document["signature"]), message)
    assert document["content"]["name"] == "Dana Seitova"
    assert "volunteer_id" not in json.dumps(document) and str(dana.volunteer_id) not in json.dumps(document)


def test_offline_the_file_checks_out_and_one_changed_hour_does_not(client, dana, two_events, tmp_path):
    document = downloaded(client, dana)
    key = verifier().vkey
    assert key in client.get("/open-data/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    good, tampered = tmp_path / "good.json", tmp_path / "tampered.json"
    good.write_text(json.dumps(document))
    document["content"]["events"][1]["hours"] = "4.50"
    tampered.write_text(json.dumps(document))

    # The check needs no database: run where none can be reached
    run = [sys.executable, "manage.py", "verify_certificate", "--key", key]
    environment = {"DATABASE_URL": "postgres://nobody@127.0.0.1:9/none", "PATH": "/usr/bin:/bin"}
    passed = subprocess.run([*run, str(good)], capture_output=True, text=True, cwd=settings.BASE_DIR, env=environment)
    failed = subprocess.run(
        [*run, str(tampered)], capture_output=True, text=True, cwd=settings.BASE_DIR, env=environment
    )

    assert passed.returncode == 0, passed.stderr
    assert passed.stdout.splitlines()[:3] == [
        f"AUTHENTIC: certificate {document['content']['code']}, signed by {key.rsplit('+', 1)[0]}",
        "  name: Dana Seitova",
        "  4.50 hours in all, 2026-06-05 to 2026-06-08",
    ]
    assert failed.returncode == 1
    assert failed.stderr.strip() == (
        "CommandError: NOT AUTHENTIC: the signature does not verify: the content is not what was signed "
        "(changed after issue, or forged)"
    )


def test_a_file_checked_with_another_key_says_so(client, dana, two_events, tmp_path):
    document = downloaded(client, dana)
    path = tmp_path / "certificate.json"
    path.write_text(json.dumps(document))
    other = "other+" + verifier().vkey.split("+", 1)[1]  # another name: another key ID

    with pytest.raises(CommandError, match="not a verifier key: the key ID does not match the key"):
        call_command("verify_certificate", str(path), key=other)


def test_the_name_is_shown_only_when_the_volunteer_chose_so(client, dana, two_events):
    code = issued(client, dana).content["code"]
    hidden = client.get(f"/certificates/{code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    client.force_login(dana)
    assert client.post("/me/profile/certificate/", {"certificate_shows_name": "on"}).status_code == 302
    client.logout()
    shown = client.get(f"/certificates/{code}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    shown_api = client.get(f"/api/v1/certificates/{code}/").json()["name"]
    client.force_login(dana)
    client.post("/me/profile/certificate/", {})
    client.logout()

    assert "Dana Seitova" not in hidden and "The volunteer chose not to show their name here." in hidden
    assert '<dd translate="no">Dana Seitova</dd>' in shown and shown_api == "Dana Seitova"
    assert client.get(f"/api/v1/certificates/{code}/").json()["name"] is None


def test_an_unknown_code_is_a_clear_404_and_a_mistyped_one_says_so(client):
    unknown = code_display(code_new())
    body = unknown[:-1] + ("0" if unknown[-1] != "0" else "1")  # the check character wrong

    page = client.get(f"/certificates/{unknown}/", HTTP_ACCEPT_LANGUAGE="en")
    mistyped = client.get(f"/certificates/{body}/", HTTP_ACCEPT_LANGUAGE="en")
    api = client.get(f"/api/v1/certificates/{unknown}/", HTTP_ACCEPT_LANGUAGE="en")
    form = client.get("/certificates/", {"code": f" {unknown.lower()} "})

    assert page.status_code == 404 and "No certificate has this code." in page.content.decode()
    assert mistyped.status_code == 404 and "This code is mistyped" in mistyped.content.decode()
    assert api.status_code == 404 and api.json()["error"]["code"] == "certificate_not_found"
    assert (form.status_code, form["Location"]) == (302, f"/certificates/{unknown}/")


def test_trying_codes_is_refused_after_the_limit_even_for_a_known_code(client, dana, two_events, settings):
    settings.TAZA_CERTIFICATE_GUESSES = "3/m/ip"
    known = issued(client, dana).content["code"]
    mistyped = known[:-1] + ("0" if known[-1] != "0" else "1")

    answers = [client.get(f"/certificates/{mistyped}/").status_code]  # a typo is not counted
    answers += [client.get(f"/certificates/{code_display(code_new())}/").status_code for _ in range(3)]
    refused = client.get(f"/certificates/{known}/", HTTP_ACCEPT_LANGUAGE="en")
    api = client.get(f"/api/v1/certificates/{known}/")

    assert answers == [404, 404, 404, 404]
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 60
    assert "Too many codes that name no certificate were tried from here." in refused.content.decode()
    assert (api.status_code, api.json()["error"]["code"]) == (429, "too_many_certificate_codes")


def test_erasing_the_account_erases_its_certificates(client, dana, two_events):
    code = issued(client, dana).content["code"]

    volunteer_delete(actor=dana, volunteer=dana)

    assert client.get(f"/api/v1/certificates/{code}/").status_code == 404
    assert Certificate.objects.count() == 0
