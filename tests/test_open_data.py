"""The open data does not expose people or secrets (issue 10), read as anyone can: the public feed.

One volunteer, Aigerim, goes to three events of one campaign: she is checked in at the first by
her pass and checks out, types the event code at the second, and cancels the third. Bolat is at
the first too. A fourth event stays proposed and a fifth is rejected; the first was edited while
proposed. Then the whole feed is read anonymously over HTTP and every JSON value in it is looked
at: nothing links two of Aigerim's events, no id of a person, no event code, nothing of the
proposed or rejected events or of the first event's title before approval is there, and the
recount from the feed (`totals_recompute` against the live server) equals the published totals.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from ledger.public import declared_forms
from tests.events.conftest import ASTANA, person
from tests.stats.history import fold_all
from tests.test_story import client_of
from volunteers.models import Organisation
from volunteers.roles import Role

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_stats_cache")]

# Keys whose values are the same for every event by design: what kind of fact, where, which drive.
EVENT_INDEPENDENT = {"type", "schema_version", "version", "source", "campaign_id", "organisation_id", "kind"}
EVENT_INDEPENDENT |= {"region", "method", "age_band"}


def walk(value, key: str = "") -> Iterator[tuple[str, object]]:
    """Every (key, scalar value) in a JSON document, at any depth."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from walk(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v, key)
    else:
        yield key, value


def whole_feed(**params) -> list[dict]:
    facts, after = [], 0
    while True:
        page = APIClient().get("/api/v1/facts/", {"after": after, "limit": 7, **params}).json()
        facts += page["results"]
        if not page["next"]:
            return facts
        after = page["next_after"]


