"""PostgreSQL crashes (`pg_ctl stop -m immediate`) under keyed writes and comes back: meanwhile every
client gets a JSON 503 with Retry-After (never an HTML 500), pages the static 503 in the visitor's
language and /healthz names the database; retries with the same Idempotency-Key converge, every
acknowledged write is in the ledger exactly once, streams have no gaps and `ledger verify` passes.

Everything is real and private to the test: a PostgreSQL cluster made by initdb on a free port, a
redis-server, gunicorn as the Procfile runs it with the production settings, and a Celery worker.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import threading
import time

import pytest

from tests.live import CeleryWorker, Gunicorn, PrivatePostgres, RedisServer, django_env, run_manage, run_python

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    # It starts a cluster of its own; once per CI run is enough: with the PostgreSQL half of the suite.
    pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="runs with the PostgreSQL suite (DATABASE_URL)"),
]

WRITERS = 4
KEYS_PER_WRITER = 40
OUTAGE_SECONDS = 4
DEADLINE_SECONDS = 90

SETUP = """
import json, django
django.setup()
from rest_framework.authtoken.models import Token
from campaigns.models import Campaign
from volunteers.models import User
organiser = User.objects.get(email="organiser@taza.demo")
campaign = Campaign.objects.order_by("-starts_on").first()
print(json.dumps({
    "token": Token.objects.get_or_create(user=organiser)[0].key,
    "campaign": str(campaign.id),
    "region": organiser.organisation.region_id,
}))
"""

LEDGER_STATE = """
import json, django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*), count(DISTINCT fact_id) FROM ledger_fact")
    facts, distinct_ids = cursor.fetchone()
    cursor.execute(
        "SELECT count(*) FROM (SELECT stream, max(version) AS top, count(*) AS n, min(version) AS low"
        " FROM ledger_fact GROUP BY stream) s WHERE top <> n OR low <> 1"
    )
    streams_with_gaps = cursor.fetchone()[0]
    cursor.execute(
        # A title is written per language ({"en": "Outage clean-up …"}): the one language each has
        "SELECT written.value, stream FROM ledger_fact, jsonb_each_text(data->'title') AS written"
        " WHERE type = 'EventProposed' AND written.value LIKE 'Outage clean-up %%'"
    )
    proposed = cursor.fetchall()
