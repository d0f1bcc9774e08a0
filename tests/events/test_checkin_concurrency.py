"""Check-ins at one event run side by side on PostgreSQL (issue 13): each person's attendance is a
stream of its own, and the event's row is only locked shared. Real threads, one connection each."""

import datetime as dt
import threading
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from config.errors import DomainError
from events.facts import attendance_stream
from events.models import CheckIn, Event
from events.services import checkin_from_roster, event_cancel, registration_create
from ledger import reading
from ledger.models import Fact, ProjectionCheckpoint
from ledger.runner import catch_up_all
from stats.tasks import credit_due
from tests.events.conftest import person

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent writers"),
]

PEOPLE = 12
WAIT = 10  # seconds: far longer than any check-in takes, far shorter than a hung test


@pytest.fixture
def crowd(make_event, time_machine):
    """An approved event half an hour before its start (check-in is open, it may still be cancelled),
    and PEOPLE volunteers with a place at it."""
    event = make_event(capacity=PEOPLE)
    people = [person(f"p{i}@taza.test", f"P{i}", birth_date=dt.date(1990, 1, 1)) for i in range(PEOPLE)]
    places = [registration_create(actor=p, event_id=event.id) for p in people]
    time_machine.move_to(event.starts_at - dt.timedelta(minutes=30), tick=False)
    return Event.objects.get(pk=event.id), places


def in_threads(*calls: Callable[[], object]) -> list[object]:
    """Run the calls in threads released together; each result is a return value or a DomainError."""
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


class Held:
    """A call made in a thread inside a transaction that stays open until `release()`: what it
    locked stays locked meanwhile."""

    def __init__(self, call: Callable[[], object]) -> None:
        self.done, self.go = threading.Event(), threading.Event()
        self.result: object = None
        self.committed = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(call,))
        self.thread.start()
        assert self.done.wait(WAIT), "the held call did not finish"

    def _run(self, call: Callable[[], object]) -> None:
        try:
            with transaction.atomic():
                try:
                    self.result = call()
                except DomainError as refusal:
                    self.result = refusal
                self.done.set()
                self.go.wait(WAIT * 3)
            self.committed.set()
        finally:
            self.done.set()
            connections.close_all()

    def release(self) -> None:
        self.go.set()
        self.thread.join(WAIT)
        assert self.committed.is_set()


class Background:
    """A call made in a thread, watched: has it finished yet?"""

    def __init__(self, call: Callable[[], object]) -> None:
        self.finished = threading.Event()
        self.result: object = None
        self.thread = threading.Thread(target=self._run, args=(call,))
        self.thread.start()

    def _run(self, call: Callable[[], object]) -> None:
        try:
            self.result = call()
        except DomainError as refusal:
            self.result = refusal
        finally:
            self.finished.set()
            connections.close_all()


def fold_all() -> None:
    """tests.stats.history.fold_all, whose check that nothing was left behind compares positions:
    writers at once commit out of position order, so here it is asked in ledger order."""
    catch_up_all(wait=10)
    checkpoint = ProjectionCheckpoint.objects.values_list("tx", "position").get(name="stats.totals")
    assert reading.count_after(checkpoint) == 0, f"facts held back after {checkpoint} by {reading.holders()}"
    credit_due()


