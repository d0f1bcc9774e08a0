"""Ledger benchmark: appends per second and async catch-up facts per second, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/taza_h1 .venv/bin/python bench/ledger_bench.py

Creates its own database (<name of DATABASE_URL>_bench), and drops it at the end. Prints, for 1 and
16 concurrent writers (threads, one connection each), one fact per transaction and batches of 50:
- ours:   ledger.store.append() (with version check, idempotency, validation of the fact);
- peer:   the eventsourcing library's PostgresApplicationRecorder.insert_events() (bench/requirements.txt);
- raw:    psycopg INSERTs into a table of the same shape as ledger_fact (no checks), the ceiling;
then the async catch-up of a counting projection over --facts stored facts (loaded with
generate_series). Options: --seconds per append run (default 5), --facts (default 1 000 000),
--only appends|catch-up.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))

WRITERS = (1, 16)
BATCHES = (1, 50)
DATA = {"counter": "c7", "amount": 3}
META = {"actor_id": None, "causation_id": None, "correlation_id": None, "source": "bench"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each append run")
    parser.add_argument("--facts", type=int, default=1_000_000, help="facts stored for the catch-up run")
    parser.add_argument("--only", choices=("appends", "catch-up"), default=None)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (the benchmark creates <name>_bench next to it).")
    bench_url = _create_database(url)
    os.environ["DATABASE_URL"] = bench_url
    os.environ.pop("REDIS_URL", None)  # no cache or broker traffic: no async projection is scheduled here
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DJANGO_DEBUG"] = "0"  # DEBUG keeps every query in memory
    os.environ.setdefault("TAZA_VAR_DIR", "/tmp/taza_bench")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(f"PostgreSQL {_server_version(bench_url)}, database {urlsplit(bench_url).path[1:]}, {os.cpu_count()} cores")
    try:
        if args.only in (None, "appends"):
            _appends(bench_url, args.seconds)
        if args.only in (None, "catch-up"):
            _catch_up(bench_url, args.facts)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _drop_database(url)


# --- appends -----------------------------------------------------------------------------------------


@dataclass
class Result:
    facts: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.facts / self.seconds


def _appends(bench_url: str, seconds: float) -> None:
    from dataclasses import dataclass as dc

    from ledger.facts import fact_type

    @fact_type("BenchTallied")
    @dc(frozen=True)
    class BenchTallied:
        counter: str
        amount: int

    recorder, datastore = _eventsourcing_recorder(bench_url)
    _create_raw_table(bench_url)
    contenders = {
        "ours (append)": lambda batch: _ours_writer(BenchTallied, batch),
        "peer (eventsourcing)": lambda batch: _peer_writer(recorder, batch),
        "raw (psycopg INSERT)": lambda batch: _raw_writer(bench_url, batch),
    }
    print(f"\nAppends per second ({seconds:g} s per run; writers are threads with a connection each)")
    print(f"{'':24}" + "".join(f"{f'{w} writer(s), batch {b}':>24}" for w in WRITERS for b in BATCHES))
    results: dict[str, dict[tuple[int, int], Result]] = {}
    for name, make in contenders.items():
        results[name] = {}
        for writers in WRITERS:
            for batch in BATCHES:
                results[name][(writers, batch)] = _run(make, writers, batch, seconds)
        print(f"{name:24}" + "".join(f"{results[name][k].rate:>24,.0f}" for k in results[name]))
    datastore.close()
    ours, peer, raw = (results[n] for n in contenders)
    for batch in BATCHES:
        key = (16, batch)
        print(
            f"16 writers, batch {batch}: ours / peer = {ours[key].rate / peer[key].rate:.2f}x (target >= 2), "
            f"ours / raw = {ours[key].rate / raw[key].rate:.2f} (target >= 0.33)"
        )


def _run(make, writers: int, batch: int, seconds: float) -> Result:
    counts = [0] * writers
    start_line = threading.Barrier(writers + 1)
    stop_at = [0.0]

    def work(index: int) -> None:
        write = make(batch)  # connect before the clock starts
        start_line.wait()
        n = 0
        while time.monotonic() < stop_at[0]:
            n += write()
        counts[index] = n
        close = getattr(write, "close", None)
        if close:
            close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(writers)]
    for t in threads:
        t.start()
    stop_at[0] = time.monotonic() + seconds
    started = time.monotonic()
    start_line.wait()
    for t in threads:
        t.join()
    return Result(facts=sum(counts), seconds=time.monotonic() - started)


def _ours_writer(fact_cls, batch: int):
    from django.db import connection

    from ledger.store import append

    stream = f"bench-{uuid.uuid4()}"
    facts = [fact_cls(**DATA)] * batch
    version = 0
    connection.ensure_connection()

    def write() -> int:
        nonlocal version
        append(stream, facts, expected_version=version, source="bench")
        version += batch
        return batch

    write.close = connection.close
    return write


def _peer_writer(recorder, batch: int):
    from eventsourcing.persistence import StoredEvent

    originator = uuid.uuid4()
    state = json.dumps(DATA).encode()
    version = 0

    def write() -> int:
        nonlocal version
        events = [StoredEvent(originator, version + i + 1, "bench:BenchTallied", state) for i in range(batch)]
        recorder.insert_events(events)
        version += batch
        return batch

    return write


def _raw_writer(bench_url: str, batch: int):
    conn = psycopg.connect(bench_url, autocommit=True)
    stream = f"raw-{uuid.uuid4()}"
    data, meta = json.dumps(DATA), json.dumps(META)
    sql = (
        "INSERT INTO bench_raw_fact (fact_id, stream, version, type, schema_version, data, meta, occurred_at, "
        "recorded_at) VALUES (%s, %s, %s, 'BenchTallied', 1, %s::jsonb, %s::jsonb, now(), now())"
    )
    version = 0

    def write() -> int:
        nonlocal version
        rows = [(uuid.uuid4(), stream, version + i + 1, data, meta) for i in range(batch)]
        if batch == 1:
            conn.execute(sql, rows[0], prepare=True)
        else:
            with conn.transaction(), conn.cursor() as cursor:
                cursor.executemany(sql, rows)
        version += batch
        return batch

    write.close = conn.close
    return write


def _eventsourcing_recorder(bench_url: str):
    from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore

    parts = urlsplit(bench_url)
    datastore = PostgresDatastore(
        dbname=parts.path[1:],
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or "",
        pool_size=max(WRITERS),
    )
    recorder = PostgresApplicationRecorder(datastore, events_table_name="bench_es_events")
    recorder.create_table()
    return recorder, datastore


def _create_raw_table(bench_url: str) -> None:
    with psycopg.connect(bench_url, autocommit=True) as conn:
        conn.execute(
            """
            CREATE TABLE bench_raw_fact (
                position bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                fact_id uuid NOT NULL UNIQUE,
                stream varchar(200) NOT NULL,
                version integer NOT NULL,
                type varchar(100) NOT NULL,
                schema_version smallint NOT NULL,
                data jsonb NOT NULL,
                meta jsonb NOT NULL,
                occurred_at timestamptz NOT NULL,
                recorded_at timestamptz NOT NULL,
                tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
                UNIQUE (stream, version)
            );
            CREATE INDEX ON bench_raw_fact (type, position);
            CREATE INDEX ON bench_raw_fact (tx, position);
            CREATE INDEX ON bench_raw_fact (type, tx, position);
            """
        )


# --- catch-up ----------------------------------------------------------------------------------------


def _catch_up(bench_url: str, facts: int) -> None:
    from ledger import facts as fact_types
    from ledger.projections import AsyncProjection, register
    from ledger.runner import BATCH_SIZE, catch_up

    if "BenchTallied" not in fact_types.registered_types():
        from dataclasses import dataclass as dc

        @fact_types.fact_type("BenchTallied")
        @dc(frozen=True)
        class BenchTallied:
            counter: str
            amount: int

    @register
    class BenchCount(AsyncProjection):
        """Counts facts and sums amounts per counter, in memory: the runner's own cost is measured."""

        name = "bench.count"
        handles = frozenset({"BenchTallied"})
        totals: Counter = Counter()

        def fold(self, batch) -> None:
            totals = self.totals
            for fact in batch:
                totals[fact.data["counter"]] += fact.data["amount"]

    print(f"\nCatch-up: loading {facts:,} facts (generate_series, in transactions of 10 000) …", flush=True)
    started = time.monotonic()
    with psycopg.connect(bench_url, autocommit=True) as conn:
        for first in range(0, facts, 10_000):
            last = min(first + 10_000, facts)
            conn.execute(
                "INSERT INTO ledger_fact (fact_id, stream, version, type, schema_version, data, meta, occurred_at, "
                "recorded_at) SELECT gen_random_uuid(), 'stream-' || (g / 10), g %% 10 + 1, "
                "CASE WHEN g %% 10 = 9 THEN 'BenchNoted' ELSE 'BenchTallied' END, 1, "
                "jsonb_build_object('counter', 'c' || (g %% 20), 'amount', g %% 7), %s::jsonb, now(), now() "
                "FROM generate_series(%s::bigint, %s::bigint) AS g",
                [json.dumps(META), first, last - 1],
            )
        conn.execute("VACUUM ANALYZE ledger_fact")
        stored = conn.execute("SELECT count(*) FROM ledger_fact WHERE type = 'BenchTallied'").fetchone()[0]
        in_ledger = conn.execute("SELECT count(*) FROM ledger_fact").fetchone()[0]
    print(
        f"loaded in {time.monotonic() - started:.1f} s; the ledger holds {in_ledger:,} facts, "
        f"{stored:,} of a type the projection handles"
    )

    projection = BenchCount()
    started = time.monotonic()
    folded = catch_up(projection, wait=0)
    elapsed = time.monotonic() - started
    assert folded == stored, (folded, stored)
    print(
        f"catch-up: {folded:,} facts folded, {in_ledger:,} passed, in {elapsed:.2f} s = "
        f"{in_ledger / elapsed:,.0f} facts/s through the ledger ({folded / elapsed:,.0f} folded/s), "
        f"batches of {BATCH_SIZE} (target >= 100,000/s)"
    )


# --- database ------------------------------------------------------------------------------------------


def _bench_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"{parts.path}_bench"))


def _admin_url(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def _create_database(url: str) -> str:
    bench = _bench_url(url)
    name = urlsplit(bench).path[1:]
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return bench


def _drop_database(url: str) -> None:
    name = urlsplit(_bench_url(url)).path[1:]
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _server_version(url: str) -> str:
    with psycopg.connect(url) as conn:
        return conn.execute("SHOW server_version").fetchone()[0]


if __name__ == "__main__":
    main()
