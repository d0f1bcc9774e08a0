"""/healthz tells the truth about the database, Redis and the Celery workers, and never crashes."""

import json
import socket
import threading

import pytest
from django.db import connection

from tests.live import CeleryWorker, Gunicorn, RedisServer, django_env, run_python

pytestmark = pytest.mark.django_db


def test_eager_mode_without_redis_is_healthy(client, settings):
    # Given the embedded default with tasks run in-process and no Redis configured
    settings.REDIS_URL = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True

    # When a load balancer asks
    response = client.get("/healthz")

    # Then all three checks pass and say why
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["database"]["vendor"] == connection.vendor
    assert body["redis"] == {"ok": True, "configured": False}
    assert body["celery"] == {"ok": True, "mode": "eager"}
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_redis_down_gives_503_not_a_crash(client, settings):
    # Given a Redis that was running and has just stopped
    with RedisServer() as redis_server:
        url = redis_server.url
    settings.REDIS_URL = url
    settings.CELERY_TASK_ALWAYS_EAGER = False

    # When /healthz is asked
    response = client.get("/healthz")

    # Then it answers 503 and names what is down; the database is still fine
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"]["ok"] is True
    assert body["redis"] == {"ok": False, "configured": True, "error": "ConnectionError"}
    assert body["celery"]["ok"] is False
    assert body["celery"]["error"] == "broker unreachable"


@pytest.fixture
def silent_server():
    """A TCP server that accepts connections and never answers: a hung Redis."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    accepted = []
    stop = threading.Event()

    def accept() -> None:
        sock.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(sock.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{sock.getsockname()[1]}/0"
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    sock.close()


def test_hung_redis_times_out_into_503(client, settings, silent_server):
    # Given a Redis that accepts the connection but never replies
    settings.REDIS_URL = silent_server
    settings.CELERY_TASK_ALWAYS_EAGER = False

    # When /healthz is asked
    response = client.get("/healthz")

    # Then the one-second socket timeout turns the hang into a 503
    assert response.status_code == 503
    assert response.json()["redis"] == {"ok": False, "configured": True, "error": "TimeoutError"}


HEALTHZ_IN_A_FRESH_PROCESS = """
import json, django
django.setup()
from django.test import Client
response = Client().get("/healthz")
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""


def healthz_in_a_fresh_process(env: dict[str, str]) -> tuple[int, dict]:
    result = run_python(HEALTHZ_IN_A_FRESH_PROCESS, env=env)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    return answer["status"], answer["body"]


@pytest.mark.slow
def test_embedded_default_with_a_real_worker_on_the_filesystem_broker(tmp_path):
    # Given the settings of `make run` with no Redis: kombu's filesystem broker in a private var/
    env = django_env("config.settings.local", TAZA_VAR_DIR=str(tmp_path), DATABASE_URL=None, REDIS_URL=None)
    env["CELERY_TASK_ALWAYS_EAGER"] = "0"

    # When no worker runs, /healthz says so
    status, body = healthz_in_a_fresh_process(env)
    assert status == 503
    assert body["celery"] == {"ok": False, "mode": "worker", "broker": "filesystem", "error": "no worker answered"}

    # When a real worker runs, it answers the broadcast through the files in var/
    with CeleryWorker(env=env):
        status, body = healthz_in_a_fresh_process(env)

    # Then /healthz is 200
    assert status == 200, body
    assert body["redis"] == {"ok": True, "configured": False}
    assert body["celery"]["ok"] is True
    assert body["celery"]["broker"] == "filesystem"


@pytest.mark.slow
def test_gunicorn_web_with_redis_and_a_worker_follows_each_outage(tmp_path):
    # Given the production shape: gunicorn (platform/gunicorn.conf.py), a private Redis, a worker.
    # The database is a private SQLite file: this test is about Redis and Celery.
    with RedisServer() as redis_server:
        env = django_env(
            TAZA_VAR_DIR=str(tmp_path), DATABASE_URL=None, REDIS_URL=redis_server.url, CELERY_TASK_ALWAYS_EAGER="0"
        )
        with Gunicorn(env=env) as web:
            with CeleryWorker(env=env):
                # When everything runs, then /healthz is 200
                status, raw = web.get("/healthz")
                body = json.loads(raw)
                assert status == 200, body
                assert body["redis"]["ok"] is True
                assert body["celery"]["ok"] is True
                assert body["celery"]["broker"] == "redis"

            # When the worker has stopped, then Celery is reported down
            status, raw = web.get("/healthz")
            body = json.loads(raw)
            assert status == 503
            assert body["redis"]["ok"] is True
            assert body["celery"] == {"ok": False, "mode": "worker", "broker": "redis", "error": "no worker answered"}

            # When Redis stops too, then Redis is reported down and the web process still answers
            redis_server.stop()
            status, raw = web.get("/healthz")
            body = json.loads(raw)
            assert status == 503
            assert body["redis"] == {"ok": False, "configured": True, "error": "ConnectionError"}
            assert body["celery"]["error"] == "broker unreachable"
