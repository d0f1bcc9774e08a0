"""Gap-safe reading on PostgreSQL: transactions that commit out of order, or roll back, or race.

These need two real connections at once, so they run with committed data (transaction=True).
"""

import io
import threading
import time
import uuid

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection, transaction

from ledger.models import Fact
from ledger.reading import horizon, iter_facts
from ledger.runner import catch_up
from ledger.store import append
from tests.ledger.helpers import WAIT, backend_pid, checkpoint, in_thread, needs_postgres, totals, waits_for_lock
from tests.ledger.sampleapp.facts import SampleTallied

pytestmark = [
    pytest.mark.postgres,
    needs_postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("tasks_queued_not_run"),
]


def hold_open(stream: str, fact: SampleTallied, *, commit: bool) -> tuple[threading.Event, threading.Event, list]:
    """Append in a transaction of another connection and keep it open until told to end it."""
    appended, end = threading.Event(), threading.Event()
    result = []

    def work() -> None:
        with transaction.atomic():
            result.append(append(stream, [fact]))
            appended.set()
            assert end.wait(10)
            if not commit:
                transaction.set_rollback(True)

    result.append(in_thread(work))
    assert appended.wait(10)
    return appended, end, result


def test_a_fact_that_commits_late_with_a_lower_position_is_folded_once():
    # Given transaction A has appended and stays open, and B appends after it and commits
    _, end_a, (thread_a, a) = hold_open("stream-a", SampleTallied("a", 1), commit=True)
    b = append("stream-b", [SampleTallied("b", 10)])
    assert a.position < b.position  # a reader by position alone would fold B and never see A

    # When the projection runs, B waits: A, still open, holds the horizon
    folded_while_open = catch_up(totals(), wait=0)
    checkpoint_while_open = checkpoint()
    # And when A commits and the projection runs (twice), both are folded, once
    end_a.set()
    thread_a.join(10)
    folded_after = catch_up(totals(), wait=WAIT) + catch_up(totals(), wait=WAIT)

    assert (folded_while_open, checkpoint_while_open) == (0, (0, 0))
    assert folded_after == 2
    assert totals().snapshot() == {"a": {"amount": 1, "facts": 1}, "b": {"amount": 10, "facts": 1}}
    assert checkpoint() == (b.facts[0].tx, b.position)


def test_a_rolled_back_transaction_holds_nothing_back_once_it_has_ended():
    _, end_a, (thread_a, _a) = hold_open("stream-a", SampleTallied("a", 1), commit=False)
    b = append("stream-b", [SampleTallied("b", 10)])

    end_a.set()
    thread_a.join(10)
    folded = catch_up(totals(), wait=WAIT)

    assert folded == 1
    assert totals().snapshot() == {"b": {"amount": 10, "facts": 1}}
    assert checkpoint() == (b.facts[0].tx, b.position)


def test_a_stream_is_read_in_version_order_even_when_its_writers_took_their_ids_the_other_way_round():
    # Given transaction A took its id first (it wrote something), then B appended version 1 of a
    # stream and committed, then A appended version 2 of the same stream and committed
    wrote, appended_1, a_done = threading.Event(), threading.Event(), []

    def writer_a() -> None:
        with transaction.atomic():
            append("stream-other", [SampleTallied("x", 1)])
            wrote.set()
            assert appended_1.wait(10)
            a_done.append(append("stream-s", [SampleTallied("s", 2)]))

    thread = in_thread(writer_a)
    assert wrote.wait(10)
    append("stream-s", [SampleTallied("s", 1)])
    appended_1.set()
    thread.join(10)

    # When the projection reads the ledger, then version 1 comes before version 2
    order = [(f.stream, f.version) for f in iter_facts(gap_safe=False) if f.stream == "stream-s"]
    assert order == [("stream-s", 1), ("stream-s", 2)]


def test_the_same_fact_id_from_two_connections_at_once_gives_one_fact():
    # Given connection A has appended a fact and not committed yet
    _, end_a, (thread_a, a) = hold_open("stream-a", SampleTallied("a", 1), commit=True)
    fact_id = a.facts[0].fact_id

    # When connection B appends the same fact id, it waits for A; then A commits
    outcome, pid = [], []

    def writer_b() -> None:
        pid.append(backend_pid())
        outcome.append(append("stream-a", [SampleTallied("a", 1)], fact_ids=[fact_id]))

    thread_b = in_thread(writer_b)
    deadline = time.monotonic() + 10
    while not (pid and waits_for_lock(pid[0])) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert waits_for_lock(pid[0])
    end_a.set()
    thread_a.join(10)
    thread_b.join(10)

    # Then B gets A's fact back as a duplicate, and the ledger holds it once
    assert outcome[0].duplicate is True
    assert [(f.position, f.fact_id) for f in outcome[0].facts] == [(a.position, fact_id)]
    assert Fact.objects.filter(fact_id=fact_id).count() == 1


