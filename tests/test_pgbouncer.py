"""The ledger through PgBouncer in transaction mode: appends from several threads, the async catch-up
racing them (the gap-safe horizon, the checkpoint's SKIP LOCKED, the read-ahead on a second
connection) and a rebuild, all exact with DATABASE_PGBOUNCER=1; and why the setting is needed.

A private PostgreSQL cluster (initdb) behind a private pgbouncer (Debian's package, its own ini file),
and Django in a fresh interpreter whose DATABASE_URL is the pgbouncer.
"""

from __future__ import annotations

import json

import pytest

from tests.live import PG_BIN, PgBouncer, PrivatePostgres, django_env, run_manage, run_python

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.xdist_group("pgbouncer"),  # one cluster per module: its tests on one worker (make test)
    pytest.mark.skipif(not (PG_BIN / "initdb").exists(), reason=f"no PostgreSQL server binaries in {PG_BIN}"),
]

WRITERS = 6
APPENDS = 40  # per writer, two facts each
BACKLOG = 3  # appends of 500 facts each, so the catch-up reads ahead (batches of 100)

WORKLOAD = f"""
import json, threading, django
django.setup()
from django.db import connection, transaction
from ledger import projections, runner
from ledger.store import append
from tests.ledger.sampleapp.facts import SampleNoted, SampleTallied
from tests.ledger.sampleapp.models import SampleStreamTally, SampleTotal

totals = projections.get("ledger_sample.totals")
errors, writing = [], threading.Event()

def writer(n):
    try:
        for i in range({APPENDS}):
            with transaction.atomic():
                append(f"counter-{{n}}", [SampleTallied("trees", 1), SampleTallied(f"w{{n}}", i)])
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connection.close()

def catcher():
    try:
        while writing.is_set():
            runner.catch_up(totals, batch_size=100, wait=0)
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connection.close()

for k in range({BACKLOG}):
    append(f"backlog-{{k}}", [SampleTallied("backlog", 2)] * 499 + [SampleNoted("end")])
writing.set()
catchers = [threading.Thread(target=catcher) for _ in range(2)]
writers = [threading.Thread(target=writer, args=(n,)) for n in range({WRITERS})]
for thread in catchers + writers:
    thread.start()
for thread in writers:
    thread.join()
writing.clear()
for thread in catchers:
    thread.join()
runner.catch_up(totals, batch_size=100)

def state():
    return {{
        "totals": {{t.counter: [t.amount, t.facts] for t in SampleTotal.objects.order_by("counter")}},
        "tallies": {{t.stream: [t.amount, t.version] for t in SampleStreamTally.objects.order_by("stream")}},
    }}

caught_up = state()
replayed = runner.projection_rebuild(name="ledger_sample.totals")
print(json.dumps({{"errors": errors, "caught_up": caught_up, "rebuilt": state(), "replayed": replayed}}))
"""

PREPARED_TWICE = """
import json, django, psycopg
django.setup()
from django.db import connection
from ledger.reading import START, read_batch

def read_twice(**overrides):
    # Two clients with Django's connection parameters, both connected, reading a batch of the ledger
    # one after the other (a catch-up's read, `prepare=True`: a statement of the same name on each)
    params = {**connection.get_connection_params(), **overrides}
    clients = [psycopg.connect(**params, autocommit=True) for _ in range(2)]
    outcome = []
    for client in clients:
        try:
            read_batch(after=START, limit=10, gap_safe=False, using=client)
            outcome.append("ok")
        except Exception as exc:
            outcome.append(type(exc).__name__ + ": " + str(exc).splitlines()[0])
    return outcome

print(json.dumps({"django": read_twice(), "prepared": read_twice(prepare_threshold=5)}))
"""


@pytest.fixture(scope="module")
def cluster():
    with PrivatePostgres() as postgres:
        env = django_env(DATABASE_URL=postgres.url, DATABASE_REPLICA_URL=None, REDIS_URL=None)
        result = run_manage("migrate", "--noinput", "--run-syncdb", env=env, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        yield postgres


def through(bouncer: PgBouncer, **settings: str) -> dict[str, str]:
    return django_env(
        DATABASE_URL=bouncer.url,
        DATABASE_REPLICA_URL=None,
        REDIS_URL=None,
        CELERY_TASK_ALWAYS_EAGER="0",  # the test runs the catch-up itself, through the same pgbouncer
        CONN_MAX_AGE="0",
        **settings,
    )


def test_the_ledger_works_through_pgbouncer_in_transaction_mode(cluster):
    with PgBouncer(cluster.url, pool_size=4) as bouncer:
        result = run_python(WORKLOAD, env=through(bouncer, DATABASE_PGBOUNCER="1"), timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        outcome = json.loads(result.stdout.strip().splitlines()[-1])
        verify = run_manage("ledger", "verify", env=through(bouncer, DATABASE_PGBOUNCER="1"), timeout=120)

    assert outcome["errors"] == []
    expected = {
        "backlog": [2 * 499 * BACKLOG, 499 * BACKLOG],
        "trees": [WRITERS * APPENDS, WRITERS * APPENDS],
        **{f"w{n}": [sum(range(APPENDS)), APPENDS] for n in range(WRITERS)},
    }
    # Every fact folded exactly once by the racing catch-ups, and the rebuild replays to the same
    assert outcome["caught_up"]["totals"] == expected
    assert outcome["rebuilt"]["totals"] == expected
    assert outcome["replayed"] == BACKLOG * 499 + WRITERS * APPENDS * 2  # the facts it handles
    # The inline projection, in each append's transaction: every stream at its last version
    tallies = outcome["caught_up"]["tallies"]
    assert {stream: tallies[stream] for stream in tallies if stream.startswith("counter-")} == {
        f"counter-{n}": [APPENDS + sum(range(APPENDS)), 2 * APPENDS] for n in range(WRITERS)
    }
    # And `ledger verify`, through pgbouncer too, finds every projection equal to a replay
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_prepared_statements_stay_off_because_they_collide_behind_pgbouncer(cluster):
    # Given one server connection behind pgbouncer 1.18, shared by two connected clients
    with PgBouncer(cluster.url, pool_size=1) as bouncer:
        # When each reads the ledger (`prepare=True`), with Django's connection parameters, and with
        # prepared statements switched on
        result = run_python(PREPARED_TWICE, env=through(bouncer, DATABASE_PGBOUNCER="1"), timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        outcome = json.loads(result.stdout.strip().splitlines()[-1])

    # Then Django's default (prepare_threshold None, which DATABASE_PGBOUNCER=1 pins) prepares nothing
    # and both read
    assert outcome["django"] == ["ok", "ok"]
    # And with prepared statements on, the second client's meets the first one's under the same name
    assert outcome["prepared"] == ["ok", 'DuplicatePreparedStatement: prepared statement "_pg3_0" already exists']
