"""The totals are the same however the facts are cut into batches, and a batch is folded set-wise.

The live fold reads and writes only what each batch changes; `compute()` folds every fact at once.
A history with every twist the rules know (check-outs, one twice; check-ins undone, one twice, and
made again; a reschedule; corrections; stale, adjusted and rejected verifications; a cancellation;
an approval after a check-in; a rejected proposal) is folded in batches of many sizes from one fact
up, and each time the tables equal the replay and hold the figures the rules give.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.facts import CampaignClosed, CampaignTargetsSet
from events.facts import CheckInUndone, EventApproved, EventRejected, VolunteerCheckedIn
from ledger import store
from ledger.models import Fact
from ledger.projections import get
from ledger.stored import StoredFact
from stats import selectors
from stats.fold import _Batch
from stats.models import Attendance, VolunteerTotal
from tests.ledger.helpers import needs_postgres
from tests.stats.history import COORDINATOR, History, at

ASTANA, ABAI = "KZ-71", "KZ-10"


def handled_facts() -> list[StoredFact]:
    projection = get("stats.totals")
    rows = Fact.objects.filter(type__in=projection.handles).order_by("position")
    return [StoredFact.from_row(row) for row in rows]


def fold_in_batches(facts: list[StoredFact], size: int) -> None:
    projection = get("stats.totals")
    projection.reset()
    for start in range(0, len(facts), size):
        projection.fold(facts[start : start + size])


def check_in(event: uuid.UUID, volunteer: uuid.UUID, when: dt.datetime, band: str = "14_35") -> uuid.UUID:
    """A walk-in's check-in; returns its fact id, which an undo names."""
    result = store.append(f"event-{event}", [VolunteerCheckedIn(event, volunteer, None, "walk_in", band, when)])
    return result.facts[0].fact_id


def undo(event: uuid.UUID, volunteer: uuid.UUID, checkin: uuid.UUID) -> None:
    store.append(f"event-{event}", [CheckInUndone(event, checkin, volunteer, "scanned the wrong pass")])


@pytest.fixture
def twists(db) -> dict[str, uuid.UUID]:
    history = History()
    day = timezone.localdate() - dt.timedelta(days=2)
    organisation = uuid.uuid4()
    campaign = history.campaign(
        starts_on=day - dt.timedelta(days=5), ends_on=day + dt.timedelta(days=5), targets=[(ASTANA, "trees", "10")]
    )
    store.append(
        f"campaign-{campaign}", [CampaignTargetsSet(campaign, [{"region": ASTANA, "metric": "trees", "value": "30"}])]
    )
    a, b, c, d, e = (uuid.uuid4() for _ in range(5))

    # A: three volunteers; two check out (one twice); one check-in undone after its check-out, and
    # made again; a result, its correction, a verification of the stale one, then of the latest.
    ev_a = history.event(campaign=campaign, region=ASTANA, organisation=organisation, day=day)
    check_in(ev_a, a, at(day, 10))
    check_in(ev_a, b, at(day, 10), "36_59")
    mistaken = check_in(ev_a, c, at(day, 10))
    history.check_out(ev_a, a, when=at(day, 12))
    history.check_out(ev_a, b, when=at(day, 11))
    history.check_out(ev_a, c, when=at(day, 11))
    history.check_out(ev_a, b, when=at(day, 13))
    undo(ev_a, c, mistaken)
    check_in(ev_a, c, at(day, 12), "60_plus")
    first = history.result(ev_a, waste_kg={"plastic": "10.5"}, headcount=3)
    history.result(ev_a, waste_kg={"plastic": "12", "glass": "1"}, headcount=4, correction="weighed again")
    history.verify(ev_a, "accepted", first)
    latest = history.result(ev_a, waste_kg={"plastic": "12", "glass": "1.25"}, headcount=4, correction="glass")
    history.verify(ev_a, "adjusted", latest, trees=2)

    # B: checked in, rescheduled to end early, one checks out after; rejected, then corrected.
    ev_b = history.event(campaign=campaign, region=ABAI, organisation=organisation, day=day, kind="tree_planting")
    check_in(ev_b, a, at(day, 10))
    check_in(ev_b, d, at(day, 10))
    history.reschedule(ev_b, starts_at=at(day, 10), ends_at=at(day, 12))
    history.check_out(ev_b, d, when=at(day, 11))
    logged = history.result(ev_b, trees=50, headcount=1)
    history.verify(ev_b, "rejected", logged)
    history.result(ev_b, trees=45, headcount=1, correction="counted again")

    # C: checked in, then cancelled. D: checked in before it was approved. E: its only check-in
    # undone (twice), then made again.
    ev_c = history.event(campaign=campaign, region=ASTANA, organisation=organisation, day=day)
    check_in(ev_c, b, at(day, 10))
    check_in(ev_c, e, at(day, 10))
    history.cancel(ev_c)
    ev_d = history.event(campaign=campaign, region=ABAI, organisation=organisation, day=day, approve=False)
    check_in(ev_d, e, at(day, 9))
    history.check_out(ev_d, e, when=at(day, 12))
    store.append(f"event-{ev_d}", [EventApproved(ev_d, COORDINATOR)])
    ev_e = history.event(campaign=campaign, region=ASTANA, organisation=organisation, day=day)
    mistaken = check_in(ev_e, d, at(day, 10))
    undo(ev_e, d, mistaken)
    undo(ev_e, d, mistaken)
    check_in(ev_e, d, at(day, 11))

    # F: proposed and rejected, with a check-in all the same.
    ev_f = history.event(campaign=campaign, region=ASTANA, organisation=organisation, day=day, approve=False)
    store.append(f"event-{ev_f}", [EventRejected(ev_f, COORDINATOR, "no permit")])
    check_in(ev_f, a, at(day, 10))
    store.append(f"campaign-{campaign}", [CampaignClosed(campaign, "over")])
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "A": ev_a, "B": ev_b, "E": ev_e}


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 7, 11, 1000])
def test_the_tables_equal_a_replay_however_the_facts_are_batched(twists, size):
    # Given the history, when it is folded `size` facts at a time
    facts = handled_facts()
    fold_in_batches(facts, size)

    # then the tables equal the replay, with the figures the rules give
    projection = get("stats.totals")
    assert projection.snapshot() == projection.compute(facts)
    national = selectors.national_totals()
    assert national["verified"]["events"] == 1  # A, adjusted
    assert national["verified"]["trees"] == 2
    assert national["verified"]["waste_kg"] == "13.250"
    assert national["verified"]["participants"] == 3 + 4
    assert national["awaiting_verification"]["events"] == 3  # B corrected, D, E
    assert national["awaiting_verification"]["trees"] == 45
    assert national["total"]["volunteers"] == 3 + 2 + 1 + 1
    # A: a 10-12, b 10-13, c 12-14 (the end); B: a 10-12 (its new end), d 10-11; D: e 10-12 (checked
    # in at 9, before the start); E: d 11-14. a's two stays overlap: their union, 2 h, counts once.
    assert national["total"]["volunteer_hours"] == "13.00"
    tallies = dict(VolunteerTotal.objects.values_list("volunteer_id", "seconds"))
    assert tallies == {
        twists["a"]: 2 * 3600,
        twists["b"]: 3 * 3600,
        twists["c"]: 2 * 3600,
        twists["d"]: 4 * 3600,
        twists["e"]: 2 * 3600,
    }
    assert Attendance.objects.filter(event_id=twists["E"]).count() == 1


