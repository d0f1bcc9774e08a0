"""Transparency log benchmark: building the tree at catch-up speed, and proofs at 4 million leaves.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/taza_log .venv/bin/python bench/log_bench.py

Creates its own database (<name of DATABASE_URL>_logbench) and drops it at the end. Prints:
- the plain catch-up of a counting projection over --facts public facts (the runner's own speed,
  read as every async projection reads), and the catch-up of `transparency.log` over the same facts
  (read with their meta, formed as the feed serves them, canonical JSON, hashed, leaves COPYed and
  tiles upserted), both in facts per second, and their ratio (target: >= 200 000 leaves/s);
- inclusion and consistency proofs from the stored tiles of a tree of --proof-leaves (4 000 000)
  leaves, as the API makes them (tiles read from PostgreSQL, nodes hashed), median and worst of
  --proofs each (target: < 5 ms each); every proof is verified.
Options: --facts (default 300 000), --proof-leaves, --proofs (default 200), --only build|proofs, --keep.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))

META = {"actor_id": None, "causation_id": None, "correlation_id": None, "source": "bench"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facts", type=int, default=300_000, help="public facts for the catch-up runs")
    parser.add_argument("--proof-leaves", type=int, default=4_000_000, help="tree size for the proof timings")
    parser.add_argument("--proofs", type=int, default=200, help="proofs timed of each kind")
    parser.add_argument("--only", choices=("build", "proofs"), default=None)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (the benchmark creates <name>_logbench next to it).")
    bench_url = _create_database(url)
    os.environ["DATABASE_URL"] = bench_url
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("TAZA_VAR_DIR", "/tmp/taza_log_bench")

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(f"PostgreSQL {_server_version(bench_url)}, database {urlsplit(bench_url).path[1:]}, {os.cpu_count()} cores")
    try:
        if args.only in (None, "build"):
            _catch_up(bench_url, args.facts)
        if args.only in (None, "proofs"):
            _proofs(args.proof_leaves, args.proofs)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _drop_database(url)


def _catch_up(bench_url: str, facts: int) -> None:
    from dataclasses import dataclass

    from ledger import facts as fact_types
    from ledger.projections import AsyncProjection, get, register
    from ledger.public import public_form
    from ledger.runner import catch_up

    @fact_types.fact_type("BenchTallied")
    @dataclass(frozen=True)
    class BenchTallied:
        counter: str
        amount: int

    @public_form("BenchTallied", fields=("counter", "amount"))
    def _whole(fact):
        return dict(fact.data)

    @register
    class BenchCount(AsyncProjection):
        """Counts facts per counter in memory: the runner's own cost."""

        name = "bench.count"
        handles = frozenset({"BenchTallied"})
        totals: Counter = Counter()

        def fold(self, batch) -> None:
            totals = self.totals
            for fact in batch:
                totals[fact.data["counter"]] += fact.data["amount"]

    print(f"\nLoading {facts:,} public facts (generate_series, in transactions of 10 000) …", flush=True)
    with psycopg.connect(bench_url, autocommit=True) as conn:
        for first in range(0, facts, 10_000):
            conn.execute(
                "INSERT INTO ledger_fact (fact_id, stream, version, type, schema_version, data, meta, occurred_at, "
                "recorded_at) SELECT gen_random_uuid(), 'stream-' || (g / 10), g %% 10 + 1, 'BenchTallied', 1, "
                "jsonb_build_object('counter', 'c' || (g %% 20), 'amount', g %% 7), %s::jsonb, "
                "now() - make_interval(secs => g), now() "
                "FROM generate_series(%s::bigint, %s::bigint) AS g",
                [json.dumps(META), first, min(first + 10_000, facts) - 1],
            )
        conn.execute("VACUUM ANALYZE ledger_fact")

    rates = {}
    for label, projection in (
        ("plain catch-up (bench.count)", BenchCount()),
        ("transparency.log", get("transparency.log")),
    ):
        started = time.monotonic()
        folded = catch_up(projection, wait=0)
        elapsed = time.monotonic() - started
        assert folded == facts, (label, folded, facts)
        rates[label] = facts / elapsed
        print(f"{label:32} {facts:,} facts in {elapsed:6.2f} s = {rates[label]:>10,.0f} facts/s")
    from transparency import log

    assert log.tree_size() == facts
    plain, built = rates.values()
    print(
        f"the log builds at {built:,.0f} leaves/s, {built / plain:.2f} of the plain catch-up "
        f"(target >= 200,000 leaves/s)"
    )


