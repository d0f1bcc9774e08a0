"""Bulk readers have PostgreSQL sample the ledger first when its statistics are missing or stale:
without them the planner sorts every fact after a checkpoint for each batch it reads."""

import pytest
from django.db import connection

from ledger import reading
from ledger.store import append
from tests.ledger.sampleapp.facts import SampleNoted

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="planner statistics are PostgreSQL's"),
    # Committed appends: PostgreSQL counts changes per committed transaction.
    pytest.mark.django_db(transaction=True),
    # No catch-up in between: the transparency log folds every public fact, and a catch-up's bulk
    # read would sample the ledger before the test asks.
    pytest.mark.usefixtures("tasks_queued_not_run"),
]


def sampled() -> tuple[float, int]:
    """(rows PostgreSQL thinks the ledger has, rows changed since it last sampled it)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")  # this session's counts, flushed at once
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.reltuples, s.n_mod_since_analyze FROM pg_class c "
            "JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.oid = 'ledger_fact'::regclass"
        )
        return cursor.fetchone()


def test_a_ledger_that_doubled_since_it_was_sampled_is_sampled_again_once():
    # Given a ledger of 2 000 facts, sampled just now
    for start in range(0, 2000, 500):
        append("notes-1", [SampleNoted(f"note {n}") for n in range(start, start + 500)])
    sampled()  # counts still pending would land after the sampling, as changes since
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE ledger_fact")
    assert reading.refresh_statistics() is False

    # When it grows by more than itself plus STALE_ROWS (10 000)
    for start in range(0, 14000, 2000):
        append("notes-2", [SampleNoted(f"note {n}") for n in range(start, start + 2000)])
    assert sampled() == (2000, 14000)

    # Then the next bulk read samples it, and the one after does not again
    assert reading.refresh_statistics() is True
    assert sampled() == (16000, 0)
    assert reading.refresh_statistics() is False
