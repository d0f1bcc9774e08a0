"""The check-in API answers organisers and coordinators without anyone's permanent volunteer id.

That id is the same at every event: an organiser who collected it from check-in answers could link
one person's events. A check-in is named by its own `id` and its place (`registration_id`), and an
organiser checks a person out by the check-in's id. Tried through HTTP, as an organiser would.
"""

import datetime as dt
import uuid

from django.utils import timezone

from events.models import CheckIn
from events.passes import pass_token
from ledger.models import Fact

ID_KEYS = {"volunteer_id", "organiser_id", "coordinator_id", "actor_id"}


def every_string(value) -> list[str]:
    """Every key and every value of a JSON answer, as text."""
    if isinstance(value, dict):
        return [text for key, sub in value.items() for text in [str(key), *every_string(sub)]]
    if isinstance(value, list):
        return [text for sub in value for text in every_string(sub)]
    return [] if value is None else [str(value)]


def ids_of(*people) -> set[str]:
    return {form for p in people for form in (str(p.volunteer_id), p.volunteer_id.hex, str(p.volunteer_id).upper())}


def local(at: dt.datetime) -> str:
    return timezone.localtime(at).isoformat()


def test_organisers_see_check_ins_by_their_own_ids_and_check_out_by_them(
    event, places, organiser, coordinator, volunteer, volunteers, client_for, time_machine
):
    # Given Dana scanned by her pass, then Aigerim ticked on the roster ten minutes before the start,
    # and Bolat, who came without a place, checking himself in with the code after the start
    arman, saule, bolat = client_for(organiser), client_for(coordinator), client_for(volunteers[1])
    base = f"/api/v1/events/{event.id}"
    time_machine.move_to(event.starts_at - dt.timedelta(minutes=12), tick=False)
    by_pass = arman.post(f"{base}/checkins/pass/", {"token": pass_token(places["dana"])}, format="json")
    time_machine.move_to(event.starts_at - dt.timedelta(minutes=10), tick=False)
    by_roster = arman.post(f"{base}/checkins/roster/", {"registration_id": str(places["aigerim"].id)}, format="json")
    time_machine.move_to(event.starts_at + dt.timedelta(minutes=20), tick=False)
    by_code = bolat.post(f"{base}/checkins/code/", {"code": event.short_code}, format="json")
    upload = arman.post(
        f"{base}/checkins/upload/",
        {
            "items": [
                {
                    "fact_id": str(uuid.uuid4()),
                    "checked_in_at": local(event.starts_at),
                    "token": pass_token(places["dana"]),
                }
            ]
        },
        format="json",
    )
    assert (by_pass.status_code, by_roster.status_code, by_code.status_code, upload.status_code) == (201, 201, 201, 200)
    dana_checkin, aigerim_checkin = by_pass.json()["checkin"], by_roster.json()["checkin"]

    # When, an hour and a half after Aigerim's check-in, the organiser checks her out by the
    # check-in's id (with a key, and retries it), and the people in charge read the list and roster
    time_machine.move_to(event.starts_at + dt.timedelta(minutes=80), tick=False)
    out = arman.post(
        f"{base}/checkouts/", {"checkin_id": aigerim_checkin["id"]}, format="json", HTTP_IDEMPOTENCY_KEY="out-aigerim"
    )
    retry = arman.post(
        f"{base}/checkouts/", {"checkin_id": aigerim_checkin["id"]}, format="json", HTTP_IDEMPOTENCY_KEY="out-aigerim"
    )
    answers = {
        "pass check-in": by_pass.json(),
        "roster check-in": by_roster.json(),
        "upload": upload.json(),
        "check-out": out.json(),
        "organiser's list": arman.get(f"{base}/checkins/").json(),
        "coordinator's list": saule.get(f"{base}/checkins/").json(),
        "organiser's roster": arman.get(f"{base}/roster/").json(),
        "coordinator's roster": saule.get(f"{base}/roster/").json(),
        "organiser's event": arman.get(f"{base}/").json(),
    }

    # Then Aigerim is checked out, with exactly 1.33 hours (from the start: the 10 minutes before it
    # are not time given), and the retry answers the same
    assert (out.status_code, retry.status_code) == (200, 200)
    assert out.json() == {
        "id": aigerim_checkin["id"],
        "event_id": str(event.id),
        "volunteer_name": "Aigerim",
        "registration_id": str(places["aigerim"].id),
        "method": "roster",
        "checked_in_at": local(event.starts_at - dt.timedelta(minutes=10)),
        "checked_out_at": local(event.starts_at + dt.timedelta(minutes=80)),
        "hours": "1.33",
    }
    assert retry.json() == out.json()
    assert Fact.objects.filter(type="VolunteerCheckedOut").count() == 1

    # And no answer to the organiser or the coordinator carries anyone's volunteer id, in any form
    everyone = ids_of(volunteer, *volunteers, organiser, coordinator)
    for name, answer in answers.items():
        shown = every_string(answer)
        assert [text for text in shown if text in everyone or text in ID_KEYS] == [], name
    assert [c["id"] for c in answers["organiser's list"]["results"]] == [
        dana_checkin["id"],
        aigerim_checkin["id"],
        by_code.json()["checkin"]["id"],
    ]
    assert answers["coordinator's list"] == answers["organiser's list"]
    assert upload.json()["results"][0]["checkin"]["id"] == dana_checkin["id"]