print(json.dumps({
    "facts": facts, "distinct_ids": distinct_ids, "streams_with_gaps": streams_with_gaps, "proposed": proposed,
}))
"""


class Writer(threading.Thread):
    """Proposes events, each with its own Idempotency-Key, retrying each until it is acknowledged."""

    def __init__(self, port: int, number: int, body: dict, token: str, deadline: float):
        super().__init__(daemon=True)
        self.port, self.number, self.body, self.token, self.deadline = port, number, body, token, deadline
        self.acknowledged: dict[str, str] = {}  # key -> event id
        self.unavailable = 0  # JSON 503s with Retry-After
        self.wrong: list[tuple[int, str, str]] = []  # anything else: status, type, body

    def post(self, key: str) -> tuple[int, dict, str]:
        body = dict(self.body, title=f"Outage clean-up {key}")
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(
                "POST",
                "/api/v1/events/",
                body=json.dumps(body),
                headers={
                    "Content-Type": "application/json",
                    "Accept-Language": "en",
                    "Authorization": f"Token {self.token}",
                    "Idempotency-Key": key,
                },
            )
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode()
        finally:
            connection.close()

    def run(self) -> None:
        for n in range(KEYS_PER_WRITER):
            key = f"outage-{self.number}-{n}"
            while time.monotonic() < self.deadline:
                status, headers, text = self.post(key)
                if status == 201:
                    self.acknowledged[key] = json.loads(text)["id"]
                    break
                if (
                    status == 503
                    and headers.get("Content-Type") == "application/json"
                    and headers.get("Retry-After") == "5"
                    and json.loads(text)["error"]["code"] == "unavailable"
                ):
                    self.unavailable += 1
                    time.sleep(0.2)  # a real client waits Retry-After; the test keeps it short
                    continue
                self.wrong.append((status, headers.get("Content-Type", ""), text[:300]))
                time.sleep(0.2)


def get(port: int, path: str, **headers: str) -> tuple[int, dict, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


def test_postgres_crashing_under_keyed_writes_gives_503s_and_loses_or_doubles_nothing():
    with PrivatePostgres() as postgres, RedisServer() as redis_server:
        env = django_env(
            "tests.database_lost_settings",
            DATABASE_URL=postgres.url,
            REDIS_URL=redis_server.url,
            SECRET_KEY="database-lost-test-key",
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_SSL_REDIRECT="0",
            TAZA_TRUSTED_PROXY_COUNT="0",
            DATABASE_CONNECT_TIMEOUT="2",
        )
        for command in (("migrate", "--noinput"), ("demo_load",)):
            result = run_manage(*command, env=env, timeout=300)
            assert result.returncode == 0, result.stdout + result.stderr
        result = run_python(SETUP, env=env)
        assert result.returncode == 0, result.stderr
        setup = json.loads(result.stdout.strip().splitlines()[-1])
        starts_at = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).replace(microsecond=0)
        proposal = {
            "campaign_id": setup["campaign"],
            "kind": "cleanup",
            "region": setup["region"],
            "address": "Esil embankment",
            "latitude": 51.1283,
            "longitude": 71.4305,
            "starts_at": starts_at.isoformat(),
            "ends_at": (starts_at + dt.timedelta(hours=3)).isoformat(),
            "capacity": 20,
        }

        with Gunicorn(env=dict(env, WEB_CONCURRENCY="2", GUNICORN_THREADS="4")) as web, CeleryWorker(env=env):
            # Given organisers' apps proposing events, each request with its own Idempotency-Key
            deadline = time.monotonic() + DEADLINE_SECONDS
            writers = [Writer(web.port, n, proposal, setup["token"], deadline) for n in range(WRITERS)]
            for writer in writers:
                writer.start()
            time.sleep(1.5)

            # When PostgreSQL crashes in the middle of them
            postgres.stop("immediate")
            stopped_at = time.monotonic()

            # Then pages answer the static 503 in the visitor's language, needing no database
            pages = {
                "kk": get(web.port, "/events/"),
                "ru": get(web.port, "/events/", **{"Accept-Language": "ru-RU,ru;q=0.9"}),
                "en": get(web.port, "/", **{"Accept-Language": "ru", "Cookie": "taza_language=en"}),
            }
            # And /healthz names the database
            health_status, _, health_body = get(web.port, "/healthz")
            time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - stopped_at)))

            # When it comes back
            postgres.start()
            for writer in writers:
                writer.join(DEADLINE_SECONDS)
            health_after = get(web.port, "/healthz")[0]
            # (an app that never saw the answer to its first proposal sends it again, same key)
            retry_status, _, retry_text = writers[0].post("outage-0-0")

        for language, (status, headers, html) in pages.items():
            assert (status, headers["Content-Type"], headers["Retry-After"]) == (503, "text/html; charset=utf-8", "5")
            assert f'<html lang="{language}">' in html
        assert health_status == 503
        assert json.loads(health_body)["database"] == {"ok": False, "vendor": "postgresql", "error": "OperationalError"}

        # Then no client ever saw anything but a 201 or a JSON 503 with Retry-After, and every key
        # was acknowledged in the end
        assert [writer.wrong for writer in writers] == [[]] * WRITERS
        acknowledged = {key: event for writer in writers for key, event in writer.acknowledged.items()}
        assert len(acknowledged) == WRITERS * KEYS_PER_WRITER
        unavailable = sum(writer.unavailable for writer in writers)
        assert unavailable > 0  # the outage was seen by the writers, not only by the pages

        # And a retry of an acknowledged key converges on the same event
        assert (retry_status, json.loads(retry_text)["id"]) == (201, acknowledged["outage-0-0"])

        # And the ledger holds every acknowledged write once, with no duplicate ids and no gaps
        result = run_python(LEDGER_STATE, env=env)
        assert result.returncode == 0, result.stderr
        ledger = json.loads(result.stdout.strip().splitlines()[-1])
        assert ledger["facts"] == ledger["distinct_ids"]
        assert ledger["streams_with_gaps"] == 0
        titles = sorted(title for title, _ in ledger["proposed"])
        assert titles == sorted(f"Outage clean-up {key}" for key in acknowledged)
        assert {stream.removeprefix("event-") for _, stream in ledger["proposed"]} == set(acknowledged.values())
        assert health_after == 200

        # And the projections equal a recomputation from the ledger
        verify = run_manage("ledger", "verify", env=env, timeout=120)
        assert verify.returncode == 0, verify.stdout + verify.stderr
        print(
            f"\n{len(acknowledged)} keyed writes acknowledged, {unavailable} JSON 503s during a "
            f"{OUTAGE_SECONDS} s crash of PostgreSQL, {ledger['facts']} facts"
        )
