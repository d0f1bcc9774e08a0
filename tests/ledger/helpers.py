"""Helpers of the ledger's tests: markers, the sample projections, threads with their own connection."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from django.conf import settings
from django.db import connection

from ledger import reading
from ledger.models import ProjectionCheckpoint
from ledger.projections import get
from tests.ledger.sampleapp.projections import SampleTotals

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serialises writers (no concurrent transactions to commit out of order or race)",
)
needs_redis = pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL)")
# How long a test waits for facts committed by other connections (threads, workers) to be read.
WAIT = 30


def totals() -> SampleTotals:
    return get(SampleTotals.name)


def recomputed() -> dict:
    """The async sample projection computed from scratch from every fact, in ledger order."""
    return totals().compute(reading.iter_facts(types=totals().handles, gap_safe=False))


def checkpoint() -> tuple[int, int]:
    row = ProjectionCheckpoint.objects.filter(name=SampleTotals.name).first()
    return (row.tx, row.position) if row else reading.START


def settled(timeout: float = WAIT) -> None:
    """Wait until every visible fact is under the horizon (threads of the test may still be ending
    their transactions)."""
    deadline = time.monotonic() + timeout
    while reading.last_below(reading.horizon()) != (reading.head() if reading.head() != reading.START else None):
        assert time.monotonic() < deadline, f"the horizon stayed behind the facts, held by {reading.holders()}"
        time.sleep(0.02)


def in_thread(work: Callable[[], None]) -> threading.Thread:
    """Start `work` in a thread (with a database connection of its own, closed at the end)."""

    def run() -> None:
        try:
            work()
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def waits_for_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return bool(row) and row[0] == "Lock"
