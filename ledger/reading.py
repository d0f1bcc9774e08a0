"""Gap-safe reading of the ledger, in ledger order, with raw SQL (readers handle millions of rows).

Ledger order on PostgreSQL is (tx, position). A position is taken when a row is inserted, but the
row becomes visible only when its transaction commits, so transactions committing out of order
leave holes that fill in later: a reader that trusts `position > checkpoint` skips those facts
for good. Every fact that is not yet visible belongs to a transaction still in progress, and
its `tx` is at least that transaction's id (see store.py). So a reader takes the *horizon*, the
lowest id of any transaction still running, and reads only facts with `tx` below it, in (tx,
position) order, keeping (tx, position) as its checkpoint: nothing below the horizon can still
appear, nothing above it has been read. A rolled-back transaction leaves nothing behind and stops
holding the horizon back the moment it ends; a long-running one only delays readers.

The horizon starts from `pg_snapshot_xmin(pg_current_snapshot())`, "every transaction below it has
ended", with three corrections:
- Only transactions of this database count. Transaction ids are server-wide, so a snapshot lists
  the running transactions of every database on the server, but only those connected to this
  database (or prepared in it) can add facts to its ledger. Without this, a long transaction of
  another application, test suite or benchmark on the same server holds every projection back.
- The reader's own transaction does not count: a reader inside a transaction that appended facts
  itself (tests, a demo load) sees those facts, and commits or rolls back together with them.
  The snapshot's xmax cannot express that: it is "the last transaction that *ended*, plus one",
  so on a quiet server it can be our own id, and our own facts would never be read.
- Transactions at or above xmax that started before ours are not in the snapshot's list.
So the horizon is the lowest id among the *other transactions of this database still running*,
as pg_stat_activity (and pg_prepared_xacts) list them, and at most max(xmax, own id + 1): every id
below that bound was handed out before the statement started. pg_stat_activity is read after the
statement's snapshot was taken, so a transaction of ours below the bound is either still listed
there (it holds the horizon) or has ended, and then the read that follows sees its facts, because
it runs in a later statement with a later snapshot. Hence: the horizon is taken in a statement of
its own, before the read, in READ COMMITTED (REPEATABLE READ would reuse one snapshot), with
pg_stat_activity read afresh (PostgreSQL keeps one copy per transaction unless told to drop it).
pg_stat_activity shows every backend's database and transaction id to any user.

On a streaming replica (the public read side, config/replicas.py) pg_stat_activity lists only the
replica's own sessions, which hold no transaction ids, so none of this applies: the horizon is the
snapshot's xmin, which a replica takes from the primary's running transactions as replayed (every
database's: a long transaction elsewhere on the primary delays the replica's feed, never breaks it).

On SQLite writers are serialised by the database lock (a writing transaction holds it until it
commits), so positions are taken in commit order: position order is ledger order, and every
visible fact is below the horizon. `tx` is None there and checkpoints keep tx = 0.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import queue
import threading
import uuid
from collections.abc import Collection, Iterator
from dataclasses import dataclass

import orjson
import psycopg
from django.db import connection

from ledger import facts as fact_types
from ledger.stored import StoredFact, stored_fact

# A place in ledger order, the pair (tx, position); on SQLite (0, position): what readers read after
# and until, and what a projection's checkpoint row (models.ProjectionCheckpoint) keeps.
Position = tuple[int, int]
START: Position = (0, 0)

_COLUMNS = "position, fact_id, stream, version, type, schema_version, data, meta, occurred_at, recorded_at"
# JSON as text: decoding a str with one JSONDecoder is cheaper than psycopg's jsonb loader per value.
_POSTGRES_COLUMNS = (
    "position, fact_id, stream, version, type, schema_version, data::text, meta::text, occurred_at, recorded_at, "
    "tx::text::bigint AS tx_number"
)
_POSTGRES_COLUMNS_NO_META = _POSTGRES_COLUMNS.replace("meta::text", "NULL::text")
# The lowest id of a transaction of this database still running (ours excepted), as a number; see
# the module's docstring. pg_stat_activity has 32-bit ids: each is widened to the 64-bit id nearest
# to the snapshot's xmax (running transactions are far closer to it than 2^31).
# The other transactions of this database that hold a transaction id (rows of pg_stat_activity).
_OTHERS_HERE = "datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
HORIZON_SQL = f"""
WITH snapshot AS (
    SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS xmax,
           pg_current_xact_id_if_assigned()::text::bigint AS own
), running AS (
    SELECT backend_xid::text::bigint AS xid FROM pg_stat_activity WHERE {_OTHERS_HERE}
    UNION ALL
    SELECT transaction::text::bigint FROM pg_prepared_xacts WHERE database = current_database()
)
SELECT CASE WHEN pg_is_in_recovery() THEN pg_snapshot_xmin(pg_current_snapshot())::text::bigint ELSE least(
    (SELECT min(xmax + ((xid - xmax % 4294967296) % 4294967296 + 6442450944) % 4294967296 - 2147483648)
       FROM running),
    greatest(xmax, own + 1)) END
