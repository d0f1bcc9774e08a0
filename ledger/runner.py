"""Runs async projections: gap-safe batches, one transaction per batch, one worker per projection.

A batch is one transaction: lock the projection's checkpoint row (another worker holding it means
the projection is being run: return at once), read the next facts under the horizon in ledger order
(reading.py), fold them, move the checkpoint, commit. A worker killed half-way loses only its open
transaction; the next run starts again from the last committed checkpoint.

Appends queue the Celery task (ledger/tasks.py) after commit, debounced there; beat runs the same
task periodically as a safety net (a lost message, a broker restart).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.db import connection, transaction
from django.utils import timezone

from ledger import reading
from ledger.models import ProjectionCheckpoint
from ledger.projections import AsyncProjection, InlineProjection, async_projections, get
from ledger.reading import START, Position

logger = logging.getLogger(__name__)

BATCH_SIZE = 5000
# How long a synchronous catch-up waits for older transactions still holding committed facts back
# (tests, commands). The Celery task never waits: it schedules itself again instead.
DEFAULT_WAIT_SECONDS = 5.0


@dataclass
class Progress:
    facts: int = 0  # facts folded
    busy: bool = False  # another worker holds the projection
    held_back: bool = False  # committed facts wait for an older transaction to end


@dataclass
class _Batch:
    facts: int
    checkpoint: Position
    more: bool
    below: int | None


def catch_up(projection: AsyncProjection, *, batch_size: int = BATCH_SIZE, wait: float = DEFAULT_WAIT_SECONDS) -> int:
    """Fold every fact the projection has not seen yet; return how many it folded.

    With `wait`, also wait (that many seconds at most) for the facts visible now but held back by
    older transactions, and for another worker running the projection, so that on return every
    fact visible at the call is folded.
    """
    return _catch_up(projection, batch_size=batch_size, wait=wait).facts


def catch_up_all(*, wait: float = DEFAULT_WAIT_SECONDS) -> int:
    return sum(catch_up(p, wait=wait) for p in async_projections())


def catch_up_without_waiting() -> tuple[int, bool]:
    """The Celery task's body (ledger/tasks.py): catch every async projection up, never wait.
    Returns the facts folded and whether to look again soon (a projection busy in another worker,
    facts held back by an older transaction, the task's time up)."""
    folded, again = 0, False
    for projection in async_projections():
        try:
            progress = _catch_up(projection, batch_size=BATCH_SIZE, wait=0)
        except SoftTimeLimitExceeded:
            # The task's time is up (a long backlog): the batches committed so far are kept, and the
            # next task goes on from their checkpoints instead of waiting for beat.
            again = True
            break
        except Exception:  # noqa: BLE001 - one broken projection must not stop the others
            logger.exception("Catching up projection %s failed", projection.name)
            continue
        folded += progress.facts
        again = again or progress.busy or progress.held_back
    return folded, again


def projection_rebuild(*, name: str) -> int:
    """Empty a projection's tables and replay the ledger into them; return the facts replayed.

    One transaction, so readers see the old tables until the new ones are complete. An inline
    projection's rebuild blocks appends meanwhile (they would write to the tables being rebuilt);
    an async one only holds its checkpoint, and picks up after the horizon on its next run.
    """
    projection = get(name)
    reading.refresh_statistics()
    with transaction.atomic():
        if isinstance(projection, InlineProjection):
            if reading.is_postgres():
                with connection.cursor() as cursor:
                    # SHARE waits for every transaction writing facts and keeps new ones out, so
                    # all facts are committed and in their final order: no horizon needed.
                    cursor.execute("LOCK TABLE ledger_fact IN SHARE MODE")
            projection.reset()
            count, after = 0, START
            while after is not None:
                # In ledger order, a batch at a time through apply_many: a projection that works
                # set-wise replays a million facts in minutes rather than hours.
                with reading.gc_paused():
                    replayed, after = _replay_batch(projection, after)
                count += replayed
            return count
        if not isinstance(projection, AsyncProjection):
            raise TypeError(f"{projection.name} is neither an inline nor an async projection")
        _lock_checkpoint(projection.name, skip_locked=False)
        below = reading.horizon()
        projection.reset()
        checkpoint, count = START, 0
        while True:
            batch = _fold_batch(projection, checkpoint, below, BATCH_SIZE)
            checkpoint, count = batch.checkpoint, count + batch.facts
            if not batch.more:
                break
        _save_checkpoint(projection.name, checkpoint)
        return count


def _replay_batch(projection: InlineProjection, after: Position) -> tuple[int, Position | None]:
    """Apply the next batch of facts to an inline projection: how many, and where the next batch
    starts (None: that was the last)."""
    batch = reading.read_batch(after=after, limit=BATCH_SIZE, types=projection.handles, gap_safe=False)
    if batch:
        projection.apply_many(batch)
    return len(batch), reading.checkpoint_of(batch[-1]) if len(batch) == BATCH_SIZE else None


@dataclass(frozen=True)
class Difference:
    key: str  # dotted path into compute()'s dict
    computed: Any  # recomputed from the facts
    stored: Any  # read from the projection's tables


def projection_verify(*, name: str) -> list[Difference]:
    """Recompute an async projection in memory from every fact it has folded and compare it with
    its tables; the differences (none: the tables are right).

    Holds the projection's checkpoint meanwhile, so no batch lands between reading the checkpoint
    and reading the tables.
    """
    projection = get(name)
    if not isinstance(projection, AsyncProjection):
        raise TypeError(f"{name} is not an async projection")
    reading.refresh_statistics()
    with transaction.atomic():
        checkpoint = _lock_checkpoint(projection.name, skip_locked=False)
        # Everything up to the checkpoint was read under the horizon, so it is final: no gap-safe
        # limit needed (a long transaction elsewhere must not make verify see less than was folded).
        facts = reading.iter_facts(
            types=projection.handles, until=checkpoint, gap_safe=False, with_meta=projection.reads_meta
        )
        computed = projection.compute(facts)
        stored = projection.snapshot()
    return _differences(computed, stored)


class _Missing:
    def __repr__(self) -> str:
        return "(missing)"


MISSING = _Missing()  # a key on one side of a Difference only


def _differences(computed: Any, stored: Any) -> list[Difference]:
    mine, theirs = _flatten(computed), _flatten(stored)
    return [
        Difference(key, mine.get(key, MISSING), theirs.get(key, MISSING))
        for key in sorted(mine.keys() | theirs.keys())
        if mine.get(key, MISSING) != theirs.get(key, MISSING)
    ]


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict) and value:
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, (list, tuple)) and value:
        out = {}
        for index, item in enumerate(value):
            out.update(_flatten(item, f"{prefix}[{index}]"))
        return out
    return {prefix: value}