def test_many_connections_racing_with_one_fact_id_store_it_once():
    fact_id, start = uuid.uuid4(), threading.Barrier(8)
    results = []

    def racer() -> None:
        start.wait(10)
        results.append(append("stream-r", [SampleTallied("r", 5)], fact_ids=[fact_id]))

    threads = [in_thread(racer) for _ in range(8)]
    for thread in threads:
        thread.join(20)

    assert sorted(r.duplicate for r in results) == [False] + [True] * 7
    assert {r.position for r in results} == {Fact.objects.get(fact_id=fact_id).position}
    assert Fact.objects.count() == 1
    assert connection.vendor == "postgresql"


def open_transaction(dbname: str | None = None) -> tuple[psycopg.Connection, int]:
    """A transaction on another connection (to this database, or to `dbname` on the same server)
    that has taken a transaction id and stays open until the caller rolls it back."""
    params = connection.get_connection_params()
    if dbname:
        params["dbname"] = dbname
    other = psycopg.connect(**params)
    xid = other.execute("SELECT pg_current_xact_id()::text::bigint").fetchone()[0]
    return other, xid


def test_the_readers_own_facts_are_under_the_horizon_even_when_no_other_transaction_has_ended():
    # PostgreSQL's snapshot xmax is "the last transaction that ended, plus one": on a quiet server
    # it is our own id, and facts of our own transaction would be held back until it ends.
    with transaction.atomic():
        appended = append("stream-own", [SampleTallied("own", 3)])

        assert horizon() > appended.facts[0].tx
        assert catch_up(totals(), wait=0) == 1
        assert totals().snapshot() == {"own": {"amount": 3, "facts": 1}}


def test_a_transaction_of_another_database_on_the_server_holds_nothing_back():
    other, foreign_xid = open_transaction("postgres")
    try:
        appended = append("stream-b", [SampleTallied("b", 10)])
        assert appended.facts[0].tx > foreign_xid  # the foreign transaction is older, and still running

        folded = catch_up(totals(), wait=0)
    finally:
        other.rollback()
        other.close()

    assert folded == 1
    assert checkpoint() == (appended.facts[0].tx, appended.position)


def test_an_older_transaction_of_this_database_holds_the_horizon_even_above_the_snapshots_xmax():
    # Given transaction A of this database has an id and stays open, and nothing has ended since
    other, older = open_transaction()
    try:
        # When our transaction appends (a newer id) and takes the horizon
        with transaction.atomic():
            appended = append("stream-own", [SampleTallied("own", 3)])
            taken = horizon()
            folded = catch_up(totals(), wait=0)
            transaction.set_rollback(True)
    finally:
        other.rollback()
        other.close()

    # Then the horizon stays at A: A may still append facts below ours
    assert appended.facts[0].tx > older
    assert (taken, folded) == (older, 0)


def test_the_horizon_sees_transactions_that_started_since_it_was_last_taken_in_the_same_transaction():
    # PostgreSQL keeps one copy of pg_stat_activity per transaction unless it is dropped.
    with transaction.atomic():
        first = horizon()
        # Given B takes an id and stays open, and C, newer, commits a fact (so B is under xmax)
        other, b = open_transaction()
        try:
            c = in_thread(lambda: append("stream-c", [SampleTallied("c", 1)]))
            c.join(10)
            second = horizon()
        finally:
            other.rollback()
            other.close()

    assert first <= b
    assert second == b


def test_ledger_status_names_the_transaction_that_holds_committed_facts_back():
    other, older = open_transaction()
    pid = other.info.backend_pid
    try:
        append("stream-b", [SampleTallied("b", 10)])
        out = io.StringIO()
        call_command("ledger", "status", stdout=out)
    finally:
        other.rollback()
        other.close()

    printed = out.getvalue()
    assert "Committed facts wait for these older transactions of this database to end:" in printed
    assert (
        f"  pid {pid}, transaction {older}, idle in transaction for 0 s: SELECT pg_current_xact_id()::text::bigint\n"
    ) in printed
