"""Loading the demo history: the fast ids are the ids made one by one (so a second run still
appends nothing), they are in time order, and worker processes only where they can see what the
command sees."""

import datetime as dt
import io
import uuid

import pytest
from django.core.management import CommandError, call_command

from demo import history
from ledger.ids import uuid7_time_ms
from ledger.models import Fact


def test_uids_are_the_timed_ids_made_one_by_one_in_time_order():
    # Given the parts of fact, registration and volunteer ids, and when the first was made
    start = dt.datetime(2025, 3, 15, 9, 0, tzinfo=history.ALMATY)
    event = history.uid("event", 7)
    for parts, step in [(("fact", event, "registered5000"), history.MS), (("volunteer",), dt.timedelta(seconds=1))]:
        # When they are made in bulk
        fast = history.uids(*parts, count=1200, start=start, step=step)

        # Then each is the string of the id made alone, a version 7 UUID of its own millisecond
        assert fast == [str(history.timed_uid(*parts, i, at=start + i * step)) for i in range(1200)]
        ids = [uuid.UUID(i) for i in fast]
        assert {i.version for i in ids} == {7}
        assert [uuid7_time_ms(i) for i in ids] == [1742011200000 + i * (step // history.MS) for i in range(1200)]
        # and they sort as they were made: each goes in at the right edge of an index
        assert sorted(fast) == fast
    assert history.uids("volunteer", count=0, start=start) == []


def test_the_plan_names_each_volunteer_by_the_same_id_in_bulk_and_alone():
    plan = history.Plan(
        scale=history.SEED.fraction(0.0001), campaigns=[], events=[], organisations={}, today=dt.date(2026, 12, 1)
    )

    assert len(plan.volunteer_ids) == plan.scale.volunteers == 50
    assert [plan.volunteer_ids[i % 50] for i in (0, 49, 50, 123)] == [str(plan.volunteer(i)) for i in (0, 49, 50, 123)]


def test_workers_are_refused_inside_a_transaction_and_nothing_is_appended(db):
    # Given a caller's open transaction (every test runs in one), which forked workers could not see
    # When the history is asked of two workers
    with pytest.raises(CommandError, match="--workers above 1 needs PostgreSQL and no open transaction"):
        call_command("demo_history", "--seed-scale", "--fraction", "0.002", "--workers", "2", stdout=io.StringIO())

    # Then nothing was appended
    assert not Fact.objects.exists()
