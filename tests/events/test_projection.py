"""The inline projection is a function of the facts: rebuilt from the ledger it equals the live tables."""

import datetime as dt

from events.models import EventChange
from events.services import (
    checkin_from_roster,
    checkin_undo,
    checkin_with_code,
    checkout_record,
    event_cancel,
    event_change_approve,
    event_change_reject,
    event_change_withdraw,
    event_edit,
    event_reject,
    event_reschedule,
    registration_cancel,
    registration_create,
    result_log,
    result_verify,
)
from tests.events.tables import event_tables, rebuild_event_tables


def test_a_rebuild_from_the_ledger_equals_the_live_tables(
    make_event, organiser, coordinator, volunteer, volunteers, time_machine
):
    # Given a history with every kind of event fact
    held = make_event(capacity=2)
    moved = make_event(title="Moved", starts_at=held.starts_at + dt.timedelta(days=1))
    called_off = make_event(title="Called off")
    rejected = make_event(approved=False, title="Rejected")
    event_reject(actor=coordinator, event_id=rejected.id, reason="Duplicate.")
    places = [registration_create(actor=v, event_id=held.id) for v in volunteers[:4]]
    registration_cancel(actor=volunteers[0], registration_id=places[0].id)
    event_edit(actor=organiser, event_id=held.id, capacity=3, title="Esil, both banks")
    pending = EventChange.objects.get(event=held, status="pending")
    event_change_approve(actor=coordinator, event_id=held.id, change_id=pending.id)
    event_edit(actor=organiser, event_id=moved.id, title="Moved twice")
    event_edit(actor=organiser, event_id=moved.id, title="Moved thrice")  # replaces the pending one
    pending = EventChange.objects.get(event=moved, status="pending")
    event_change_reject(actor=coordinator, event_id=moved.id, change_id=pending.id, reason="Keep the name.")
    event_edit(actor=organiser, event_id=called_off.id, description="Bring a torch.")
    event_change_withdraw(actor=organiser, event_id=called_off.id)
    event_reschedule(
        actor=organiser,
        event_id=moved.id,
        starts_at=moved.starts_at + dt.timedelta(hours=2),
        ends_at=moved.ends_at + dt.timedelta(hours=2),
    )
    registration_create(actor=volunteer, event_id=called_off.id)
    event_cancel(actor=organiser, event_id=called_off.id, reason="Storm.")
    time_machine.move_to(held.starts_at, tick=False)
    ticks = [checkin_from_roster(actor=organiser, event_id=held.id, registration_id=p.id) for p in places[1:]]
    checkin_undo(actor=organiser, event_id=held.id, checkin_id=ticks[-1].checkin.id, reason="Wrong name ticked.")
    checkin_with_code(actor=volunteer, event_id=held.id, code=held.short_code)  # came without a place
    time_machine.move_to(held.starts_at + dt.timedelta(hours=1), tick=False)
    checkout_record(actor=volunteers[1], event_id=held.id)
    time_machine.move_to(held.ends_at, tick=False)
    first = result_log(
        actor=organiser,
        event_id=held.id,
        waste_kg={"glass": "3.25"},
        trees=2,
        tree_species={"elm": 2},
        area_ha="0.1",
        headcount=1,
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
    live = event_tables()

    # When the tables are emptied and every fact is folded again
    rebuild_event_tables()

    # Then they are the same, row by row
    assert event_tables() == live
    assert [len(rows) for rows in live.values()] == [4, 4, 5, 3, 2, 2, 1, 0]
    assert sorted(row["status"] for row in live["EventChange"]) == ["approved", "rejected", "replaced", "withdrawn"]