@pytest.mark.postgres
@needs_postgres
def test_a_batch_of_5000_facts_is_folded_in_a_fixed_number_of_queries(db):
    # Given eight events of 1 200 check-ins each, the batch starting and ending inside one
    history = History()
    day = timezone.localdate() - dt.timedelta(days=1)
    campaign = history.campaign(starts_on=day, ends_on=day + dt.timedelta(days=3))
    organisation = uuid.uuid4()
    for region in (ASTANA, ABAI) * 4:
        event = history.event(campaign=campaign, region=region, organisation=organisation, day=day)
        facts = [VolunteerCheckedIn(event, uuid.uuid4(), None, "qr", "14_35", at(day, 10)) for _ in range(1200)]
        store.append(f"event-{event}", facts)
        history.check_out(event, facts[0].volunteer_id, when=at(day, 11))
        history.verify(event, "accepted", history.result(event, trees=5))
    facts = handled_facts()
    projection = get("stats.totals")
    projection.reset()
    projection.fold(facts[:3000])

    # when the next 5 000 facts are folded
    with CaptureQueriesContext(connection) as queries:
        projection.fold(facts[3000:8000])

    # then it took one statement per table, not one per fact: it read the clock, the events crossed,
    # the events and the attendances of the volunteers the facts name, and wrote the check-outs, the
    # volunteers' tallies, the events' figures, the totals, the days and the clock (the new check-ins
    # go in by COPY, which psycopg sends outside Django's log)
    assert [query["sql"].split()[0] for query in queries] == [
        "SELECT",  # the totals' clock
        "SELECT",  # the events whose start or end it passes (stats.crediting)
        "SELECT",  # the events' figures
        "SELECT",  # every attendance of the volunteers named (their time is a union)
        "UPDATE",
        *["INSERT"] * 4,
        "UPDATE",  # the clock
    ]
    assert projection.snapshot() == projection.compute(facts[:8000])


def test_the_fold_has_a_handler_for_every_type_the_totals_read_and_no_other():
    assert set(_Batch.fact_handlers) == get("stats.totals").handles
