"""A long catch-up reads the next batches on a second connection while it folds (PostgreSQL)."""

import threading
import time

import pytest
from django.db import connection, transaction

from ledger import reading
from ledger.runner import catch_up
from ledger.store import append
from tests.ledger.helpers import checkpoint, needs_postgres, recomputed, totals
from tests.ledger.sampleapp.facts import SampleNoted, SampleTallied

pytestmark = [
    pytest.mark.postgres,
    needs_postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("tasks_queued_not_run"),
]


def open_read_ahead_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # else the transaction's first look at it
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = %s",
            [reading.APPLICATION_NAME],
        )
        return cursor.fetchone()[0]


def read_ahead_connections() -> int:
    """Connections of a read-ahead still open, after up to 2 s for the server to end them."""
    deadline = time.monotonic() + 2
    while (count := open_read_ahead_connections()) and time.monotonic() < deadline:
        time.sleep(0.02)
    return count


def threads_reading_ahead() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name == "ledger-read-ahead"]


def test_a_backlog_read_ahead_in_small_batches_is_folded_once_and_in_order():
    # 95 tallies and 20 facts of a type the projection does not handle, in 23 appends
    for n in range(23):
        facts = [SampleTallied(f"c{n % 3}", n * 5 + i) for i in range(5)] if n < 19 else []
        facts += [SampleNoted(f"note {n}")] * (5 if n >= 19 else 0)
        append(f"stream-{n}", facts)
    last = reading.head()

    folded = catch_up(totals(), batch_size=7, wait=0)

    assert folded == 95
    assert totals().snapshot() == recomputed()
    assert totals().snapshot()["c0"] == {
        "amount": sum(n * 5 + i for n in range(0, 19, 3) for i in range(5)),
        "facts": 35,
    }
    assert checkpoint() == last  # past the notes at the end too
    assert (threads_reading_ahead(), read_ahead_connections()) == ([], 0)


def test_inside_a_callers_transaction_the_catch_up_reads_its_own_uncommitted_facts_without_reading_ahead():
    with transaction.atomic():
        for n in range(6):
            append(f"stream-{n}", [SampleTallied("own", 1)] * 5)
        folded = catch_up(totals(), batch_size=4, wait=0)
        snapshot = totals().snapshot()
        transaction.set_rollback(True)

    assert (folded, snapshot) == (30, {"own": {"amount": 30, "facts": 30}})


def test_an_error_while_folding_stops_the_reader_and_keeps_the_last_committed_checkpoint(monkeypatch):
    for n in range(10):
        append(f"stream-{n}", [SampleTallied("x", 1)] * 3)
    projection = totals()
    fold, calls = projection.fold, []

    def fold_then_fail(facts):
        calls.append((len(facts), open_read_ahead_connections()))
        if len(calls) == 3:
            raise RuntimeError("fold failed")
        fold(facts)

    monkeypatch.setattr(projection, "fold", fold_then_fail)
    with pytest.raises(RuntimeError, match="fold failed"):
        catch_up(projection, batch_size=4, wait=0)

    assert calls == [(4, 0), (4, 1), (4, 1)]  # the second batch on was read ahead, on its own connection
    assert totals().snapshot() == {"x": {"amount": 8, "facts": 8}}  # two batches committed
    assert (threads_reading_ahead(), read_ahead_connections()) == ([], 0)
