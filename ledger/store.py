"""Appending facts: optimistic concurrency per stream, idempotency by fact_id, no global lock.

One append is one SQL statement in the common case: an INSERT … SELECT that reads the stream's
head, checks the expected version, numbers the new facts and returns what it stored. Conflicts do
not raise inside the database (ON CONFLICT DO NOTHING), so nothing has to be rolled back and no
savepoint is needed: fewer rows than facts tells us a fact id was used before or another writer took
the versions, and only then does append() look further. Two requests with the same fact id at once:
the second INSERT waits on the first one's unique-index entry, then skips the row once it commits,
and returns the original facts with `duplicate=True`.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import psycopg
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from config.errors import Conflict, DomainError
from ledger import context, projections, tasks
from ledger import facts as fact_types
from ledger.ids import uuid7
from ledger.models import Fact
from ledger.stored import StoredFact, stored_fact


class ExpectedVersion(enum.Enum):
    ANY = "any"  # append whatever the stream's version
    NO_STREAM = "no_stream"  # the stream must not exist yet


ANY = ExpectedVersion.ANY
NO_STREAM = ExpectedVersion.NO_STREAM


class ConcurrencyConflict(Conflict):
    code = "version_conflict"
    default_message = "The stream changed since you read it; reload and try again."


class IdempotencyConflict(Conflict):
    code = "idempotency_conflict"
    default_message = "These fact ids were already used for different facts."


class OccurredInFuture(DomainError):
    code = "occurred_in_future"
    default_message = "The time given is in the future."


@dataclass(frozen=True)
class AppendResult:
    stream: str
    facts: tuple[StoredFact, ...] = field(default_factory=tuple)
    duplicate: bool = False  # True: these fact ids were stored before; nothing was appended now

    @property
    def version(self) -> int:
        return self.facts[-1].version if self.facts else 0

    @property
    def position(self) -> int:
        return self.facts[-1].position if self.facts else 0


# Appends with ANY retry when another writer took the next version between read and insert.
_ANY_VERSION_RETRIES = 20


def append(
    stream: str,
    facts: Sequence[Any],
    *,
    expected_version: int | ExpectedVersion = ANY,
    fact_ids: Sequence[uuid.UUID | str] | None = None,
    actor_id: str | None = None,
    causation_id: str | None = None,
    correlation_id: str | None = None,
    source: str | None = None,
    occurred_at: dt.datetime | None = None,
) -> AppendResult:
    """Append `facts` to `stream` and run the inline projections, all in one transaction.

    `expected_version` is the stream's version the caller decided on (0 or NO_STREAM: empty).
    `fact_ids` (one per fact) make the append idempotent: if they were stored before, the original
    result comes back with `duplicate=True` and nothing is appended, also when two requests race.
    Invalid facts, a time in the future or a stale version raise before anything is stored.
    `causation_id`, `correlation_id` and `source` default to the request's or task's
    (ledger/context.py).
    """
    if not facts:
        raise ValueError("append() needs at least one fact")
    payloads = []
    for f in facts:
        data = fact_types.to_data(f)  # refuses unregistered types and fields of the wrong type
        payloads.append((type(f).fact_type, type(f).schema_version, data))
    ids = (
        [i if isinstance(i, uuid.UUID) else uuid.UUID(str(i)) for i in fact_ids]
        if fact_ids is not None
        else [uuid7() for _ in facts]
    )
    if len(ids) != len(facts) or len(set(ids)) != len(ids):
        raise ValueError("fact_ids must give one distinct id per fact")
    if not isinstance(expected_version, ExpectedVersion) and (
        isinstance(expected_version, bool) or not isinstance(expected_version, int) or expected_version < 0
    ):
        raise ValueError("expected_version must be ANY, NO_STREAM or a version >= 0")

    now = timezone.now()
    occurred = occurred_at or now
    if timezone.is_naive(occurred):
        raise OccurredInFuture("occurred_at must carry a time zone.", fields={"occurred_at": ["Give a time zone."]})
    skew = dt.timedelta(seconds=settings.LEDGER_MAX_CLOCK_SKEW_SECONDS)
    if occurred > now + skew:
        raise OccurredInFuture(fields={"occurred_at": ["This time is in the future."]})

    origin = context.current()
    causation_id = causation_id or origin.causation_id
    correlation_id = correlation_id or origin.correlation_id
    meta = {
        "actor_id": str(actor_id) if actor_id else None,
        "causation_id": str(causation_id) if causation_id else None,
        "correlation_id": str(correlation_id) if correlation_id else None,
        "source": source or origin.source,
    }
    insert = _Insert(stream, ids, payloads, meta, occurred, now, expected_version)

    # Outside a transaction and with no inline projection to run, the INSERT is its own transaction:
    # no BEGIN/COMMIT round trips, and a plain INSERT (no ON CONFLICT) stores all rows or none.
    autocommit = (
        not connection.in_atomic_block
        and connection.get_autocommit()
        and not projections.inline_projections_for({p[0] for p in payloads})
    )
    for _attempt in range(_ANY_VERSION_RETRIES):
        stored = _append_once(insert, autocommit=autocommit)
        if stored is not None:
            return AppendResult(stream=stream, facts=stored)
        # Nothing stored: the fact ids were used before, or the stream is not at the expected version.
        original = _stored_by_ids(ids)
        if original is not None:
            return _duplicate(stream, ids, original)
        if expected_version is not ANY:
            current = stream_version(stream)
            expected = 0 if expected_version is NO_STREAM else expected_version
            raise ConcurrencyConflict(
                f"Stream {stream} is at version {current}, not {expected}.",
                fields={"expected_version": [f"The stream is at version {current}."]},
            )
    raise ConcurrencyConflict(f"Stream {stream} kept changing; gave up after {_ANY_VERSION_RETRIES} tries.")


def after_append(stored: tuple[StoredFact, ...]) -> None:
    """Inside the append's transaction: inline projections now, async ones queued after commit."""
    types = {fact.type for fact in stored}
    for projection in projections.inline_projections_for(types):
        projection.apply_many([fact for fact in stored if fact.type in projection.handles])
    if any(not p.handles.isdisjoint(types) for p in projections.async_projections()):
        # robust: the facts are committed whatever happens to the broker; beat catches up if a
        # schedule is lost, so a Redis hiccup must not turn a stored append into an error.
        transaction.on_commit(tasks.schedule_catch_up, robust=True)


