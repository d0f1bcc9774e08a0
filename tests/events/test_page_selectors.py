"""The reads behind the volunteer's "my events" and the coordinator's queue: places to come, hours
attended, and results awaiting verification in a region."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from events.selectors import results_awaiting_verification, volunteer_attendance, volunteer_upcoming_registrations
from events.services import (
    checkin_from_roster,
    event_approve,
    registration_cancel,
    registration_create,
    result_log,
    result_verify,
)
from tests.events.conftest import ALMATY

pytestmark = pytest.mark.django_db


def test_attendance_lists_the_events_checked_in_at_with_hours_to_the_end(make_event, organiser, volunteer):
    """Hours are credited once the event has ended (nobody checked out), from the check-in on."""
    # Given a volunteer with places at two events, checked in at one 30 minutes after its start
    held = make_event(title="Held")
    make_event(title="Missed")
    place = registration_create(actor=volunteer, event_id=held.id)
    with time_machine.travel(held.starts_at + dt.timedelta(minutes=30), tick=False):
        checkin_from_roster(actor=organiser, event_id=held.id, registration_id=place.id)

    # When their attendance is read during the event, then after it
    during = volunteer_attendance(volunteer_id=volunteer.volunteer_id, now=held.ends_at - dt.timedelta(seconds=1))
    attended = volunteer_attendance(volunteer_id=volunteer.volunteer_id, now=held.ends_at)

    # Then only the held event is listed: with nothing yet, then 2.5 hours (no check-out: to its end)
    assert [(a.event.title, a.hours) for a in during] == [("Held", Decimal("0.00"))]
    assert [(a.event.title, a.hours) for a in attended] == [("Held", Decimal("2.50"))]


def test_upcoming_registrations_leave_out_cancelled_places(make_event, volunteer):
    first = make_event(title="First")
    second = make_event(title="Second", starts_at=first.starts_at + dt.timedelta(days=1))
    registration_create(actor=volunteer, event_id=second.id)
    cancelled = registration_create(actor=volunteer, event_id=first.id)
    registration_cancel(actor=volunteer, registration_id=cancelled.id)

    assert [r.event.title for r in volunteer_upcoming_registrations(user=volunteer)] == ["Second"]


def test_results_awaiting_verification_are_of_the_region_and_not_yet_judged(make_event, organiser, coordinator, admin):
    # Given three held events: two in Astana (one result verified) and one in Almaty
    judged = make_event(title="Judged")
    waiting = make_event(title="Waiting", starts_at=judged.starts_at + dt.timedelta(hours=4))
    elsewhere = make_event(title="Elsewhere", region=ALMATY, approved=False)
    event_approve(actor=admin, event_id=elsewhere.id)
    with time_machine.travel(waiting.ends_at, tick=False):
        logged = {
            event.title: result_log(
                actor=organiser, event_id=event.id, waste_kg={"plastic": "5"}, trees=0, area_ha="0", headcount=2
            )
            for event in (judged, waiting, elsewhere)
        }
        result_verify(
            actor=coordinator, event_id=judged.id, decision="accepted", result_version=logged["Judged"].version
        )

    # Then Astana's queue holds the waiting one only; every region's holds Almaty's too, earliest event first
    assert [r.event.title for r in results_awaiting_verification(user=coordinator, region_code="KZ-71")] == ["Waiting"]
    assert [r.event.title for r in results_awaiting_verification(user=admin, region_code=None)] == [
        "Elsewhere",
        "Waiting",
    ]