def test_a_check_out_names_a_check_in_of_this_event_that_is_yours_to_check_out(
    event, places, organiser, volunteers, client_for, time_machine
):
    # Given Dana and Aigerim ticked on the roster, and Bolat checked in with the code
    arman, bolat = client_for(organiser), client_for(volunteers[1])
    base = f"/api/v1/events/{event.id}"
    time_machine.move_to(event.starts_at + dt.timedelta(minutes=5), tick=False)
    ticks = {
        name: arman.post(f"{base}/checkins/roster/", {"registration_id": str(place.id)}, format="json").json()[
            "checkin"
        ]
        for name, place in places.items()
    }
    assert bolat.post(f"{base}/checkins/code/", {"code": event.short_code}, format="json").status_code == 201
    time_machine.move_to(event.starts_at + dt.timedelta(hours=1), tick=False)
    before = Fact.objects.count()

    # When the organiser names an unknown check-in, Bolat names Dana's, an old client names a
    # volunteer, and the organiser reuses a key of Aigerim's check-out for Dana
    unknown = arman.post(f"{base}/checkouts/", {"checkin_id": str(uuid.uuid4())}, format="json")
    not_his = bolat.post(f"{base}/checkouts/", {"checkin_id": ticks["dana"]["id"]}, format="json")
    old_client = arman.post(f"{base}/checkouts/", {"volunteer_id": str(volunteers[0].volunteer_id)}, format="json")
    refused_before = Fact.objects.count()
    first = arman.post(
        f"{base}/checkouts/", {"checkin_id": ticks["aigerim"]["id"]}, format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    reused = arman.post(
        f"{base}/checkouts/", {"checkin_id": ticks["dana"]["id"]}, format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    # and Bolat checks himself out, naming nothing
    himself = bolat.post(f"{base}/checkouts/", {}, format="json")

    # Then each refusal has its stable code and appends nothing; Dana is still checked in
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "checkin_not_found")
    assert (not_his.status_code, not_his.json()) == (404, unknown.json())
    assert (old_client.status_code, old_client.json()["error"]["code"], old_client.json()["error"]["fields"]) == (
        400,
        "validation_error",
        {"volunteer_id": ["Name the check-in by its id: checkin_id."]},
    )
    assert refused_before == before
    assert (first.status_code, reused.status_code, reused.json()["error"]["code"]) == (200, 409, "idempotency_conflict")
    assert CheckIn.objects.get(pk=ticks["dana"]["id"]).checked_out_at is None
    assert (himself.status_code, himself.json()["volunteer_name"], himself.json()["hours"]) == (200, "Bolat", "0.92")
    assert Fact.objects.filter(type="VolunteerCheckedOut").count() == 2
    assert Fact.objects.count() == before + 2