# --- internals -------------------------------------------------------------------------------------


def _catch_up(projection: AsyncProjection, *, batch_size: int, wait: float) -> Progress:
    progress = Progress()
    reading.refresh_statistics()
    deadline = time.monotonic() + wait
    target = reading.head() if wait else None
    ahead: reading.ReadAhead | None = None  # reads the next batches while this one is folded
    # Reading ahead on another connection sees only committed facts: not inside a caller's
    # transaction, whose own facts this connection reads (they are under its horizon).
    may_read_ahead = reading.is_postgres() and not connection.in_atomic_block
    try:
        while True:
            with transaction.atomic():
                checkpoint = _lock_checkpoint(projection.name, skip_locked=True)
                if checkpoint is not None:
                    if ahead is not None and checkpoint != ahead.expected:
                        # Another worker ran the projection between two of our batches.
                        ahead = _stop_reading_ahead(ahead)
                    # What was read ahead was read under the horizon of its start.
                    below = ahead.below if ahead is not None else reading.horizon()
                    batch = _fold_batch(projection, checkpoint, below, batch_size, ahead)
                    if batch.checkpoint != checkpoint:
                        _save_checkpoint(projection.name, batch.checkpoint)
            if checkpoint is None:
                ahead = _stop_reading_ahead(ahead)
                progress.busy = True
                if wait and time.monotonic() < deadline:
                    time.sleep(0.02)
                    continue
                return progress
            progress.busy = False
            progress.facts += batch.facts
            if batch.more:
                # A backlog: from the second full batch on, read ahead (PostgreSQL; on SQLite one
                # writer at a time, and nothing to overlap).
                if ahead is None and may_read_ahead:
                    ahead = reading.ReadAhead(
                        after=batch.checkpoint,
                        below=batch.below,
                        limit=batch_size,
                        types=projection.handles,
                        with_meta=projection.reads_meta,
                    ).start()
                if ahead is not None:
                    ahead.expected = batch.checkpoint
                continue
            ahead = _stop_reading_ahead(ahead)
            if target is not None and batch.checkpoint < target and time.monotonic() < deadline:
                time.sleep(0.02)
                continue
            progress.held_back = reading.held_back(batch.below)
            return progress
    finally:
        _stop_reading_ahead(ahead)


