"""Races for real: separate connections to PostgreSQL, released together (last places, undo and check-out)."""

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.db import connection, connections

from config.errors import DomainError
from events.facts import attendance_stream
from events.models import CheckIn, Event, Registration
from events.services import checkin_from_roster, checkin_undo, checkout_record, registration_cancel, registration_create
from ledger.models import Fact
from tests.stats.history import fold_all

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent writers"),
]


def at_once(*calls: Callable[[], object]) -> list[object]:
    """Run the calls in threads started together; each result is a return value or a DomainError."""
    start = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        start.wait()
        try:
            results[index] = call()
        except DomainError as refusal:
            results[index] = refusal
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_volunteers_racing_for_the_last_place_one_gets_it_the_other_waits(make_event, volunteers):
    # Given an event with one place
    event = make_event(capacity=1)
    first, second = volunteers[:2]

    # When two volunteers register at the same moment
    results = at_once(
        lambda: registration_create(actor=first, event_id=event.id),
        lambda: registration_create(actor=second, event_id=event.id),
    )

    # Then exactly one has the place and the other is first on the waitlist
    assert sorted(r.status for r in results) == ["registered", "waitlisted"]
    event.refresh_from_db()
    assert (event.registered_count, event.waitlisted_count, event.version) == (1, 1, 4)
    assert Fact.objects.filter(stream=event.stream, type="VolunteerRegistered").count() == 2


def test_many_volunteers_racing_fill_the_places_and_queue_in_order(make_event, volunteers):
    # Given an event with three places and five volunteers pressing "register" together
    event = make_event(capacity=3)

    results = at_once(*(lambda v=v: registration_create(actor=v, event_id=event.id) for v in volunteers))

    # Then three have places, two wait, each at a distinct place in the line
    assert sorted(r.status for r in results) == ["registered"] * 3 + ["waitlisted"] * 2
    orders = sorted(r.waitlist_order for r in results if r.status == "waitlisted")
    assert len(set(orders)) == 2
    event.refresh_from_db()
    assert (event.registered_count, event.waitlisted_count) == (3, 2)


def test_a_cancellation_racing_a_registration_never_overfills_the_event(make_event, volunteers):
    # Given a full event with one volunteer waiting
    event = make_event(capacity=2)
    leaving = registration_create(actor=volunteers[0], event_id=event.id)
    registration_create(actor=volunteers[1], event_id=event.id)
    waiting = registration_create(actor=volunteers[2], event_id=event.id)

    # When a registered volunteer cancels while a newcomer registers
    results = at_once(
        lambda: registration_cancel(actor=volunteers[0], registration_id=leaving.id),
        lambda: registration_create(actor=volunteers[3], event_id=event.id),
    )

    # Then the waiting volunteer took the freed place, and the newcomer waits: never three places taken
    assert [r.status for r in results] == ["cancelled", "waitlisted"]
    assert Registration.objects.get(pk=waiting.id).status == "registered"
    event = Event.objects.get(pk=event.id)
    assert (event.registered_count, event.waitlisted_count) == (2, 1)


def test_an_undo_racing_a_check_out_leaves_no_attendance_and_the_recount_agrees(
    make_event, organiser, coordinator, volunteer, time_machine
):
    # Given Dana checked in at an event under way
    event = make_event()
    place = registration_create(actor=volunteer, event_id=event.id)
    time_machine.move_to(event.starts_at + dt.timedelta(minutes=30), tick=False)
    checkin = checkin_from_roster(actor=organiser, event_id=event.id, registration_id=place.id).checkin

    # When the organiser undoes it while Dana checks out, and the coordinator undoes it too
    results = at_once(
        lambda: checkin_undo(actor=organiser, event_id=event.id, checkin_id=checkin.id, reason="Not her."),
        lambda: checkout_record(actor=volunteer, event_id=event.id),
        lambda: checkin_undo(actor=coordinator, event_id=event.id, checkin_id=checkin.id, reason="Not her."),
    )

    # Then exactly one undo is recorded, the other is refused; the check-out happened first or was refused
    undos = [results[0], results[2]]
    assert sorted(type(r).__name__ for r in undos) == ["CheckInAlreadyUndone", "UndoOutcome"]
    dana = Fact.objects.filter(stream=attendance_stream(event.id, volunteer.volunteer_id)).order_by("version")
    types = list(dana.values_list("type", flat=True))[1:]  # after her check-in
    if isinstance(results[1], DomainError):
        assert (results[1].code, types) == ("not_checked_in", ["CheckInUndone"])
    else:
        assert types == ["VolunteerCheckedOut", "CheckInUndone"]
    event.refresh_from_db()
    assert (event.checked_in_count, CheckIn.objects.filter(event=event).count()) == (0, 0)
    fold_all()
    call_command("ledger", "verify")