def _append_once(insert: _Insert, *, autocommit: bool) -> tuple[StoredFact, ...] | None:
    """Try to store the facts once; None when nothing was stored (see append() for why)."""
    if autocommit:
        stored = insert.run(on_conflict=False)
        if stored is not None:
            after_append(stored)  # committed already: schedules the async projections at once
        return stored
    try:
        # In a transaction a failed statement would spoil it, so conflicts skip rows instead
        # (ON CONFLICT DO NOTHING). Skipping may leave a batch half-stored: a savepoint undoes
        # that; a single row is all or nothing and needs none.
        with transaction.atomic(savepoint=len(insert.ids) > 1):
            stored = insert.run(on_conflict=True)
            if stored is not None:
                after_append(stored)  # inline projections now, async ones after commit
            return stored
    except _HalfStored:
        return None


class _HalfStored(Exception):
    """Some rows of a multi-fact append were skipped by ON CONFLICT: undo the others."""


class _Insert:
    """The one INSERT … SELECT of an append: reads the stream's head, checks the expected version,
    numbers the facts, stores them and returns their positions, in one round trip."""

    def __init__(
        self,
        stream: str,
        ids: list[uuid.UUID],
        payloads: list[tuple[str, int, dict]],
        meta: dict,
        occurred: dt.datetime,
        now: dt.datetime,
        expected_version: int | ExpectedVersion,
    ) -> None:
        self.stream = stream
        self.ids = ids
        self.payloads = payloads
        self.meta = meta
        self.occurred = occurred
        self.now = now
        self.expected = None if expected_version is ANY else 0 if expected_version is NO_STREAM else expected_version

    def run(self, *, on_conflict: bool) -> tuple[StoredFact, ...] | None:
        """The stored facts; None if nothing was stored (stale version, used fact ids); raises
        _HalfStored if only some rows were (ON CONFLICT in a batch)."""
        run = self._run_postgres if connection.vendor == "postgresql" else self._run_sqlite
        try:
            returned = run(on_conflict)
        except IntegrityError as exc:
            # Only without ON CONFLICT: a fact id or a version of the stream is taken. The
            # statement stored nothing (and being its own transaction, spoilt nothing).
            if not _is_unique_violation(exc):
                raise
            return None
        if len(returned) != len(self.ids):
            if returned:
                raise _HalfStored()
            return None
        returned.sort(key=lambda r: r[1])  # by version
        return tuple(
            stored_fact(
                (
                    position,
                    fid,
                    self.stream,
                    version,
                    name,
                    schema_version,
                    data,
                    self.meta,
                    self.occurred,
                    self.now,
                    tx,
                )
            )
            for (position, version, tx), fid, (name, schema_version, data) in zip(
                returned, self.ids, self.payloads, strict=True
            )
        )

    def _run_postgres(self, on_conflict: bool) -> list[tuple]:
        sql = _postgres_sql(single=len(self.ids) == 1, check=self.expected is not None, on_conflict=on_conflict)
        meta = json.dumps(self.meta)
        if len(self.ids) == 1:
            name, schema_version, data = self.payloads[0]
            params = [self.stream, self.ids[0], self.stream, name, schema_version, json.dumps(data), meta]
            params += [self.occurred, self.now]
        else:
            params = [
                self.stream,
                self.stream,
                meta,
                self.occurred,
                self.now,
                self.ids,
                [p[0] for p in self.payloads],
                [p[1] for p in self.payloads],
                [json.dumps(p[2]) for p in self.payloads],
            ]
        if self.expected is not None:
            params.append(self.expected)
        connection.ensure_connection()
        with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
            # A server-side-binding cursor and a prepared statement: Django's default cursor binds
            # on the client, so PostgreSQL would parse and plan this statement on every append.
            # (Behind PgBouncer in transaction mode this needs PgBouncer >= 1.21 with
            # max_prepared_statements set.)
            cursor.execute(sql, params, prepare=True)
            return cursor.fetchall()

    def _run_sqlite(self, on_conflict: bool) -> list[tuple]:
        # SQLite serialises writers, so reading the head and inserting in one statement cannot race.
        # (SQLite's grammar wants a WHERE clause in INSERT … SELECT … ON CONFLICT.)
        rows = " UNION ALL ".join(["SELECT %s, %s, %s, %s, %s"] * len(self.ids))
        check = " WHERE coalesce(head.version, 0) = %s" if self.expected is not None else " WHERE true"
        sql = (
            "WITH head AS (SELECT version FROM ledger_fact WHERE stream = %s ORDER BY version DESC LIMIT 1), "
            # Only module constants are interpolated; values are bound parameters.
            f"f(fact_id, type, schema_version, data, n) AS ({rows}) "  # nosec B608
            "INSERT INTO ledger_fact "
            "(fact_id, stream, version, type, schema_version, data, meta, occurred_at, recorded_at) "
            "SELECT f.fact_id, %s, coalesce(head.version, 0) + f.n, f.type, f.schema_version, f.data, %s, %s, %s "
            f"FROM f LEFT JOIN head ON true{check} ORDER BY f.n "
            + ("ON CONFLICT DO NOTHING " if on_conflict else "")
            + "RETURNING position, version, NULL"
        )
        ops = connection.ops
        params: list[Any] = [self.stream]
        for n, (fid, (name, schema_version, data)) in enumerate(zip(self.ids, self.payloads, strict=True), 1):
            params += [fid.hex, name, schema_version, json.dumps(data), n]
        params += [
            self.stream,
            json.dumps(self.meta),
            ops.adapt_datetimefield_value(self.occurred),
            ops.adapt_datetimefield_value(self.now),
        ]
        if self.expected is not None:
            params.append(self.expected)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