def _stop_reading_ahead(ahead: reading.ReadAhead | None) -> None:
    if ahead is not None:
        ahead.stop()


def _fold_batch(
    projection: AsyncProjection,
    checkpoint: Position,
    below: int | None,
    batch_size: int,
    ahead: reading.ReadAhead | None = None,
) -> _Batch:
    with reading.gc_paused():
        return _read_and_fold(projection, checkpoint, below, batch_size, ahead)


def _read_and_fold(
    projection: AsyncProjection,
    checkpoint: Position,
    below: int | None,
    batch_size: int,
    ahead: reading.ReadAhead | None,
) -> _Batch:
    if ahead is not None:
        facts = ahead.next()
    else:
        facts = reading.read_batch(
            after=checkpoint, limit=batch_size, types=projection.handles, below=below, with_meta=projection.reads_meta
        )
    if len(facts) == batch_size:
        new, more = reading.checkpoint_of(facts[-1]), True
    else:
        # The end of what can be read: move past the facts of other types too, so the checkpoint
        # (and `ledger status`) does not lag behind facts the projection does not care about.
        last = reading.last_below(below) or START
        new, more = max(checkpoint, last, reading.checkpoint_of(facts[-1]) if facts else START), False
    if facts:
        projection.fold(facts)
    return _Batch(facts=len(facts), checkpoint=new, more=more, below=below)


def _lock_checkpoint(name: str, *, skip_locked: bool) -> Position | None:
    """Lock the projection's checkpoint row in the current transaction.

    Returns (tx, position), or None when another worker holds the row (skip_locked). A horizon for
    the batch is taken after this, in the same transaction (reading.horizon()).
    """
    postgres = reading.is_postgres()
    if postgres:
        with connection.cursor() as cursor:
            # A projection's tables and checkpoint are derived and commit together: a crash may lose
            # the last batches' commits, all of a batch or none, and they are folded again. So
            # batches need not wait for the WAL flush.
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
    lock = (" FOR UPDATE SKIP LOCKED" if skip_locked else " FOR UPDATE") if postgres else ""
    with connection.cursor() as cursor:
        # Only module constants are interpolated; values are bound parameters.
        cursor.execute(f"SELECT tx, position FROM ledger_checkpoint WHERE name = %s{lock}", [name])  # nosec B608
        row = cursor.fetchone()
        if row is not None:
            return (row[0], row[1])
        # No row: a new projection (take the row), or one locked by another worker (skip).
        cursor.execute(
            "INSERT INTO ledger_checkpoint (name, tx, position, updated_at) VALUES (%s, 0, 0, %s) "
            "ON CONFLICT DO NOTHING RETURNING name",
            [name, timezone.now() if postgres else connection.ops.adapt_datetimefield_value(timezone.now())],
        )
        if cursor.fetchone() is None:
            if not skip_locked:
                return _lock_checkpoint(name, skip_locked=False)
            return None
    return START


def _save_checkpoint(name: str, checkpoint: Position) -> None:
    ProjectionCheckpoint.objects.filter(name=name).update(
        tx=checkpoint[0], position=checkpoint[1], updated_at=timezone.now()
    )