def _proofs(leaves: int, count: int) -> None:
    from transparency import log, merkle, tiles
    from transparency.models import Tile

    print(f"\nStoring the tiles of a tree of {leaves:,} synthetic leaves …", flush=True)
    Tile.objects.all().delete()
    started = time.monotonic()
    size, edge, chunk = 0, {}, 1 << 16
    peaks: list[bytes] = []  # roots of complete 65 536-leaf chunks, to check the stored root
    while size < leaves:
        hashes = [merkle.leaf_hash(i.to_bytes(8, "big")) for i in range(size, min(size + chunk, leaves))]
        peaks.append(merkle.root_from_leaf_hashes(hashes))
        changed = tiles.grow(size, edge, hashes)
        Tile.objects.bulk_create(
            [Tile(level=level, number=number, hashes=data) for (level, number), data in changed.items()],
            update_conflicts=True,
            unique_fields=["level", "number"],
            update_fields=["hashes"],
            batch_size=500,
        )
        size += len(hashes)
        edge = {level: changed.get(key, edge.get(level, b"")) for level, key in tiles.edge_keys(size).items()}
    print(f"stored {Tile.objects.count():,} tiles in {time.monotonic() - started:.1f} s")

    started = time.monotonic()
    root = log.root_at(leaves)
    print(f"root at {leaves:,}: {(time.monotonic() - started) * 1000:.2f} ms")
    assert root == _root_of_chunks(peaks, leaves, chunk), "the stored tiles give another root"

    rng = random.Random(16)
    inclusion, consistency = [], []
    for _ in range(count):
        index = rng.randrange(leaves)
        started = time.perf_counter()
        proof = log.inclusion_proof(index, leaves)
        inclusion.append(time.perf_counter() - started)
        merkle.verify_inclusion(index, leaves, merkle.leaf_hash(index.to_bytes(8, "big")), proof, root)
    for _ in range(count):
        first = rng.randrange(1, leaves)
        started = time.perf_counter()
        proof = log.consistency_proof(first, leaves)
        consistency.append(time.perf_counter() - started)
        merkle.verify_consistency(first, leaves, log.root_at(first), root, proof)
    for label, times in (("inclusion proof", inclusion), ("consistency proof", consistency)):
        print(
            f"{label:18} at {leaves:,} leaves: median {statistics.median(times) * 1000:.2f} ms, "
            f"worst {max(times) * 1000:.2f} ms over {count} (target < 5 ms; each verified)"
        )


def _root_of_chunks(peaks: list[bytes], leaves: int, chunk: int) -> bytes:
    """MTH from the roots of complete chunks (and the last, partial one): an independent check of
    the stored tiles (the chunks are 2^16 leaves, the tree's own split points)."""
    from transparency import merkle

    full = leaves // chunk
    sizes = [chunk] * full + ([leaves - full * chunk] if leaves % chunk else [])

    def mth(lo: int, hi: int) -> bytes:  # over chunk indexes [lo, hi), all full but maybe the last
        if hi - lo == 1:
            return peaks[lo]
        k = 1
        while k * 2 < hi - lo:
            k *= 2
        # k chunks of a power of two leaves each is the RFC's split of the leaves too.
        return merkle.node_hash(mth(lo, lo + k), mth(lo + k, hi))

    assert sum(sizes) == leaves
    return mth(0, len(sizes))


def _bench_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_logbench"))


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
