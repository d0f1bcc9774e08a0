"""On PostgreSQL, transactions commit out of order: the log still takes the facts in the feed's order.

Needs two real connections at once, so it runs with committed data (transaction=True).
"""

import threading

import pytest
from django.db import connection, transaction

from ledger.projections import get
from ledger.runner import catch_up
from ledger.store import append
from tests.ledger.conftest import tasks_queued_not_run  # noqa: F401 (a fixture)
from tests.ledger.helpers import WAIT, in_thread, needs_postgres
from tests.ledger.sampleapp.facts import SampleTallied
from tests.transparency.test_log import feed_items, root_of
from transparency import log
from transparency.models import Leaf

pytestmark = [
    pytest.mark.postgres,
    needs_postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("tasks_queued_not_run"),
]


def test_a_transaction_that_commits_late_gets_its_place_in_feed_order(api_client):
    # Given a fact, then transaction A that has taken its transaction id and stays open,
    before = append("stream-0", [SampleTallied("first", 0)])
    started, go, done = threading.Event(), threading.Event(), []

    def late() -> None:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_current_xact_id()")
            started.set()
            assert go.wait(10)
            done.append(append("stream-a", [SampleTallied("a", 1)]))

    thread = in_thread(late)
    assert started.wait(10)
    # and B appends after it and commits first, so B has the lower position
    b = append("stream-b", [SampleTallied("b", 10)])

    # When the log runs while A is open, it takes what comes before A in ledger order, no more
    folded_while_open = catch_up(get("transparency.log"), wait=0)
    # And when A appends (a higher position than B's) and commits, and the log runs again
    go.set()
    thread.join(10)
    a = done[0]
    catch_up(get("transparency.log"), wait=WAIT)

    # Then A is the leaf before B: the feed's order, not the positions'
    assert a.position > b.position
    assert folded_while_open == 1  # A, open, holds B back
    assert log.tree_size() == 3
    items = feed_items(api_client)
    assert [item["position"] for item in items] == [before.position, a.position, b.position]
    assert list(Leaf.objects.order_by("index").values_list("position", flat=True)) == [
        before.position,
        a.position,
        b.position,
    ]
    assert [item["leaf_index"] for item in items] == [0, 1, 2]
    assert log.root_at(3) == root_of(items)
