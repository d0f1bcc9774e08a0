"""The story of issue 4, end to end through the API, as the phone apps and pages will drive it.

An admin launches a campaign with targets, an organiser proposes a clean-up, the coordinator of
Astana approves it, four volunteers register for three places (one waits and is promoted when
another cancels), they are checked in by QR pass (one from an offline queue uploaded twice) and by
the event code, the organiser logs the result and corrects one figure, the coordinator accepts it;
then the projections rebuilt from the ledger equal the live ones and the ledger verifies.
"""

import datetime as dt
import uuid

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from events.models import Event
from ledger.models import Fact
from tests.events.conftest import ASTANA, person
from tests.events.tables import event_tables, rebuild_event_tables
from volunteers.models import Organisation, User
from volunteers.roles import Role

pytestmark = pytest.mark.django_db


def client_of(user: User) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_a_clean_up_from_launch_to_verified_result(time_machine, django_capture_on_commit_callbacks, mailoutbox):
    eco_club = Organisation.objects.create(name_en="ENU Eco-club", kind=Organisation.Kind.UNIVERSITY, region_id=ASTANA)
    admin = client_of(person("admin@taza.test", "Admin", Role.ADMIN))
    organiser = client_of(person("arman@taza.test", "Arman", Role.ORGANISER, organisation=eco_club))
    coordinator = client_of(person("saule@taza.test", "Saule", Role.COORDINATOR, region=ASTANA))
    aigerim, bolat, dana, erlan = (
        person(f"{name.lower()}@taza.test", name, birth_date=dt.date(2003, 3, 8), language="en")
        for name in ("Aigerim", "Bolat", "Dana", "Erlan")
    )
    today = timezone.localdate()

    # An admin launches a campaign with a target for Astana
    response = admin.post(
        "/api/v1/campaigns/",
        {
            "name": {"kk": "Таза Қазақстан", "ru": "Таза Казахстан", "en": "Taza Kazakhstan"},
            "starts_on": str(today - dt.timedelta(days=5)),
            "ends_on": str(today + dt.timedelta(days=30)),
            "event_kinds": ["cleanup", "tree_planting"],
            "targets": [{"region": ASTANA, "metric": "waste_kg", "value": "50000"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    campaign_id = response.json()["id"]

    # An organiser proposes a clean-up for three volunteers; it is not public yet
    starts_at = timezone.now().replace(microsecond=0) + dt.timedelta(days=2)
    proposal = {
        "campaign_id": campaign_id,
        "kind": "cleanup",
        "title": "Esil embankment clean-up",
        "region": ASTANA,
        "address": "Esil embankment, near the Triumphal Arch",
        "latitude": 51.1283,
        "longitude": 71.4305,
        "starts_at": starts_at.isoformat(),
        "ends_at": (starts_at + dt.timedelta(hours=3)).isoformat(),
        "capacity": 3,
        "what_to_bring": "Gloves and water.",
    }
    response = organiser.post("/api/v1/events/", proposal, format="json", HTTP_IDEMPOTENCY_KEY="esil-2026")
    assert (response.status_code, response.json()["status"]) == (201, "proposed")
    event_id = response.json()["id"]
    assert APIClient().get("/api/v1/events/").json()["count"] == 0
    # (the organiser's app retried the proposal: the same event comes back, nothing new is recorded)
    retry = organiser.post("/api/v1/events/", proposal, format="json", HTTP_IDEMPOTENCY_KEY="esil-2026")
    assert (retry.status_code, retry.json()["id"]) == (201, event_id)

    # The coordinator of Astana approves it, and it is public
    response = coordinator.post(f"/api/v1/events/{event_id}/approve/")
    assert (response.status_code, response.json()["status"]) == (200, "approved")
    public = APIClient().get("/api/v1/events/", {"region": ASTANA}).json()
    assert [e["id"] for e in public["results"]] == [event_id]

    # Four volunteers register for three places: Erlan waits
    registrations = {}
    for volunteer in (aigerim, bolat, dana, erlan):
        response = client_of(volunteer).post(f"/api/v1/events/{event_id}/registrations/")
        assert response.status_code == 201
        registrations[volunteer.display_name] = response.json()
    assert {name: r["status"] for name, r in registrations.items()} == {
        "Aigerim": "registered",
        "Bolat": "registered",
        "Dana": "registered",
        "Erlan": "waitlisted",
    }
    assert registrations["Erlan"]["waitlist_position"] == 1

    # Dana cannot come after all: Erlan gets her place and an email saying so. The confirmations of
    # the registrations go out with it: Dana's is not sent (she gave the place back first), nor
    # Erlan's (his promotion's email says more)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(dana).post(f"/api/v1/registrations/{registrations['Dana']['id']}/cancel/")
    assert response.json()["status"] == "cancelled"
    erlan_now = client_of(erlan).get(f"/api/v1/registrations/{registrations['Erlan']['id']}/").json()
    assert (erlan_now["status"], erlan_now["waitlist_position"]) == ("registered", None)
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["aigerim@taza.test"], "[Taza] You are registered: Esil embankment clean-up"),
        (["bolat@taza.test"], "[Taza] You are registered: Esil embankment clean-up"),
        (["erlan@taza.test"], "[Taza] You have a place: Esil embankment clean-up"),
    ]

    # On the day, a quarter of an hour before the start, the organiser scans Aigerim's pass …
    time_machine.move_to(starts_at - dt.timedelta(minutes=15), tick=False)
    token = client_of(aigerim).get(f"/api/v1/registrations/{registrations['Aigerim']['id']}/pass/").json()["token"]
    scanned = organiser.post(f"/api/v1/events/{event_id}/checkins/pass/", {"token": token}, format="json")
    assert (scanned.status_code, scanned.json()["recorded"], scanned.json()["checkin"]["method"]) == (201, True, "qr")
    again = organiser.post(f"/api/v1/events/{event_id}/checkins/pass/", {"token": token}, format="json")
    assert (again.status_code, again.json()["recorded"]) == (200, False)

    # … scans Bolat's while the phone is offline, and uploads its queue twice when it is back
    bolat_token = client_of(bolat).get(f"/api/v1/registrations/{registrations['Bolat']['id']}/pass/").json()["token"]
    queue = {
        "items": [
            {"fact_id": str(uuid.uuid4()), "token": bolat_token, "checked_in_at": timezone.now().isoformat()},
        ]
    }
    time_machine.move_to(starts_at + dt.timedelta(minutes=20), tick=False)
    first = organiser.post(f"/api/v1/events/{event_id}/checkins/upload/", queue, format="json").json()
    second = organiser.post(f"/api/v1/events/{event_id}/checkins/upload/", queue, format="json").json()
    assert [r["status"] for r in first["results"]] == ["ok"]
    assert [r["status"] for r in second["results"]] == ["duplicate"]
    assert (
        first["results"][0]["checkin"]["checked_in_at"]
        == (starts_at - dt.timedelta(minutes=15)).astimezone(timezone.get_current_timezone()).isoformat()
    )

    # … and Erlan types the event code the organiser shows on site
    code = organiser.get(f"/api/v1/events/{event_id}/").json()["short_code"]
    assert client_of(erlan).get(f"/api/v1/events/{event_id}/").json()["short_code"] is None
    response = client_of(erlan).post(f"/api/v1/events/{event_id}/checkins/code/", {"code": code.lower()})
    assert (response.status_code, response.json()["checkin"]["method"]) == (201, "event_code")
    roster = organiser.get(f"/api/v1/events/{event_id}/roster/").json()
    assert [(line["name"], line["method"]) for line in roster] == [
        ("Aigerim", "qr"),
        ("Bolat", "qr"),
        ("Erlan", "event_code"),
    ]

    # After the event the organiser logs the result, then corrects the plastic with a reason
    time_machine.move_to(starts_at + dt.timedelta(hours=4), tick=False)
    result = {"waste_kg": {"plastic": "40.5", "mixed": "120"}, "trees": 0, "area_ha": "1.2", "headcount": 4}
    logged = organiser.post(f"/api/v1/events/{event_id}/result/", result, format="json")
    assert logged.status_code == 201, logged.json()
    corrected = organiser.post(
        f"/api/v1/events/{event_id}/result/",
        {**result, "waste_kg": {"plastic": "45", "mixed": "120"}, "correction_reason": "Weighed again at the depot."},
        format="json",
    )
    assert corrected.status_code == 201, corrected.json()
    assert [r["waste_kg"]["plastic"] for r in corrected.json()["reports"]] == ["40.5", "45"]
    assert corrected.json()["figures"]["waste_kg.plastic"] == {"reported": "45", "verified": None, "status": "awaiting"}

    # The coordinator accepts the corrected result: every figure is verified
    version = corrected.json()["version"]
    response = coordinator.post(
        f"/api/v1/events/{event_id}/result/verify/", {"decision": "accepted", "result_version": version}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "accepted"
    assert response.json()["figures"] == {
        "area_ha": {"reported": "1.2", "verified": "1.2", "status": "verified"},
        "headcount": {"reported": "4", "verified": "4", "status": "verified"},
        "trees": {"reported": "0", "verified": "0", "status": "verified"},
        "waste_kg.mixed": {"reported": "120", "verified": "120", "status": "verified"},
        "waste_kg.plastic": {"reported": "45", "verified": "45", "status": "verified"},
    }

    # The event's stream tells the whole story, once each, and each person's attendance is a stream of its own
    stream = list(Fact.objects.filter(stream=f"event-{event_id}").order_by("version").values_list("type", flat=True))
    assert stream == [
        "EventProposed",
        "EventApproved",
        *["VolunteerRegistered"] * 4,
        "RegistrationCancelled",
        "WaitlistPromoted",
        "ResultLogged",
        "ResultLogged",
        "ResultVerified",
    ]
    attendance = Fact.objects.filter(stream__startswith=f"attendance-{event_id}-").values_list("version", "type")
    assert sorted(attendance) == [(1, "VolunteerCheckedIn")] * 3
    event = Event.objects.get(pk=event_id)
    assert (event.version, event.registered_count, event.waitlisted_count, event.checked_in_count) == (11, 3, 0, 3)

    # The projections rebuilt from the ledger are the live ones, and the ledger verifies
    live = event_tables()
    call_command("ledger", "rebuild", "--all")
    assert event_tables() == live
    call_command("ledger", "verify")
    rebuild_event_tables()
    assert event_tables() == live
