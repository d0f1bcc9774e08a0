"""Crash: a real Celery worker on Redis is killed (SIGKILL) in the middle of a catch-up batch;
after a restart the totals equal a full recompute."""

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
from ledger.store import append
from ledger.tasks import schedule_catch_up
from tests.ledger.helpers import checkpoint, needs_postgres, needs_redis, recomputed, totals
from tests.ledger.sampleapp.facts import SampleTallied
from tests.ledger.sampleapp.projections import PAUSE_FILE_ENV

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.slow,
    needs_postgres,
    needs_redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("tasks_queued_not_run"),
]


def start_worker(log: Path, **env: str) -> subprocess.Popen:
    """`celery -A config worker` on this test database and Redis, running tasks in its own process."""
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--without-gossip"]
        + ["--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url,
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            **env,
        },
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
    )


def wait_for(condition, timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; worker log:\n{log.read_text()[-3000:]}")
        time.sleep(0.1)


def test_a_worker_killed_mid_batch_loses_nothing_and_doubles_nothing(tmp_path):
    # Given 300 facts waiting for the async projection
    for n in range(300):
        append(f"crash-{n % 7}", [SampleTallied("abc"[n % 3], n % 10)])
    log, paused = tmp_path / "worker.log", tmp_path / "mid-batch"

    # When a worker folds them and is killed after writing its rows, before committing
    first = start_worker(log, **{PAUSE_FILE_ENV: str(paused)})
    try:
        schedule_catch_up()
        wait_for(paused.exists, 90, "the worker to be in the middle of its batch", log)
        batch_size = int(paused.read_text())
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)

    # Then nothing of the half-done batch is visible
    assert batch_size == 300
    assert (totals().snapshot(), checkpoint()) == ({}, (0, 0))

    # When a worker starts again and catches up
    second = start_worker(log)
    try:
        schedule_catch_up()
        wait_for(lambda: checkpoint() == reading.head(), 90, "the restarted worker to catch up", log)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(30)

    # Then the totals equal a full recompute: every fact once
    assert totals().snapshot() == recomputed()
    assert totals().snapshot() == {
        "a": {"amount": sum(n % 10 for n in range(0, 300, 3)), "facts": 100},
        "b": {"amount": sum(n % 10 for n in range(1, 300, 3)), "facts": 100},
        "c": {"amount": sum(n % 10 for n in range(2, 300, 3)), "facts": 100},
    }


def test_a_restarted_worker_catches_up_at_once_without_waiting_for_beat(tmp_path, tasks_queued_not_run):
    # Given 300 facts waiting, and a worker killed in the middle of folding them
    for n in range(300):
        append(f"restart-{n % 5}", [SampleTallied("ab"[n % 2], 1)])
    log, paused = tmp_path / "worker.log", tmp_path / "mid-batch"
    first = start_worker(log, **{PAUSE_FILE_ENV: str(paused)})
    try:
        schedule_catch_up()
        wait_for(paused.exists, 90, "the worker to be in the middle of its batch", log)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    assert checkpoint() == (0, 0)
    # (and nothing else is queued: no append, no beat will ask; the killed worker's task is held
    # unacknowledged by the broker until its visibility timeout)
    tasks_queued_not_run.control.purge()

    # When the worker is started again, with nobody scheduling anything
    restarted_at, earlier_log = time.monotonic(), len(log.read_text())
    second = start_worker(log)
    try:
        wait_for(lambda: " ready." in log.read_text()[earlier_log:], 60, "the restarted worker to be ready", log)
        ready_at = time.monotonic()
        # Then it catches the projections up by itself within 10 s of being back
        wait_for(lambda: checkpoint() == reading.head(), 10, "the restarted worker to catch up on its own", log)
        caught_up_at = time.monotonic()
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(30)

    assert totals().snapshot() == {"a": {"amount": 150, "facts": 150}, "b": {"amount": 150, "facts": 150}}
    print(f"restart to ready {ready_at - restarted_at:.1f} s, ready to caught up {caught_up_at - ready_at:.1f} s")
