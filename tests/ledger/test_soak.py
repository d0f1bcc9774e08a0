"""Soak: concurrent writers (some rolling back on purpose, some losing version races) while
projection workers fold; at the end every total equals a full recompute and the writers' own count."""

import random
import threading
from collections import Counter, defaultdict

import pytest
from django.db import transaction

from ledger.models import Fact
from ledger.runner import catch_up
from ledger.store import ConcurrencyConflict, append
from tests.ledger.helpers import WAIT, in_thread, needs_postgres, recomputed, totals
from tests.ledger.sampleapp.facts import SampleTallied
from tests.ledger.sampleapp.models import SampleStreamTally

pytestmark = [pytest.mark.postgres, pytest.mark.slow, needs_postgres, pytest.mark.django_db(transaction=True)]

WRITERS, APPENDS_EACH, PROJECTION_WORKERS = 8, 30, 2
STREAMS = [f"soak-{n}" for n in range(5)]  # few streams: writers contend for versions


class RolledBack(Exception):
    pass


def test_concurrent_writers_and_projection_workers_end_equal_to_a_full_recompute():
    committed: list[list[tuple[str, str, int]]] = [[] for _ in range(WRITERS)]
    conflicts = Counter()
    writers_done = threading.Event()

    def writer(index: int) -> None:
        rnd = random.Random(index)
        for n in range(APPENDS_EACH):
            stream, counter, amount = rnd.choice(STREAMS), rnd.choice("abc"), rnd.randint(1, 9)
            facts = [SampleTallied(counter, amount)] * rnd.choice((1, 1, 3))
            stored = [(stream, counter, amount)] * len(facts)
            if n % 5 == 4:  # a transaction rolled back on purpose after its append
                try:
                    with transaction.atomic():
                        append(stream, facts)
                        raise RolledBack()
                except RolledBack:
                    continue
            elif n % 4 == 1:  # decide on a version read before, and maybe lose the race
                try:
                    append(stream, facts, expected_version=Fact.objects.filter(stream=stream).count())
                except ConcurrencyConflict:
                    conflicts[index] += 1
                    continue
            else:
                append(stream, facts)
            committed[index] += stored

    def projection_worker() -> None:
        while not writers_done.is_set():
            catch_up(totals(), wait=0, batch_size=7)  # small batches: many checkpoints under load

    workers = [in_thread(projection_worker) for _ in range(PROJECTION_WORKERS)]
    writers = [in_thread(lambda i=i: writer(i)) for i in range(WRITERS)]
    for thread in writers:
        thread.join(120)
    writers_done.set()
    for thread in workers:
        thread.join(60)
    catch_up(totals(), wait=WAIT)

    stored = [row for rows in committed for row in rows]
    expected: dict[str, dict[str, int]] = {}
    for _stream, counter, amount in stored:
        total = expected.setdefault(counter, {"amount": 0, "facts": 0})
        total["amount"] += amount
        total["facts"] += 1
    per_stream = defaultdict(int)
    for stream, _counter, amount in stored:
        per_stream[stream] += amount

    assert Fact.objects.count() == len(stored)  # nothing rolled back is stored, nothing twice
    assert totals().snapshot() == expected  # nothing skipped, nothing doubled
    assert recomputed() == expected
    assert dict(SampleStreamTally.objects.values_list("stream", "amount")) == dict(per_stream)
    assert not any(thread.is_alive() for thread in writers + workers)
