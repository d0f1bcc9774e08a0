"""A real Celery worker executes a real task: on Redis (production, CI) and on the filesystem broker (`make run`)."""

import os

import pytest
from celery.result import EagerResult

from config.celery_app import ping
from tests.live import CeleryWorker, django_env, run_python


@pytest.mark.slow
@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")
def test_worker_on_redis_runs_ping(settings):
    # Given a worker started as platform/Procfile starts it, on the Redis of REDIS_URL
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with CeleryWorker(env=django_env()) as worker:
        # When this process sends taza.ping to the worker's queue
        result = ping.apply_async(queue=worker.queue)

        # Then the worker ran it and the answer came back through the result store
        assert not isinstance(result, EagerResult)
        assert result.get(timeout=30) == "pong"
        assert result.state == "SUCCESS"
    assert f"Task taza.ping[{result.id}] succeeded" in worker.output


SEND_PING = """
import sys, django
django.setup()
from config.celery_app import ping
result = ping.apply_async(queue=sys.argv[1])
print(result.id, result.get(timeout=30))
"""


@pytest.mark.slow
def test_worker_on_the_filesystem_broker_runs_ping(tmp_path):
    # Given the embedded default of `make run`: no Redis, kombu's filesystem broker in var/
    env = django_env("config.settings.local", TAZA_VAR_DIR=str(tmp_path), DATABASE_URL=None, REDIS_URL=None)
    env["CELERY_TASK_ALWAYS_EAGER"] = "0"
    with CeleryWorker(env=env) as worker:
        # When another process sends taza.ping
        sent = run_python(SEND_PING.replace("sys.argv[1]", repr(worker.queue)), env=env)

        # Then the worker ran it and the result came back through the file result store
        assert sent.returncode == 0, sent.stderr
        task_id, answer = sent.stdout.split()
        assert answer == "pong"
    assert f"Task taza.ping[{task_id}] succeeded" in worker.output
    assert (tmp_path / "celery" / "results" / f"celery-task-meta-{task_id}").exists()


def test_eager_mode_runs_ping_in_process(settings):
    # Given the test default: tasks run inside the calling process
    settings.CELERY_TASK_ALWAYS_EAGER = True

    # When the task is sent
    result = ping.delay()

    # Then it ran here, with no broker involved
    assert isinstance(result, EagerResult)
    assert result.get() == "pong"
    assert result.state == "SUCCESS"