def ledger_order(**filters) -> list[tuple[int, int, str, str, int]]:
    """Facts as readers see them: (tx, position, stream, type, version), in ledger order."""
    ids = list(Fact.objects.filter(**filters).values_list("position", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tx::text::bigint, position, stream, type, version FROM ledger_fact "
            "WHERE position = ANY(%s) ORDER BY tx, position",
            [ids],
        )
        return cursor.fetchall()


def test_people_checking_in_at_one_event_at_once_are_all_counted_once(crowd, organiser):
    # Given an event and its stream as the registrations left it
    event, places = crowd
    before = list(Fact.objects.filter(stream=event.stream).order_by("version").values_list("version", flat=True))

    # When the organiser's phones tick every name at once
    results = in_threads(
        *(lambda p=p: checkin_from_roster(actor=organiser, event_id=event.id, registration_id=p.id) for p in places)
    )

    # Then everyone is checked in, once, each on their own attendance stream at version 1
    assert [getattr(r, "recorded", r) for r in results] == [True] * PEOPLE
    assert CheckIn.objects.filter(event=event).count() == PEOPLE
    streams = [attendance_stream(event.id, p.volunteer_id) for p in places]
    checkins = Fact.objects.filter(type="VolunteerCheckedIn", data__event_id=str(event.id))
    assert sorted(checkins.values_list("stream", "version")) == sorted((s, 1) for s in streams)
    # … and the event's own stream is gap-free and untouched by them, its row at its version
    after = list(Fact.objects.filter(stream=event.stream).order_by("version").values_list("version", flat=True))
    assert after == before == list(range(1, len(before) + 1))
    event = Event.objects.get(pk=event.id)
    assert (event.version, event.checked_in_count) == (len(before), PEOPLE)
    fold_all()
    call_command("ledger", "verify")


def test_a_check_in_held_open_does_not_keep_the_next_person_waiting(crowd, organiser):
    # Given the organiser's first check-in, in a transaction that is not committed yet
    event, places = crowd
    first = Held(lambda: checkin_from_roster(actor=organiser, event_id=event.id, registration_id=places[0].id))
    assert first.result.recorded is True

    # When a second phone checks the next person in meanwhile
    second = Background(lambda: checkin_from_roster(actor=organiser, event_id=event.id, registration_id=places[1].id))

    # Then it is recorded while the first is still open: nobody queues on the event's row
    finished_while_first_open = second.finished.wait(WAIT)
    first.release()
    assert finished_while_first_open, "the second check-in waited for the first one's transaction"
    assert second.result.recorded is True
    assert CheckIn.objects.filter(event=event).count() == 2


def test_the_same_person_checked_in_twice_at_once_is_counted_once(crowd, organiser):
    # Given a check-in of Dana not yet committed
    event, places = crowd
    dana = places[0]
    first = Held(lambda: checkin_from_roster(actor=organiser, event_id=event.id, registration_id=dana.id))

    # When a second phone scans her too: it appends at the same version of her attendance stream
    second = Background(lambda: checkin_from_roster(actor=organiser, event_id=event.id, registration_id=dana.id))
    assert not second.finished.wait(0.5), "the second copy of her check-in did not wait for the first"
    first.release()
    assert second.finished.wait(WAIT)

    # Then the first is recorded, the second answers with it, recording nothing: one fact, one row
    assert (first.result.recorded, second.result.recorded) == (True, False)
    assert second.result.checkin.id == first.result.checkin.id
    stream = attendance_stream(event.id, dana.volunteer_id)
    assert list(Fact.objects.filter(stream=stream).values_list("version", "type")) == [(1, "VolunteerCheckedIn")]
    assert CheckIn.objects.filter(event=event).count() == 1

    # … and released together, two copies give the same: one recorded, one answered with it
    aigerim = places[1]
    results = in_threads(
        lambda: checkin_from_roster(actor=organiser, event_id=event.id, registration_id=aigerim.id),
        lambda: checkin_from_roster(actor=organiser, event_id=event.id, registration_id=aigerim.id),
    )
    assert sorted(r.recorded for r in results) == [False, True]
    assert results[0].checkin.id == results[1].checkin.id
    assert Fact.objects.filter(stream=attendance_stream(event.id, aigerim.volunteer_id)).count() == 1


def test_a_cancellation_waits_for_a_check_in_under_way_and_refuses_those_after_it(crowd, organiser):
    # Given a check-in under way
    event, places = crowd
    under_way = Held(lambda: checkin_from_roster(actor=organiser, event_id=event.id, registration_id=places[0].id))

    # When the organiser calls the event off meanwhile, it waits for the check-in to commit
    cancel = Background(lambda: event_cancel(actor=organiser, event_id=event.id, reason="Storm."))
    assert not cancel.finished.wait(0.5), "the cancellation did not wait for the check-in under way"
    under_way.release()
    assert cancel.finished.wait(WAIT)
    assert Event.objects.get(pk=event.id).status == Event.Status.CANCELLED

    # Then a check-in after it is refused, and the one before comes first in ledger order
    later = checkin_from_roster
    with pytest.raises(DomainError) as refused:
        later(actor=organiser, event_id=event.id, registration_id=places[1].id)
    assert refused.value.code == "event_cancelled"
    order = [(stream, kind) for _tx, _p, stream, kind, _v in ledger_order(data__event_id=str(event.id))]
    assert order[-2:] == [
        (attendance_stream(event.id, places[0].volunteer_id), "VolunteerCheckedIn"),
        (event.stream, "EventCancelled"),
    ]


def test_a_cancellation_racing_check_ins_leaves_no_check_in_after_it(crowd, organiser):
    # Given an event half an hour before its start
    event, places = crowd

    # When the organiser cancels it while the phones tick names
    checkins = [
        lambda p=p: checkin_from_roster(actor=organiser, event_id=event.id, registration_id=p.id) for p in places
    ]
    results = in_threads(
        *checkins[:6], lambda: event_cancel(actor=organiser, event_id=event.id, reason="Storm."), *checkins[6:]
    )

    # Then each check-in was recorded before the cancellation or refused by it, never after it
    cancelled = results[6]
    assert isinstance(cancelled, Event) and cancelled.status == Event.Status.CANCELLED
    answers = results[:6] + results[7:]
    recorded = [r for r in answers if not isinstance(r, DomainError)]
    assert all(r.recorded for r in recorded)
    assert {r.code for r in answers if isinstance(r, DomainError)} <= {"event_cancelled"}
    order = [kind for _tx, _p, _stream, kind, _v in ledger_order(data__event_id=str(event.id))]
    assert order[order.index("EventCancelled") :] == ["EventCancelled"]
    assert order.count("VolunteerCheckedIn") == len(recorded) == CheckIn.objects.filter(event=event).count()
    fold_all()
    call_command("ledger", "verify")
