"""A worker as platform/Procfile starts it logs through the project's LOGGING and runs its pool with the
time limits of the settings, so no task can hold a worker process for ever."""

import json
import re
import sys
import uuid

import pytest

from tests.live import LiveProcess, RedisServer, django_env, run_python

pytestmark = [pytest.mark.slow, pytest.mark.redis]

# settings.LOGGING's format: "%(asctime)s %(levelname)s %(name)s %(message)s"
PROJECT_LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO celery\.apps\.worker \S+ ready\.$", re.M)

POOL_STATS = """
import json, os, django
django.setup()
from config.celery_app import app
replies = app.control.inspect(destination=[os.environ["WORKER_NAME"]], timeout=5).stats() or {}
print(json.dumps({name: stats["pool"] for name, stats in replies.items()}))
"""


class ProcfileWorker(LiveProcess):
    """A worker with the options of platform/Procfile (prefork pool), named so it can be asked."""

    ready_text = " ready."

    def __init__(self, *, env: dict[str, str]):
        self.name = f"limits-{uuid.uuid4().hex[:8]}@localhost"
        argv = [
            sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO", "--concurrency=1",
            "--without-gossip", "--without-mingle", "--without-heartbeat", f"--hostname={self.name}",
        ]  # fmt: skip
        super().__init__(argv, env=env)


def test_the_worker_logs_like_the_web_and_its_pool_has_the_time_limits_of_the_settings():
    with RedisServer() as redis_server:
        env = django_env(
            REDIS_URL=redis_server.url,
            DATABASE_URL=None,
            CELERY_TASK_ALWAYS_EAGER="0",
            CELERY_TASK_SOFT_TIME_LIMIT="42",
            CELERY_TASK_TIME_LIMIT="50",
        )
        with ProcfileWorker(env=env) as worker:
            result = run_python(POOL_STATS, env=dict(env, WORKER_NAME=worker.name), timeout=60)
            output = worker.output
        assert result.returncode == 0, result.stderr
        pools = json.loads(result.stdout.strip().splitlines()[-1])

    # Then its lines have the project's format, not Celery's own "[… INFO/MainProcess] …"
    assert PROJECT_LOG_LINE.search(output), output[-2000:]
    assert "INFO/MainProcess]" not in output
    # And its pool kills a task after the hard limit and warns it at the soft one
    assert pools[worker.name]["timeouts"] == [42, 50]