def test_the_feed_links_no_two_events_of_a_person_and_shows_no_secret_and_no_unapproved_event(
    live_server, time_machine
):
    time_machine.move_to(timezone.now(), tick=True)
    eco_club = Organisation.objects.create(name_en="ENU Eco-club", kind=Organisation.Kind.UNIVERSITY, region_id=ASTANA)
    admin_user = person("admin@taza.test", "Admin", Role.ADMIN)
    organiser_user = person("arman@taza.test", "Arman", Role.ORGANISER, organisation=eco_club)
    coordinator_user = person("saule@taza.test", "Saule", Role.COORDINATOR, region=ASTANA)
    aigerim = person("aigerim@taza.test", "Aigerim", birth_date=dt.date(2003, 3, 8))
    bolat = person("bolat@taza.test", "Bolat", birth_date=dt.date(1980, 1, 2))
    admin, organiser, coordinator = client_of(admin_user), client_of(organiser_user), client_of(coordinator_user)
    today = timezone.localdate()
    campaign = admin.post(
        "/api/v1/campaigns/",
        {
            "name": {"kk": "Таза Қазақстан", "ru": "Таза Казахстан", "en": "Taza Kazakhstan"},
            "starts_on": str(today - dt.timedelta(days=1)),
            "ends_on": str(today + dt.timedelta(days=30)),
            "event_kinds": ["cleanup"],
            "targets": [{"region": ASTANA, "metric": "waste_kg", "value": "50000"}],
        },
        format="json",
    ).json()["id"]
    early = whole_feed()

    # Given five proposals; the first is edited while proposed, three are approved, one rejected
    base = timezone.now().replace(microsecond=0) + dt.timedelta(days=2)
    events = {}
    for n, name in enumerate(("first", "second", "third", "pending", "refused")):
        starts_at = base + dt.timedelta(days=n, minutes=7 * n)
        response = organiser.post(
            "/api/v1/events/",
            {
                "campaign_id": campaign,
                "kind": "cleanup",
                "title": f"Clean-up {name} of Esil",
                "region": ASTANA,
                "address": f"Esil embankment, gate {n + 11}",
                "latitude": 51.1 + n / 100,
                "longitude": 71.4 + n / 100,
                "starts_at": starts_at.isoformat(),
                "ends_at": (starts_at + dt.timedelta(hours=3 + n)).isoformat(),
                "capacity": 10 + n,
                "what_to_bring": f"Gloves, pair {n + 1}.",
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        events[name] = response.json()["id"]
    edited = organiser.patch(
        f"/api/v1/events/{events['first']}/", {"title": "Esil clean-up, north bank"}, format="json"
    )
    assert edited.status_code == 200, edited.json()
    while_proposed = whole_feed()
    for name in ("first", "second", "third"):
        assert coordinator.post(f"/api/v1/events/{events[name]}/approve/").status_code == 200
    assert coordinator.post(f"/api/v1/events/{events['refused']}/reject/", {"reason": "No permit"}).status_code == 200
    codes = {name: organiser.get(f"/api/v1/events/{id_}/").json()["short_code"] for name, id_ in events.items()}

    # Aigerim registers for three events and cancels the third; Bolat registers for the first
    places = {}
    for name in ("first", "second", "third"):
        response = client_of(aigerim).post(f"/api/v1/events/{events[name]}/registrations/")
        assert response.status_code == 201, response.json()
        places[name] = response.json()["id"]
    bolat_place = client_of(bolat).post(f"/api/v1/events/{events['first']}/registrations/").json()["id"]
    assert client_of(aigerim).post(f"/api/v1/registrations/{places['third']}/cancel/").status_code == 200

    # At the first, her pass is scanned, Bolat is ticked on the roster, she leaves after two hours
    time_machine.move_to(base - dt.timedelta(minutes=10), tick=True)
    token = client_of(aigerim).get(f"/api/v1/registrations/{places['first']}/pass/").json()["token"]
    first_checkins = f"/api/v1/events/{events['first']}/checkins/"
    assert organiser.post(first_checkins + "pass/", {"token": token}, format="json").status_code == 201
    response = organiser.post(first_checkins + "roster/", {"registration_id": bolat_place}, format="json")
    assert response.status_code == 201, response.json()
    time_machine.move_to(base + dt.timedelta(hours=2), tick=True)
    assert client_of(aigerim).post(f"/api/v1/events/{events['first']}/checkouts/", {}).status_code in (200, 201)
    time_machine.move_to(base + dt.timedelta(hours=4), tick=True)
    result = {"waste_kg": {"plastic": "40.5"}, "trees": 0, "area_ha": "1.2", "headcount": 4}
    logged = organiser.post(f"/api/v1/events/{events['first']}/result/", result, format="json")
    assert logged.status_code == 201, logged.json()
    verified = coordinator.post(
        f"/api/v1/events/{events['first']}/result/verify/",
        {"decision": "accepted", "result_version": logged.json()["version"]},
        format="json",
    )
    assert verified.status_code == 200, verified.json()

    # At the second, she types the event code on her own phone
    time_machine.move_to(base + dt.timedelta(days=1, minutes=5), tick=True)
    response = client_of(aigerim).post(f"/api/v1/events/{events['second']}/checkins/code/", {"code": codes["second"]})
    assert response.status_code == 201, response.json()
    fold_all()

    # When anyone reads the whole feed
    feed = whole_feed()
    by_event = {name: [f for f in feed if f["data"].get("event_id") == id_] for name, id_ in events.items()}

    # Then each event is there from its approval on, in its public form only
    assert {name: [f["type"] for f in facts] for name, facts in by_event.items()} == {
        "first": [
            "EventApproved",
            "VolunteerCheckedIn",
            "VolunteerCheckedIn",
            "VolunteerCheckedOut",
            "ResultLogged",
            "ResultVerified",
        ],
        "second": ["EventApproved", "VolunteerCheckedIn"],
        "third": ["EventApproved"],
        "pending": [],
        "refused": [],
    }
    approved = by_event["first"][0]["data"]
    assert approved == {
        "event_id": events["first"],
        "campaign_id": campaign,
        "organisation_id": str(eco_club.id),
        "kind": "cleanup",
        # the texts as written, per language (an English client's plain texts are its English ones)
        "title": {"en": "Esil clean-up, north bank"},
        "description": {},
        "region": ASTANA,
        "address": {"en": "Esil embankment, gate 11"},
        "latitude": 51.1,
        "longitude": 71.4,
        "starts_at": approved["starts_at"],
        "ends_at": approved["ends_at"],
        "capacity": 10,
        "what_to_bring": {"en": "Gloves, pair 1."},
    }
    assert dt.datetime.fromisoformat(approved["starts_at"]) == base
    assert all(list(f["data"]) == list(declared_forms()[f["type"]].fields) for f in feed)
    assert all(f["meta"] == {"source": "api"} for f in feed if f["stream"].startswith(("event-", "attendance-")))

    # … with no id of a person, no event code, nothing of the events not approved
    people = [admin_user, organiser_user, coordinator_user, aigerim, bolat]
    never = {str(u.volunteer_id) for u in people}
    never |= {*places.values(), bolat_place, *codes.values(), events["pending"], events["refused"]}
    never |= {"Clean-up first of Esil", "Clean-up pending of Esil", "Clean-up refused of Esil", "No permit"}
    never |= {"Esil embankment, gate 14", "Esil embankment, gate 15", "Gloves, pair 4.", "Gloves, pair 5."}
    strings = [str(v) for _, v in walk(feed)]
    assert [(secret, s) for secret in never for s in strings if secret in s] == []
    assert not {"organiser_id", "coordinator_id", "actor_id", "volunteer_id", "registration_id", "short_code"} & {
        k for k, _ in walk(feed)
    }

    # … and no value ties two of Aigerim's events together, her pseudonym least of all
    seen: dict[tuple[str, object], set[str]] = defaultdict(set)
    for name in ("first", "second", "third"):
        for key, value in walk(by_event[name]):
            if key not in EVENT_INDEPENDENT and value not in (None, ""):
                seen[key, value].add(name)
    assert {value: names for value, names in seen.items() if len(names) > 1} == {}
    in_first = [f["data"]["volunteer_pseudonym"] for f in by_event["first"] if "volunteer_pseudonym" in f["data"]]
    assert len(in_first) == 3 and in_first[0] == in_first[2] != in_first[1]  # her check-in and check-out
    assert len(by_event["second"][1]["data"]["volunteer_pseudonym"]) == 32

    # … and what was served before an approval is served the same, in the same place, after it
    assert feed[: len(early)] == early
    assert feed[: len(while_proposed)] == while_proposed == early

    # … and asking for the unapproved events' streams, or for the kinds of fact never shown, tells
    # nothing more than asking for what does not exist: not even where they are
    nothing = {"results": [], "next_after": 0, "next": None}
    anonymous = APIClient()
    for stream in (f"event-{events['pending']}", f"event-{events['refused']}", "event-no-such-event"):
        assert anonymous.get("/api/v1/facts/", {"stream": stream}).json() == nothing
    for kind in ("EventProposed", "EventRejected", "VolunteerRegistered", "RegistrationCancelled", "NoSuchType"):
        assert anonymous.get("/api/v1/facts/", {"type": kind}).json() == nothing

    # … and, once the second has started (she checked in two minutes before its start, which holds
    # no event), the recount from the feed alone equals the published totals
    time_machine.move_to(base + dt.timedelta(days=1, minutes=8), tick=True)
    fold_all()
    out = io.StringIO()
    call_command("totals_recompute", "--url", live_server.url, "--page", "5", stdout=out)
    lines = {line.split()[0]: line.split()[1:] for line in out.getvalue().splitlines() if "." in line.split()[0]}
    assert lines["total.events"] == ["2", "2"]
    assert lines["total.participants"] == ["7", "7"]  # 2 + 4 head-count at the first, Aigerim at the second
    assert lines["verified.participants"] == ["6", "6"]
    assert lines["total.youth"] == ["2", "2"]
    assert out.getvalue().splitlines()[-1] == "The published national totals match the recount from the facts."