def _is_unique_violation(exc: IntegrityError) -> bool:
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) == "23505" or getattr(cause, "sqlite_errorname", None) in (
        "SQLITE_CONSTRAINT_UNIQUE",
        "SQLITE_CONSTRAINT_PRIMARYKEY",
    )


@functools.cache
def _postgres_sql(*, single: bool, check: bool, on_conflict: bool) -> str:
    # `tx`: the writer's transaction id, or the stream head's if that is higher (a transaction that
    # took its id before the head's writer committed). Readers order by (tx, position), so this
    # keeps every stream in version order for them, and tx >= the writer's own id keeps the
    # gap-safety argument of reading.py intact.
    head = "WITH head AS (SELECT version, tx FROM ledger_fact WHERE stream = %s ORDER BY version DESC LIMIT 1) "
    columns = "(fact_id, stream, version, type, schema_version, data, meta, occurred_at, recorded_at, tx) "
    if single:
        select = (
            "SELECT %s, %s, coalesce(head.version, 0) + 1, %s, %s, %s::jsonb, %s::jsonb, %s, %s, "
            "greatest(pg_current_xact_id(), head.tx) FROM (SELECT) AS one LEFT JOIN head ON true"
        )
        order = ""
    else:
        select = (
            "SELECT f.fact_id, %s, coalesce(head.version, 0) + f.n, f.type, f.schema_version, f.data::jsonb, "
            "%s::jsonb, %s, %s, greatest(pg_current_xact_id(), head.tx) "
            "FROM unnest(%b::uuid[], %b::text[], %b::int[], %b::text[]) "
            "WITH ORDINALITY AS f(fact_id, type, schema_version, data, n) LEFT JOIN head ON true"
        )
        order = " ORDER BY f.n"
    return (
        f"{head}INSERT INTO ledger_fact {columns}{select}"
        + (" WHERE coalesce(head.version, 0) = %s" if check else "")
        + order
        + (" ON CONFLICT DO NOTHING" if on_conflict else "")
        + " RETURNING position, version, tx::text::bigint"
    )


def stream_version(stream: str) -> int:
    """The version of `stream` as committed now (0: empty): what `expected_version` is compared with."""
    return Fact.objects.filter(stream=stream).order_by("-version").values_list("version", flat=True).first() or 0


def _stored_by_ids(ids: list[uuid.UUID]) -> list[Fact] | None:
    found = list(Fact.objects.filter(fact_id__in=ids).order_by("position"))
    if not found:
        return None
    if len(found) != len(ids):
        raise IdempotencyConflict()
    return found


def _duplicate(stream: str, ids: list[uuid.UUID], rows: list[Fact]) -> AppendResult:
    if any(row.stream != stream for row in rows):
        raise IdempotencyConflict()
    by_id = {row.fact_id: row for row in rows}
    return AppendResult(stream=stream, facts=tuple(StoredFact.from_row(by_id[i]) for i in ids), duplicate=True)


def read_stream(stream: str) -> list[StoredFact]:
    return [StoredFact.from_row(row) for row in Fact.objects.filter(stream=stream).order_by("version")]
