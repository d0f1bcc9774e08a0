"""Attendance on streams of its own (issue 13), and check-ins recorded before on the event's stream:
the ledger keeps those where they are, and everything reads both."""

import datetime as dt
import io
import uuid

import pytest
from django.core.management import call_command
from django.db import transaction
from rest_framework.test import APIClient

from config.errors import DomainError
from events.facts import VolunteerCheckedIn, attendance_stream, event_stream
from events.models import CheckIn, Event, Registration
from events.services import (
    UploadItem,
    checkin_from_roster,
    checkin_undo,
    checkin_upload,
    checkout_record,
    registration_create,
)
from ledger.models import Fact
from ledger.public import pseudonym
from ledger.store import append
from tests.events.tables import event_tables
from tests.stats.history import fold_all

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_stats_cache")]


def checked_in_on_the_event_stream(event: Event, place: Registration, *, organiser, fact_id: uuid.UUID) -> None:
    """A check-in as the platform recorded it before issue 13: on the event's stream, at its version."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.id)
        fact = VolunteerCheckedIn(
            event_id=event.id,
            volunteer_id=place.volunteer_id,
            registration_id=place.id,
            method="roster",
            age_band=place.age_band,
            checked_in_at=event.starts_at - dt.timedelta(minutes=10),
        )
        append(
            event.stream,
            [fact],
            expected_version=event.version,
            fact_ids=[fact_id],
            actor_id=str(organiser.volunteer_id),
            occurred_at=fact.checked_in_at,
        )


def attendance_feed(event: Event) -> list[tuple[str, str]]:
    """The event's attendance facts in the public feed: (type, pseudonym), in feed order."""
    facts, after = [], 0
    while True:
        page = APIClient().get("/api/v1/facts/", {"after": after, "limit": 50}).json()
        facts += [
            (f["type"], f["data"]["volunteer_pseudonym"])
            for f in page["results"]
            if f["data"].get("event_id") == str(event.id) and "volunteer_pseudonym" in f["data"]
        ]
        if not page["next"]:
            return facts
        after = page["next_after"]


def test_check_ins_on_the_event_stream_are_undone_checked_out_retried_and_recounted_by_the_new_path(
    make_event, organiser, volunteer, volunteers, time_machine, live_server
):
    # Given Dana and Aigerim checked in the old way, on the event's stream
    event = make_event()
    dana = registration_create(actor=volunteer, event_id=event.id)
    aigerim_user = volunteers[0]
    aigerim = registration_create(actor=aigerim_user, event_id=event.id)
    time_machine.move_to(event.starts_at, tick=False)
    dana_fact, aigerim_fact = uuid.uuid4(), uuid.uuid4()
    checked_in_on_the_event_stream(event, dana, organiser=organiser, fact_id=dana_fact)
    checked_in_on_the_event_stream(event, aigerim, organiser=organiser, fact_id=aigerim_fact)
    version = Event.objects.get(pk=event.id).version

    # Then they count, and a retry of Dana's offline check-in by its id, or a new tick of Aigerim,
    # answers with the check-in stored and appends nothing
    assert Event.objects.get(pk=event.id).checked_in_count == 2
    item = UploadItem(
        fact_id=dana_fact, checked_in_at=event.starts_at - dt.timedelta(minutes=10), registration_id=dana.id
    )
    (answer,) = checkin_upload(actor=organiser, event_id=event.id, items=[item])
    assert (answer.status, answer.checkin.id) == ("duplicate", dana_fact)
    again = checkin_from_roster(actor=organiser, event_id=event.id, registration_id=aigerim.id)
    assert (again.recorded, again.checkin.id) == (False, aigerim_fact)
    assert not Fact.objects.filter(stream__startswith=f"attendance-{event.id}-").exists()

    # When Aigerim checks out, Dana's check-in is undone and she is checked in anew
    time_machine.move_to(event.starts_at + dt.timedelta(hours=1), tick=False)
    checkout_record(actor=aigerim_user, event_id=event.id)
    undo = checkin_undo(actor=organiser, event_id=event.id, checkin_id=dana_fact, reason="Ticked too early.")
    with pytest.raises(DomainError) as undone_twice:
        checkin_undo(actor=organiser, event_id=event.id, checkin_id=dana_fact, reason="Ticked too early.")
    anew = checkin_from_roster(actor=organiser, event_id=event.id, registration_id=dana.id)

    # Then each goes to the person's attendance stream, the event's stream and row stay as they were
    assert undo.checked_in_count == 1
    assert undone_twice.value.code == "checkin_already_undone"
    assert anew.recorded and anew.checkin.id != dana_fact

    def attendance(place: Registration) -> list[tuple[int, str]]:
        stream = attendance_stream(event.id, place.volunteer_id)
        return list(Fact.objects.filter(stream=stream).order_by("version").values_list("version", "type"))

    assert attendance(aigerim) == [(1, "VolunteerCheckedOut")]
    assert attendance(dana) == [(1, "CheckInUndone"), (2, "VolunteerCheckedIn")]
    assert Event.objects.get(pk=event.id).version == version
    checkins = {c.volunteer_id: c for c in CheckIn.objects.filter(event=event)}
    assert checkins[aigerim.volunteer_id].checked_out_at == event.starts_at + dt.timedelta(hours=1)
    assert (len(checkins), checkins[dana.volunteer_id].id) == (2, anew.checkin.id)

    # … the public feed shows every fact of both, each person under one pseudonym wherever it is stored
    dana_seen = pseudonym(event_stream(event.id), str(dana.volunteer_id))
    aigerim_seen = pseudonym(event_stream(event.id), str(aigerim.volunteer_id))
    fold_all()
    assert attendance_feed(event) == [
        ("VolunteerCheckedIn", dana_seen),
        ("VolunteerCheckedIn", aigerim_seen),
        ("VolunteerCheckedOut", aigerim_seen),
        ("CheckInUndone", dana_seen),
        ("VolunteerCheckedIn", dana_seen),
    ]

    # … a rebuild gives the same rows, the totals verify, and the recount from the feed agrees
    live = event_tables()
    call_command("ledger", "rebuild", "events.participation")
    assert event_tables() == live
    call_command("ledger", "verify")
    out = io.StringIO()
    call_command("totals_recompute", "--url", live_server.url, "--page", "7", stdout=out)
    assert out.getvalue().splitlines()[-1] == "The published national totals match the recount from the facts."
