"""apply_many() folds a whole append set-wise and leaves exactly the rows apply() leaves fact by fact."""

import datetime as dt

import pytest

from events.facts import event_stream
from events.models import CheckIn, Event, EventChange, Registration
from events.projections import EventParticipation
from events.services import (
    checkin_from_roster,
    checkin_undo,
    checkin_with_code,
    checkout_record,
    event_cancel,
    event_change_approve,
    event_edit,
    registration_cancel,
    registration_create,
    result_log,
    result_verify,
)
from ledger.models import Fact
from ledger.stored import StoredFact
from tests.events.tables import event_tables


@pytest.fixture
def history(make_event, organiser, coordinator, volunteer, volunteers, time_machine) -> list[StoredFact]:
    """Every event fact of two held events and a cancelled one, in ledger order: registrations
    past capacity (waitlist), cancellations that promote, a volunteer who registers again,
    check-ins from the roster and a walk-in, one undone, a check-out, a result, its correction and verdicts."""
    held = make_event(capacity=2)
    other = make_event(title="Right bank", capacity=5)
    called_off = make_event(title="Called off")
    places = [registration_create(actor=v, event_id=held.id) for v in volunteers[:4]]
    registration_cancel(actor=volunteers[0], registration_id=places[0].id)  # promotes the first waiting
    again = registration_create(actor=volunteers[0], event_id=held.id)  # waits again, a new registration
    event_edit(actor=organiser, event_id=held.id, capacity=4, title="Esil, both banks")
    pending = EventChange.objects.get(event=held, status="pending")
    event_change_approve(actor=coordinator, event_id=held.id, change_id=pending.id)
    on_other = [registration_create(actor=v, event_id=other.id) for v in volunteers[1:]]
    registration_create(actor=volunteer, event_id=called_off.id)
    event_cancel(actor=organiser, event_id=called_off.id, reason="Storm.")
    time_machine.move_to(held.starts_at, tick=False)
    for place in [*places[1:], again]:
        checkin_from_roster(actor=organiser, event_id=held.id, registration_id=place.id)
    checkin_with_code(actor=volunteer, event_id=held.id, code=held.short_code)  # came without a place
    wrong = [checkin_from_roster(actor=organiser, event_id=other.id, registration_id=p.id) for p in on_other][0]
    checkin_undo(actor=organiser, event_id=other.id, checkin_id=wrong.checkin.id, reason="Ticked the wrong name.")
    time_machine.move_to(held.starts_at + dt.timedelta(hours=1), tick=False)
    checkout_record(actor=volunteers[1], event_id=held.id)
    time_machine.move_to(held.ends_at, tick=False)
    first = result_log(
        actor=organiser, event_id=held.id, waste_kg={"glass": "3.25"}, trees=2, area_ha="0.1", headcount=1
    )
    result_verify(actor=coordinator, event_id=held.id, decision="rejected", result_version=first.version, reason="?")
    second = result_log(
        actor=organiser,
        event_id=held.id,
        waste_kg={"glass": "3.5"},
        trees=2,
        area_ha="0.1",
        headcount=1,
        correction_reason="Weighed.",
    )
    result_verify(
        actor=coordinator,
        event_id=held.id,
        decision="adjusted",
        result_version=second.version,
        reason="Scale.",
        trees=1,
    )
    handles = EventParticipation.handles
    return [StoredFact.from_row(row) for row in Fact.objects.filter(type__in=handles).order_by("position")]


def fold_one_by_one(facts: list[StoredFact]) -> dict[str, list[dict]]:
    projection = EventParticipation()
    projection.reset()
    for fact in facts:
        projection.apply(fact)
    return event_tables()


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 1000])
def test_apply_many_leaves_the_rows_apply_leaves_fact_by_fact(history, chunk):
    # Given the tables folded fact by fact (and they hold every kind of row but survival checks, which
    # a clean-up has none of: tests/events/test_survival.py folds those)
    one_by_one = fold_one_by_one(history)
    assert [len(rows) for rows in one_by_one.values()] == [3, 1, 10, 8, 2, 2, 1, 0]

    # When the same facts are folded again, `chunk` at a time through apply_many
    projection = EventParticipation()
    projection.reset()
    for start in range(0, len(history), chunk):
        projection.apply_many(history[start : start + chunk])

    # Then every row of every table is the same
    assert event_tables() == one_by_one


def test_apply_many_counts_and_versions_each_event_of_a_mixed_batch(history):
    # Given every fact of three events folded in one call
    projection = EventParticipation()
    projection.reset()
    projection.apply_many(history)

    # Then each event's counters are as its facts leave them, its version that of its stream's last
    # fact (check-ins are on attendance streams of their own, and move no version of the event)
    events = {e.title: e for e in Event.objects.all()}
    held, other, called_off = events["Esil, both banks"], events["Right bank"], events["Called off"]
    assert (held.registered_count, held.waitlisted_count, held.checked_in_count) == (4, 0, 5)
    assert (other.registered_count, other.waitlisted_count, other.checked_in_count) == (4, 0, 3)
    assert (called_off.registered_count, called_off.status) == (1, Event.Status.CANCELLED)
    last = {}
    for fact in history:
        if fact.stream == event_stream(fact.data["event_id"]):
            last[fact.data["event_id"]] = fact.version
    assert {str(e.id): e.version for e in events.values()} == last
    walk_in = CheckIn.objects.get(event=held, registration_id=None)
    assert walk_in.method == "event_code"
    assert Registration.objects.filter(event=held, status=Registration.Status.CANCELLED).count() == 1
