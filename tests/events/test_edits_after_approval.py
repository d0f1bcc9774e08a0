"""Edits after approval, tried through HTTP as an organiser, a coordinator and the public would.

An approved event's title, description, place and what to bring change only with the coordinator's
approval: until then the public (the API, the pages, the open-data feed) reads the event as
approved, and the coordinator's queue shows the change as a diff. Capacity changes at once. A
cancellation once the event has started is refused, so what happened stays counted. The same
Idempotency-Key with a different body is a conflict on every keyed event write, never the first
answer.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.cache import caches
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from events.models import Event, EventChange
from events.services import checkin_from_roster, registration_create, result_log, result_verify
from ledger.models import Fact
from stats import cache as stats_cache
from tests.events.conftest import proposal
from tests.events.tables import event_tables
from tests.stats.history import fold_all

PROBE = "Probe </script><img src=x onerror=window.__xss=document.domain>"
APPROVED = {
    "title": "Esil embankment clean-up",
    "description": "Litter picking along the left bank.",
    "address": "Esil embankment, near the Triumphal Arch",
    "latitude": 51.1283,
    "longitude": 71.4305,
    "what_to_bring": "Gloves and water.",
}


def facts() -> int:
    return Fact.objects.count()


def shown(client: APIClient, event: Event) -> dict:
    data = client.get(f"/api/v1/events/{event.id}/").json()
    return {name: data[name] for name in (*APPROVED, "capacity")}


def feed(event: Event) -> list[tuple[str, dict]]:
    page = APIClient().get("/api/v1/facts/", {"stream": event.stream, "limit": 500}).json()
    return [(f["type"], f["data"]) for f in page["results"]]


def national(client: APIClient) -> dict:
    fold_all()
    stats_cache.local.clear()
    caches["default"].clear()
    data = client.get("/api/v1/stats/national/").json()["data"]["total"]
    return {key: data[key] for key in ("events", "participants", "waste_kg")}


def test_a_new_title_and_place_wait_for_the_coordinator_while_the_public_reads_the_approved_event(
    event, organiser, coordinator, volunteers, client_for, client
):
    # Given an approved event with three places taken and one volunteer waiting
    for v in volunteers[:4]:
        registration_create(actor=v, event_id=event.id)
    arman, saule, anyone = client_for(organiser), client_for(coordinator), client_for(None)
    before = facts()

    # When its organiser changes the title, the address and the pin, and adds a place
    edit = {"title": PROBE, "address": "Left bank, by the bridge", "latitude": 51.13, "longitude": 71.44, "capacity": 4}
    answer = arman.patch(f"/api/v1/events/{event.id}/", edit, format="json", HTTP_IDEMPOTENCY_KEY="edit-1")

    # Then the place is added at once (the waiting volunteer promoted) and the rest waits, as a change
    assert answer.status_code == 202
    body = answer.json()
    change_id = body["pending_change"]["id"]
    assert (body["title"], body["capacity"], body["registered_count"], body["waitlisted_count"]) == (
        APPROVED["title"],
        4,
        4,
        0,
    )
    assert body["pending_change"] == {
        "id": change_id,
        "event_id": str(event.id),
        "status": "pending",
        "changes": [
            # a text per language: the plain texts of an English client are its English ones
            {"field": "title", "language": "en", "old": APPROVED["title"], "new": PROBE},
            {"field": "address", "language": "en", "old": APPROVED["address"], "new": "Left bank, by the bridge"},
            {"field": "latitude", "language": None, "old": 51.1283, "new": 51.13},
            {"field": "longitude", "language": None, "old": 71.4305, "new": 71.44},
        ],
        "reason": "",
        "proposed_at": body["pending_change"]["proposed_at"],
        "decided_at": None,
    }
    appended = Fact.objects.filter(stream=event.stream).order_by("version").values_list("type", flat=True)
    assert list(appended)[-3:] == ["EventDetailsChanged", "EventChangeProposed", "WaitlistPromoted"]
    assert facts() == before + 3

    # And the public reads the event as approved: the API, the finder, the event page and the feed
    assert shown(anyone, event) == {**APPROVED, "capacity": 4}
    assert anyone.get(f"/api/v1/events/{event.id}/").json()["pending_change"] is None
    for page in (reverse("events"), reverse("event", args=[event.id])):
        html = client.get(page).content.decode()
        assert APPROVED["title"] in html and "Probe" not in html and "Left bank, by the bridge" not in html
    assert [kind for kind, _data in feed(event)] == ["EventApproved", "EventDetailsChanged"]
    assert not any(PROBE in str(data) for _kind, data in feed(event))

    # And the coordinator's queue shows the change as a diff, old to new
    queue = saule.get("/api/v1/event-changes/").json()
    assert queue["results"] == [
        {
            **body["pending_change"],
            "event": {
                "id": str(event.id),
                "title": APPROVED["title"],
                "title_by_language": {"en": APPROVED["title"]},
                "kind": "cleanup",
                "address": APPROVED["address"],
                "address_by_language": {"en": APPROVED["address"]},
                "starts_at": body["starts_at"],
                "ends_at": body["ends_at"],
                "status": "approved",
            },
        }
    ]
    assert client_for(volunteers[0]).get("/api/v1/event-changes/").status_code == 403

    # When the coordinator approves a change that is not the pending one, then the right one
    stale = saule.post(f"/api/v1/events/{event.id}/change/approve/", {"change_id": str(uuid.uuid4())}, format="json")
    approved = saule.post(f"/api/v1/events/{event.id}/change/approve/", {"change_id": change_id}, format="json")

    # Then the stale one is refused, and from the approval on the public reads the change
    assert (stale.status_code, stale.json()["error"]["code"]) == (409, "change_not_pending")
    assert approved.status_code == 200
    assert approved.json()["pending_change"] is None
    changed = {**APPROVED, "title": PROBE, "address": "Left bank, by the bridge", "latitude": 51.13, "longitude": 71.44}
    assert shown(anyone, event) == {**changed, "capacity": 4}
    # (the feed publishes the texts as written, per language)
    written = {name: {"en": value} if value else {} for name, value in changed.items() if isinstance(value, str)}
    assert feed(event)[-1] == ("EventChangeApproved", {"event_id": str(event.id), **changed, **written})
    assert saule.get("/api/v1/event-changes/").json()["results"] == []

    # And the tables rebuilt from the ledger are the live ones
    live = event_tables()
    call_command("ledger", "rebuild", "--all")
    assert event_tables() == live
    call_command("ledger", "verify")


def test_the_organiser_replaces_or_withdraws_a_change_and_a_rejection_says_why(
    event, organiser, coordinator, client_for
):
    arman, saule, anyone = client_for(organiser), client_for(coordinator), client_for(None)
    url = f"/api/v1/events/{event.id}/"

    # Given a pending change of the description, replaced by another one before a decision
    first = arman.patch(url, {"description": "Bring a rake."}, format="json").json()["pending_change"]
    second = arman.patch(url, {"what_to_bring": "Rakes."}, format="json").json()["pending_change"]

    # Then the second keeps the first's description (an edit starts from what was asked) and the
    # first is no longer decidable
    assert [c["field"] for c in second["changes"]] == ["description", "what_to_bring"]
    approve_first = saule.post(f"{url}change/approve/", {"change_id": first["id"]}, format="json")
    assert (approve_first.status_code, approve_first.json()["error"]["code"]) == (409, "change_not_pending")
    assert EventChange.objects.get(pk=first["id"]).status == "replaced"

    # When the organiser withdraws it, and tries again with nothing pending
    withdrawn = arman.post(f"{url}change/withdraw/")
    again = arman.post(f"{url}change/withdraw/")
    assert (withdrawn.status_code, withdrawn.json()["pending_change"]) == (200, None)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "change_not_pending")
    assert shown(anyone, event) == {**APPROVED, "capacity": 3}

    # When a new change is rejected: without a reason refused, with one recorded for the organiser
    third = arman.patch(url, {"title": "Esil, both banks"}, format="json").json()["pending_change"]
    reject = f"{url}change/reject/"
    blank = saule.post(reject, {"change_id": third["id"], "reason": " "}, format="json")
    by_organiser = arman.post(reject, {"change_id": third["id"], "reason": "Mine."}, format="json")
    rejected = saule.post(reject, {"change_id": third["id"], "reason": "Keep the name people know."}, format="json")

    assert (blank.status_code, blank.json()["error"]["fields"]) == (400, {"reason": ["This field may not be blank."]})
    assert (by_organiser.status_code, by_organiser.json()["error"]["code"]) == (403, "permission_denied")
    assert rejected.status_code == 200
    assert EventChange.objects.get(pk=third["id"]).reason == "Keep the name people know."
    assert shown(anyone, event) == {**APPROVED, "capacity": 3}
    assert [kind for kind, _data in feed(event)] == ["EventApproved"]


def test_a_change_put_back_as_approved_withdraws_it_and_a_proposed_event_changes_at_once(
    event, make_event, organiser, client_for
):
    arman = client_for(organiser)
    arman.patch(f"/api/v1/events/{event.id}/", {"title": "Esil, both banks"}, format="json")

    back = arman.patch(f"/api/v1/events/{event.id}/", {"title": APPROVED["title"]}, format="json")

    assert (back.status_code, back.json()["pending_change"]) == (200, None)
    assert Fact.objects.filter(stream=event.stream).order_by("-version").first().type == "EventChangeWithdrawn"
    proposed = make_event(approved=False)
    direct = arman.patch(f"/api/v1/events/{proposed.id}/", {"title": "Park clean-up"}, format="json")
    assert (direct.status_code, direct.json()["title"], direct.json()["pending_change"]) == (200, "Park clean-up", None)


def test_cancelling_an_event_that_started_with_a_verified_result_is_refused_and_it_stays_counted(
    event, organiser, coordinator, volunteers, client_for, time_machine
):
    # Given an event held, with two volunteers checked in and a verified result
    places = [registration_create(actor=v, event_id=event.id) for v in volunteers[:2]]
    time_machine.move_to(event.starts_at, tick=False)
    for place in places:
        checkin_from_roster(actor=organiser, event_id=event.id, registration_id=place.id)
    time_machine.move_to(event.ends_at + dt.timedelta(hours=1), tick=False)
    result = result_log(
        actor=organiser, event_id=event.id, waste_kg={"plastic": "120.5"}, trees=0, area_ha="0.5", headcount=3
    )
    result_verify(actor=coordinator, event_id=event.id, decision="accepted", result_version=result.version)
    anyone = client_for(None)
    totals = national(anyone)
    assert totals == {"events": 1, "participants": 5, "waste_kg": "120.500"}
    before = facts()

    # When its organiser cancels it, after it is over, and during it
    after = client_for(organiser).post(f"/api/v1/events/{event.id}/cancel/", {"reason": "Oops."}, format="json")
    time_machine.move_to(event.starts_at + dt.timedelta(minutes=1), tick=False)
    during = client_for(organiser).post(f"/api/v1/events/{event.id}/cancel/", {}, format="json")

    # Then both are refused like a reschedule, nothing is appended and the totals stand
    for answer in (after, during):
        assert (answer.status_code, answer.json()["error"]) == (
            409,
            {"code": "event_started", "message": "The event has started; it can no longer be cancelled.", "fields": {}},
        )
    assert facts() == before
    assert Event.objects.get(pk=event.id).status == "approved"
    assert national(anyone) == totals


def test_the_same_key_with_another_body_is_a_conflict_on_every_keyed_event_write(
    campaign, make_event, organiser, coordinator, client_for
):
    arman, saule = client_for(organiser), client_for(coordinator)

    def twice(client, method, url, body, other, key):
        """The first answer, the retry's, and the other body's under the same key; and what was appended."""
        start = facts()
        first = getattr(client, method)(url, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
        after_first = facts()
        retry = getattr(client, method)(url, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
        changed = getattr(client, method)(url, other, format="json", HTTP_IDEMPOTENCY_KEY=key)
        assert facts() == after_first > start, (url, first.json())
        assert retry.status_code == first.status_code and retry.json() == first.json(), url
        assert (changed.status_code, changed.json()["error"]["code"]) == (409, "idempotency_conflict"), url
        return first

    # Propose: another title under the same key
    body = {k: str(v) if k.endswith("_id") else v for k, v in proposal(campaign).items()}
    body = {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in body.items()}
    created = twice(arman, "post", "/api/v1/events/", body, {**body, "title": "Another"}, "create-1")
    assert created.status_code == 201

    # Edit of a proposed event: another title, or a field more, under the same key
    pending = Event.objects.get(pk=created.json()["id"])
    url = f"/api/v1/events/{pending.id}/"
    twice(arman, "patch", url, {"title": "Esil, left bank"}, {"title": "Esil, right bank"}, "edit-p")
    more = arman.patch(url, {"title": "Esil, left bank", "capacity": 9}, format="json", HTTP_IDEMPOTENCY_KEY="edit-p")
    assert (more.status_code, more.json()["error"]["code"]) == (409, "idempotency_conflict")

    # Reject of a proposed event: another reason
    reject = f"/api/v1/events/{pending.id}/reject/"
    twice(saule, "post", reject, {"reason": "Duplicate."}, {"reason": "Too close."}, "reject-1")

    # Edit of an approved event (a change for the coordinator), reschedule, change approval and rejection
    event = make_event()
    url = f"/api/v1/events/{event.id}/"
    edited = twice(arman, "patch", url, {"title": "Esil, both banks"}, {"title": "Esil, one bank"}, "edit-a")
    change_id = edited.json()["pending_change"]["id"]
    twice(
        saule,
        "post",
        f"{url}change/reject/",
        {"change_id": change_id, "reason": "No."},
        {"change_id": change_id, "reason": "Keep it."},
        "change-reject",
    )
    change_id = arman.patch(url, {"title": "Esil, the bank"}, format="json").json()["pending_change"]["id"]
    twice(
        saule,
        "post",
        f"{url}change/approve/",
        {"change_id": change_id},
        {"change_id": str(uuid.uuid4())},
        "change-approve",
    )
    starts = event.starts_at + dt.timedelta(days=1)
    moved = {"starts_at": starts.isoformat(), "ends_at": (starts + dt.timedelta(hours=2)).isoformat()}
    later = {**moved, "ends_at": (starts + dt.timedelta(hours=3)).isoformat()}
    twice(arman, "post", f"{url}reschedule/", moved, later, "move-1")

    # Cancel: another reason
    twice(arman, "post", f"{url}cancel/", {"reason": "Storm."}, {"reason": "Flood."}, "cancel-1")


def test_writes_on_an_event_one_may_not_see_answer_as_reading_it(
    make_event, other_organiser, other_coordinator, client_for
):
    hidden = make_event(approved=False)
    base = f"/api/v1/events/{hidden.id}"
    bota, timur = client_for(other_organiser), client_for(other_coordinator)
    read = bota.get(f"{base}/")
    before = facts()
    starts = hidden.starts_at + dt.timedelta(days=1)
    moved = {"starts_at": starts.isoformat(), "ends_at": (starts + dt.timedelta(hours=2)).isoformat()}

    answers = {
        "edit": bota.patch(f"{base}/", {"title": "Mine now"}, format="json"),
        "reschedule": bota.post(f"{base}/reschedule/", moved, format="json"),
        "cancel": bota.post(f"{base}/cancel/", {}, format="json"),
        "approve": timur.post(f"{base}/approve/", {}, format="json"),
        "reject": timur.post(f"{base}/reject/", {"reason": "x"}, format="json"),
        "withdraw": bota.post(f"{base}/change/withdraw/", {}, format="json"),
        "change": timur.post(f"{base}/change/approve/", {"change_id": str(uuid.uuid4())}, format="json"),
    }

    assert read.status_code == 404
    assert {name: (a.status_code, a.json()) for name, a in answers.items()} == dict.fromkeys(
        answers, (404, read.json())
    )
    assert facts() == before


def test_a_change_can_no_longer_be_decided_once_the_event_is_over(
    event, organiser, coordinator, client_for, time_machine
):
    arman, saule = client_for(organiser), client_for(coordinator)
    change = arman.patch(f"/api/v1/events/{event.id}/", {"title": "Later"}, format="json").json()["pending_change"]
    time_machine.move_to(event.ends_at + dt.timedelta(minutes=1), tick=False)
    before = facts()

    late = saule.post(f"/api/v1/events/{event.id}/change/approve/", {"change_id": change["id"]}, format="json")

    assert (late.status_code, late.json()["error"]["code"]) == (409, "event_started")
    assert saule.get("/api/v1/event-changes/").json()["results"] == []
    assert facts() == before
    assert timezone.now() > event.ends_at
