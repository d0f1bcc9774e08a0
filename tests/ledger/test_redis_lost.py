"""Redis lost under write load: a Celery worker started as platform/Procfile starts it (prefork, with
gossip, mingle and heartbeats) outlives the loss of its broker and, when Redis is back (empty, as
after a restart without persistence), catches the projections up by itself: no restart, no beat.

The writes come from a second process appending facts in a loop, as the web does; the broker is a
private redis-server, SIGKILLed and started again on the same port.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from ledger import reading
from tests.ledger.helpers import checkpoint, needs_postgres, recomputed, totals
from tests.live import RedisServer, django_env, run_python

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.slow,
    needs_postgres,
    pytest.mark.django_db(transaction=True),
]

OUTAGE_SECONDS = 6
CATCH_UP_SECONDS = 30

# Appends until the stop file exists; prints how many were accepted and how many raised.
WRITE_LOAD = """
import json, sys, time, django
django.setup()
from pathlib import Path
from ledger.store import append
from tests.ledger.sampleapp.facts import SampleTallied

stop, accepted, refused, n = Path(sys.argv[1]), 0, [], 0
while not stop.exists():
    try:
        append(f"redis-lost-{n % 10}", [SampleTallied("ab"[n % 2], 1)])
        accepted += 1
    except Exception as exc:
        refused.append(repr(exc))
    n += 1
    time.sleep(0.005)
print(json.dumps({"accepted": accepted, "refused": refused}))
"""

HEALTH = """
import json, django
django.setup()
from django.test import Client
response = Client().get("/healthz")
print(json.dumps({"http": response.status_code, **response.json()}))
"""


def procfile_worker() -> list[str]:
    """The `worker:` command of platform/Procfile, run by this interpreter."""
    for line in (settings.BASE_DIR / "platform" / "Procfile").read_text().splitlines():
        if line.startswith("worker:"):
            argv = line.removeprefix("worker:").replace("${CELERY_CONCURRENCY:-2}", "2").split()
            assert argv[0] == "celery"
            return [sys.executable, "-m", *argv]
    raise AssertionError("platform/Procfile has no worker")


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def wait_for(condition, timeout: float, what: str, log: Path) -> float:
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"timed out waiting for {what}; worker log:\n{log.read_text()[-4000:]}")
        time.sleep(0.1)
    return time.monotonic() - start


def test_the_worker_outlives_redis_and_catches_up_by_itself_when_it_returns(tmp_path):
    log, stop = tmp_path / "worker.log", tmp_path / "stop"
    redis_server = RedisServer().start()
    env = django_env(DATABASE_URL=database_url(), REDIS_URL=redis_server.url, CELERY_TASK_ALWAYS_EAGER="0")
    # Given a worker as the Procfile runs it, and a second process writing facts
    worker = subprocess.Popen(
        procfile_worker(),
        cwd=settings.BASE_DIR, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    load = None
    try:
        wait_for(lambda: " ready." in log.read_text(), 60, "the worker to be ready", log)
        load = subprocess.Popen(
            [sys.executable, "-c", WRITE_LOAD, str(stop)],
            cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        time.sleep(3)
        assert load.poll() is None, load.communicate()

        # When Redis is killed under the load, stays away a while, and comes back empty
        redis_server.process.send_signal(signal.SIGKILL)
        redis_server.process.wait(10)
        time.sleep(OUTAGE_SECONDS)
        redis_server = RedisServer(port=redis_server.port).start()
        back_at = time.monotonic()
        stop.touch()
        out, err = load.communicate(timeout=60)
        writes = json.loads(out.strip().splitlines()[-1])

        # Then every write was accepted, the worker is still running, and it catches up by itself
        assert (writes["refused"], writes["accepted"] > 100) == ([], True), err[-3000:]
        head = reading.head()
        wait_for(lambda: checkpoint() == head, CATCH_UP_SECONDS, "the projections to catch up", log)
        caught_up = time.monotonic() - back_at
        assert caught_up < CATCH_UP_SECONDS
        assert worker.poll() is None, log.read_text()[-4000:]
        assert totals().snapshot() == recomputed()
        assert sum(row["facts"] for row in totals().snapshot().values()) == writes["accepted"]

        # And /healthz is back to 200, the worker answering
        health = json.loads(run_python(HEALTH, env=env).stdout.strip().splitlines()[-1])
        assert (health["http"], health["redis"]["ok"], health["celery"]["ok"]) == (200, True, True), health
        output = log.read_text()
        assert "Unrecoverable error" not in output
        print(
            f"\nwrites accepted {writes['accepted']}/{writes['accepted'] + len(writes['refused'])}; "
            f"caught up {caught_up:.1f} s after Redis was back, healthy after {time.monotonic() - back_at:.1f} s"
        )
    finally:
        stop.touch()
        if load is not None and load.poll() is None:
            load.kill()
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
        redis_server.stop()
