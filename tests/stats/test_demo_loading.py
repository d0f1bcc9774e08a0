"""Loading the demo history: the fast ids are the uuid5 ids it always used (so a second run still
appends nothing), and worker processes only where they can see what the command sees."""

import io

import pytest
from django.core.management import CommandError, call_command

from ledger.models import Fact
from stats import demo


def test_uids_are_the_uuid5_ids_of_uid_one_by_one():
    # Given the parts of fact, registration and volunteer ids
    event = demo.uid("event", 7)
    for parts in [("fact", event, "registered5000"), ("registration", 3), ("volunteer",)]:
        # When they are made in bulk
        fast = demo.uids(*parts, count=1200)

        # Then each is the string of the uuid5 id made alone
        assert fast == [str(demo.uid(*parts, i)) for i in range(1200)]
    assert demo.uids("volunteer", count=0) == []


def test_the_plan_names_each_volunteer_by_the_same_id_in_bulk_and_alone():
    plan = demo.Plan(scale=demo.SEED.fraction(0.0001), campaigns=[], events=[], organisations={})

    assert len(plan.volunteer_ids) == plan.scale.volunteers == 50
    assert [plan.volunteer_ids[i % 50] for i in (0, 49, 50, 123)] == [str(plan.volunteer(i)) for i in (0, 49, 50, 123)]


def test_workers_are_refused_inside_a_transaction_and_nothing_is_appended(db):
    # Given a caller's open transaction (every test runs in one), which forked workers could not see
    # When the history is asked of two workers
    with pytest.raises(CommandError, match="--workers above 1 needs PostgreSQL and no open transaction"):
        call_command("demo_history", "--seed-scale", "--fraction", "0.002", "--workers", "2", stdout=io.StringIO())

    # Then nothing was appended
    assert not Fact.objects.exists()