FROM snapshot
"""  # only module constants are interpolated; values are bound parameters  # nosec B608


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a batch is read and folded.

    A batch allocates some hundred thousand objects (rows, facts, their data) that reference
    counting frees, and none of them form cycles; but each allocation counts towards collections
    that walk every tracked object of the process, Django's included, and promote the batch's
    facts from generation to generation while they are alive. On a catch-up that was two thirds of
    the time spent decoding facts. Wrap a function call that reads and folds the batch, so that its
    facts are freed before the collector runs again (it then collects any cyclic garbage a fold
    made)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def horizon() -> int | None:
    """The lowest id of a transaction of this database still running (ours excepted); None on
    SQLite (no limit). Take it before the read it limits, in a READ COMMITTED transaction."""
    if not is_postgres():
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(HORIZON_SQL)
        return cursor.fetchone()[0]


@dataclass(frozen=True)
class Holder:
    """Another transaction of this database that holds a transaction id, so holds the horizon."""

    pid: int
    tx: int
    state: str  # "active", "idle in transaction", …; "prepared" for a prepared transaction
    seconds: float  # since the transaction started
    query: str  # its last statement (empty when PostgreSQL hides it from this user)


def holders(limit: int = 5) -> list[Holder]:
    """What holds the horizon back: the other transactions of this database with an id, oldest
    first. Empty on SQLite."""
    if not is_postgres():
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT pid, backend_xid::text::bigint, coalesce(state, ''), "
            "extract(epoch FROM now() - xact_start)::float, left(coalesce(query, ''), 200) "
            # Only module constants are interpolated; values are bound parameters.
            f"FROM pg_stat_activity WHERE {_OTHERS_HERE} "  # nosec B608
            "UNION ALL SELECT NULL, transaction::text::bigint, 'prepared', "
            "extract(epoch FROM now() - prepared)::float, gid FROM pg_prepared_xacts "
            "WHERE database = current_database() ORDER BY 4 DESC LIMIT %s",
            [limit],
        )
        return [Holder(*row) for row in cursor.fetchall()]


# A ledger that grew by more than this share of its rows (plus the constant) since PostgreSQL last
# sampled it is sampled again before it is read in bulk: see refresh_statistics(). Doubling: a
# growing ledger is sampled a few times in its life, and a plan made for half the rows still walks
# the index (the planner finds the index's true end by itself).
STALE_SHARE = 1.0
STALE_ROWS = 10_000


def refresh_statistics() -> bool:
    """ANALYZE the ledger when its planner statistics are missing or stale; True if it did.

    Readers ask for "the next facts of these types in ledger order". With statistics, PostgreSQL
    walks an index in that order and stops after `limit` facts; without them (a fresh bulk
    import: autovacuum samples a table only after its next nap, or never where it is turned off)
    it guesses a few hundred rows, fetches every fact after the checkpoint and sorts them all,
    for every batch: a catch-up of millions of facts becomes quadratic. Sampling takes a second
    at most and does not block appends."""
    if not is_postgres():
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.reltuples, coalesce(s.n_mod_since_analyze, 0) FROM pg_class c "
            "LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.oid = 'ledger_fact'::regclass"
        )
        rows, changed = cursor.fetchone()
        if rows >= 0 and changed <= STALE_ROWS + STALE_SHARE * rows:
            return False
        cursor.execute("ANALYZE ledger_fact")
    return True


def read_batch(
    *,
    after: Position,
    limit: int,
    types: Collection[str] | None = None,
    until: Position | None = None,
    below: int | None = None,
    gap_safe: bool = True,
    with_meta: bool = True,
    using: psycopg.Connection | None = None,
) -> list[StoredFact]:
    """Up to `limit` facts after `after` in ledger order, of `types` if given, not beyond `until`.

    `below` is the horizon to read under (PostgreSQL); omitted, it is taken first.
    `using`: a psycopg connection of the caller's to read with instead of Django's (PostgreSQL).
    `with_meta=False` leaves `meta` out (PostgreSQL; reading it then raises AttributeError).
    `gap_safe=False` reads past the horizon: only for callers that know no fact can still appear
    in the range they read (a table lock, or `until` a checkpoint that was read gap-safe).
    """
    where, params = _after_clause(after)
    if is_postgres() and gap_safe:
        where.append("tx < %s::text::xid8")
        params.append(horizon() if below is None else below)
    if types is not None:
        where.append(_type_clause(types, params))
    if until is not None:
        if is_postgres():
            where.append("(tx, position) <= (%s::text::xid8, %s)")
            params += list(until)
        else:
            where.append("position <= %s")
            params.append(until[1])
    order = "tx, position" if is_postgres() else "position"
    columns = f"{_COLUMNS}, NULL"
    if is_postgres():
        columns = _POSTGRES_COLUMNS if with_meta else _POSTGRES_COLUMNS_NO_META
    # Only module constants are interpolated; values are bound parameters.
    sql = f"SELECT {columns} FROM ledger_fact WHERE {' AND '.join(where)} ORDER BY {order} LIMIT %s"  # nosec B608
    params.append(limit)
    if not is_postgres():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [_decode_sqlite(row) for row in cursor.fetchall()]
    errors = contextlib.nullcontext()
    if using is None:
        connection.ensure_connection()
        using, errors = connection.connection, connection.wrap_database_errors
    with errors, psycopg.Cursor(using) as cursor:
        # Binary results and a prepared statement: a catch-up reads millions of rows, and Django's
        # cursor would parse every timestamp from text in Python (and replan the query each batch).
        cursor.execute(sql, params, prepare=True, binary=True)
        return _decode_postgres(cursor.fetchall())


APPLICATION_NAME = "taza ledger read-ahead"


class ReadAhead:
    """Reads the batches that follow `after` under the horizon `below` on a connection of its own,
    in a thread, one or two batches ahead of the caller (PostgreSQL).

    A long catch-up alternates between PostgreSQL finding, rendering and sending a batch and Python
    decoding and folding it; on two cores the two can overlap. Under a horizon taken earlier every
    fact is final, so reading on another connection, in later snapshots, reads exactly what the
    caller's own connection would. `start()`, then `next()` gives the facts of each next batch
    (fewer than `limit`: the last one), and `stop()` ends the thread and closes its connection."""

    def __init__(
        self, *, after: Position, below: int, limit: int, types: Collection[str] | None, with_meta: bool
    ) -> None:
        self.after, self.below, self.limit, self.types, self.with_meta = after, below, limit, types, with_meta
        self.expected = after  # where the caller's next batch starts: the reader's next batch is that one
        self._taken = 0
        self._batches: queue.Queue = queue.Queue(maxsize=2)
        self._stop = threading.Event()
        # Django's parameters, adapters included, and its time zone (its loaders expect it), set once
        # connected: PgBouncer refuses an `options` startup parameter, and carries a SET time zone over.
        self._params = connection.get_connection_params()
        self._timezone = connection.timezone_name
        self._params["application_name"] = APPLICATION_NAME  # to be told apart in pg_stat_activity
        self._thread = threading.Thread(target=self._read, name="ledger-read-ahead", daemon=True)

    def start(self) -> ReadAhead:
        # The collector is paused for the whole run, not a batch at a time (gc_paused()): it is one
        # switch for the process, and this thread allocates while the caller's batches end.
        self._gc = contextlib.ExitStack()
        self._gc.enter_context(gc_paused())
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        while self._thread.is_alive():
            with contextlib.suppress(queue.Empty):
                self._batches.get(timeout=0.05)  # unblock a reader waiting to put
        self._thread.join()
        while not self._batches.empty():  # free what was read and not used before the collector runs
            self._batches.get_nowait()
        self._gc.close()

    def next(self) -> list[StoredFact]:
        batch = self._batches.get()
        if isinstance(batch, BaseException):
            raise batch
        self._taken += 1
        if self._taken % 10 == 0:
            # The youngest generation only: any cycles a fold made since (every object is still
            # young while the collector is paused), in milliseconds.
            gc.collect(0)
        return batch

    def _read(self) -> None:
        try:
            with psycopg.connect(**self._params, autocommit=True) as conn:
                conn.execute("SELECT set_config('TimeZone', %s, false)", [self._timezone])
                after = self.after
                while not self._stop.is_set():
                    batch = read_batch(
                        after=after,
                        limit=self.limit,
                        types=self.types,
                        below=self.below,
                        with_meta=self.with_meta,
                        using=conn,
                    )
                    while not self._stop.is_set():
                        with contextlib.suppress(queue.Full):
                            self._batches.put(batch, timeout=0.05)
                            break
                    if len(batch) < self.limit:
                        return
                    after = checkpoint_of(batch[-1])
        except BaseException as error:  # noqa: BLE001 - handed to the caller, raised there
            self._batches.put(error)


def iter_facts(
    *,
    types: Collection[str] | None = None,
    until: Position | None = None,
    gap_safe: bool = True,
    with_meta: bool = True,
    batch_size: int = 5000,
) -> Iterator[StoredFact]:
    """Every fact in ledger order (below the horizon unless not gap_safe), for rebuild and verify."""
    after = START
    while True:
        batch = read_batch(
            after=after, limit=batch_size, types=types, until=until, gap_safe=gap_safe, with_meta=with_meta
        )
        yield from batch
        if len(batch) < batch_size:
            return
        after = checkpoint_of(batch[-1])


def last_below(below: int | None) -> Position | None:
    """The last fact in ledger order under the horizon `below`, whatever its type."""
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.execute(
                "SELECT tx::text::bigint AS tx_number, position FROM ledger_fact WHERE tx < %s::text::xid8 "
                "ORDER BY tx DESC, position DESC LIMIT 1",
                [below],
            )
        else:
            cursor.execute("SELECT 0, max(position) FROM ledger_fact")
        row = cursor.fetchone()
    return (row[0], row[1]) if row and row[1] is not None else None


def head() -> Position:
    """The last visible fact in ledger order, under the horizon or not."""
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.execute(
                "SELECT tx::text::bigint AS tx_number, position FROM ledger_fact "
                "ORDER BY tx DESC, position DESC LIMIT 1"
            )
        else:
            cursor.execute("SELECT 0, max(position) FROM ledger_fact")
        row = cursor.fetchone()
    return (row[0], row[1]) if row and row[1] is not None else START


def held_back(below: int | None) -> bool:
    """Are there committed facts that wait for an older transaction to end before they can be read?"""
    if below is None:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM ledger_fact WHERE tx >= %s::text::xid8)", [below])
        return cursor.fetchone()[0]


def count_after(after: Position) -> int:
    where, params = _after_clause(after)
    with connection.cursor() as cursor:
        # Only module constants are interpolated; values are bound parameters.
        cursor.execute(f"SELECT count(*) FROM ledger_fact WHERE {' AND '.join(where)}", params)  # nosec B608
        return cursor.fetchone()[0]


def checkpoint_of(fact: StoredFact) -> Position:
    return (fact.tx or 0, fact.position)


def _after_clause(after: Position) -> tuple[list[str], list]:
    if is_postgres():
        # Spelt as a row comparison so that PostgreSQL starts the index scan at the checkpoint.
        return ["(tx, position) > (%s::text::xid8, %s)"], list(after)
    return ["position > %s"], [after[1]]


def _type_clause(types: Collection[str], params: list) -> str:
    types = sorted(types)
    if is_postgres():
        params.append(types)
        return "type = ANY(%s)"
    params += types
    return f"type IN ({', '.join(['%s'] * len(types))})" if types else "false"


def _decode_postgres(rows: list[tuple]) -> list[StoredFact]:
    """Binary rows of _POSTGRES_COLUMNS to StoredFacts, their data
    brought up to the current schema. Written for speed: it runs once per fact of a catch-up."""
    current = fact_types.current_versions()
    upcast = fact_types.upcast
    decode = orjson.loads  # twice as fast as the json module on facts' small objects
    new = object.__new__
    out = []
    append = out.append
    for position, fid, stream, version, type_, schema_version, data, meta, occurred, recorded, tx in rows:
        data = decode(data)
        if schema_version != current.get(type_):
            data = upcast(type_, schema_version, data)
        fact = new(StoredFact)
        # Filling __dict__ skips the frozen dataclass's __init__ (a slow path per field).
        fact.__dict__.update(
            position=position,
            fact_id=fid,
            stream=stream,
            version=version,
            type=type_,
            schema_version=schema_version,
            data=data,
            _meta_json=meta,  # decoded when first read (StoredFact.__getattr__): folds seldom need it
            occurred_at=occurred,
            recorded_at=recorded,
            tx=tx,
        )
        append(fact)
    return out


def _decode_sqlite(row: tuple) -> StoredFact:
    position, fid, stream, version, type_, schema_version, data, meta, occurred, recorded, _tx = row
    data = fact_types.upcast(type_, schema_version, json.loads(data))
    return stored_fact(
        (
            position,
            fid if isinstance(fid, uuid.UUID) else uuid.UUID(fid),
            stream,
            version,
            type_,
            schema_version,
            data,
            json.loads(meta),
            _aware(occurred),
            _aware(recorded),
            None,
        )
    )


def _aware(value: dt.datetime | str) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
