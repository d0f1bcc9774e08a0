"""The public read side on a real streaming replica: served by it with its own true freshness, writes on
the primary, and the primary's answer when the replica lags too far or stops (config/replicas.py).

A private primary cluster (initdb), a hot standby made from it by `pg_basebackup -R` on another port,
and gunicorn with DATABASE_URL = the primary and DATABASE_REPLICA_URL = the standby. Which database
answered is proved by what only it can say: with replay paused on the standby, its totals are as of
an older position than the primary's, and its feed lacks the primary's newest facts.
"""

from __future__ import annotations

import json
import time
import urllib.request
from dataclasses import dataclass

import pytest

from tests.live import PG_BIN, Gunicorn, PrivatePostgres, django_env, run_manage, run_python

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.xdist_group("replicas"),  # one cluster per module: its tests on one worker (make test)
    pytest.mark.skipif(not (PG_BIN / "pg_basebackup").exists(), reason=f"no PostgreSQL server binaries in {PG_BIN}"),
]

MAX_LAG_SECONDS = 3

SETUP = """
import django
django.setup()
from rest_framework.authtoken.models import Token
from volunteers.models import User
from volunteers.roles import Role
from volunteers.services import role_grant
admin = role_grant(user=User.objects.create_user("admin@replica.test", "pass-1234-word"), role=Role.ADMIN)
print(Token.objects.create(user=admin).key)
"""

CAMPAIGN_NAME = {"kk": "Көктемгі тазалық {n}", "ru": "Весенняя уборка {n}", "en": "Spring clean-up {n}"}


@dataclass
class Pair:
    primary: PrivatePostgres
    replica: PrivatePostgres
    web: Gunicorn
    token: str
    env: dict[str, str]

    def totals_position(self, cluster: PrivatePostgres) -> int:
        rows = cluster.sql("SELECT position FROM ledger_checkpoint WHERE name = 'stats.totals'")
        return rows[0][0] if rows else 0

    def replayed(self, timeout: float = 10) -> None:
        """Wait until the replica has replayed everything the primary has written (inserted: a
        transaction that wrote nothing else commits without waiting for its commit record's flush)."""
        target = self.primary.sql("SELECT pg_current_wal_insert_lsn()::text")[0][0]
        deadline = time.monotonic() + timeout
        while not self.replica.sql("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (target,))[0][0]:
            assert time.monotonic() < deadline, "the replica did not catch up"
            time.sleep(0.05)

    def launch(self, n: int) -> str:
        body = {
            "name": {lang: text.format(n=n) for lang, text in CAMPAIGN_NAME.items()},
            "starts_on": "2026-03-21",
            "ends_on": "2026-05-31",
            "event_kinds": ["cleanup"],
        }
        request = urllib.request.Request(
            self.web.url + "/api/v1/campaigns/",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Token {self.token}"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 201
            # A client that wrote reads the primary for a while (its next pages show what it did)
            assert "taza_primary=1" in response.headers["Set-Cookie"]
            assert "Max-Age=10" in response.headers["Set-Cookie"]
            return json.loads(response.read())["id"]

    def get_json(self, path: str) -> dict:
        status, body = self.web.get(path)
        assert status == 200, body[:500]
        return json.loads(body)

    def feed_streams(self) -> set[str]:
        return {fact["stream"] for fact in self.get_json("/api/v1/facts/?limit=1000")["results"]}


@pytest.fixture(scope="module")
def pair():
    with PrivatePostgres() as primary:
        plain = django_env(DATABASE_URL=primary.url, DATABASE_REPLICA_URL=None, REDIS_URL=None)
        result = run_manage("migrate", "--noinput", env=plain, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        result = run_python(SETUP, env=plain)
        assert result.returncode == 0, result.stderr
        token = result.stdout.strip().splitlines()[-1]
        replica = primary.replica()
        try:
            replica.start()
            env = django_env(
                DATABASE_URL=primary.url,
                DATABASE_REPLICA_URL=replica.url,
                REDIS_URL=None,  # the answers' cache in process memory; its keys name the position
                STATS_POSITION_TTL="0",  # every answer reads the position of the database it runs on
                CELERY_TASK_ALWAYS_EAGER="1",  # a write's catch-up runs in the request, on the primary
                TAZA_REPLICA_MAX_LAG_SECONDS=str(MAX_LAG_SECONDS),
                TAZA_REPLICA_CHECK_SECONDS="0",
                TAZA_REPLICA_RETRY_SECONDS="0.5",
            )
            with Gunicorn(env=dict(env, GUNICORN_THREADS="2")) as web:
                yield Pair(primary, replica, web, token, env)
        finally:
            replica.__exit__(None, None, None)


def test_public_reads_come_from_the_replica_with_its_own_freshness_and_writes_go_to_the_primary(pair):
    # Given a campaign launched and folded, and the replica caught up
    first = pair.launch(1)
    pair.replayed()
    folded_first = pair.totals_position(pair.primary)
    assert folded_first > 0
    assert pair.get_json("/api/v1/stats/national/")["as_of_position"] == folded_first

    # When replay pauses on the replica and a second campaign is launched
    pair.replica.sql("SELECT pg_wal_replay_pause()")
    try:
        second = pair.launch(2)  # a write: on a read-only standby it could not have succeeded
        # Then the primary has it folded, the paused replica has neither the campaign nor the fold
        folded_second = pair.totals_position(pair.primary)
        assert folded_second > folded_first
        assert pair.totals_position(pair.replica) == folded_first
        assert pair.primary.sql("SELECT count(*) FROM campaigns_campaign")[0][0] == 2
        assert pair.replica.sql("SELECT count(*) FROM campaigns_campaign")[0][0] == 1

        # And the public read side answers from the replica: its older figures with their true position
        national = pair.get_json("/api/v1/stats/national/")
        assert national["as_of_position"] == folded_first
        streams = pair.feed_streams()
        assert f"campaign-{first}" in streams and f"campaign-{second}" not in streams
        assert pair.web.get("/")[0] == 200
        # But the client that just wrote, showing its cookie, reads the primary's fresh figures
        pinned = urllib.request.Request(pair.web.url + "/api/v1/stats/national/", headers={"Cookie": "taza_primary=1"})
        with urllib.request.urlopen(pinned, timeout=10) as response:
            assert json.loads(response.read())["as_of_position"] == folded_second

        # When the replica stays behind longer than TAZA_REPLICA_MAX_LAG_SECONDS
        time.sleep(MAX_LAG_SECONDS + 0.5)

        # Then the same reads come from the primary, with its fresh figures
        assert pair.get_json("/api/v1/stats/national/")["as_of_position"] == folded_second
        assert f"campaign-{second}" in pair.feed_streams()
    finally:
        pair.replica.sql("SELECT pg_wal_replay_resume()")

    # And once it has caught up, the replica answers again, as fresh as the primary
    pair.replayed()
    assert pair.get_json("/api/v1/stats/national/")["as_of_position"] == folded_second


def test_the_feed_on_a_replica_is_gap_safe(pair):
    # Given a transaction of the primary's database holding an id, still running
    import psycopg

    with psycopg.connect(pair.primary.url.replace("postgres://", "postgresql://")) as holder:
        holder.execute("SELECT pg_current_xact_id()")
        # When a later transaction commits a campaign, and the replica has replayed it
        late = pair.launch(3)
        pair.replayed()
        assert pair.replica.sql("SELECT count(*) FROM ledger_fact WHERE stream = %s", (f"campaign-{late}",))[0][0] == 1
        # Then the replica's feed does not serve it yet: a reader paging with `after` would skip the
        # older transaction's facts for good if it did (the replica's horizon is its snapshot's xmin)
        assert f"campaign-{late}" not in pair.feed_streams()
        holder.commit()
    # And once the older transaction ends, it does
    pair.replayed()
    assert f"campaign-{late}" in pair.feed_streams()


def test_a_replica_that_stops_sends_the_reads_to_the_primary_and_no_one_sees_an_error(pair):
    # Given a second web process that judged the replica fit a minute ago and holds a connection to it
    trusting = dict(pair.env, TAZA_REPLICA_CHECK_SECONDS="600", GUNICORN_THREADS="1")
    pair.replayed()  # so its first check, which it keeps, finds the replica caught up
    with Gunicorn(env=trusting) as web:
        status, body = web.get("/api/v1/stats/national/")
        assert status == 200
        # When the replica stops
        pair.replica.stop()
        fresh = pair.totals_position(pair.primary)

        # Then a view that meets the dead connection runs again on the primary: its fresh answer, no error
        status, body = web.get("/api/v1/stats/national/")
        assert (status, json.loads(body)["as_of_position"]) == (200, fresh)
        # And every public read of the process that checks each time answers, from the primary
        for _ in range(3):
            assert pair.get_json("/api/v1/stats/national/")["as_of_position"] == fresh
            assert pair.web.get("/api/v1/facts/")[0] == 200
            assert pair.web.get("/")[0] == 200
            assert pair.web.get("/api/v1/stats/regions/")[0] == 200
        assert web.get("/events/")[0] == 200
    assert "failed under /api/v1/stats/national/, answering from the primary" in web.output


ALIASES = """
import json, django
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import router
replicas = {alias: db for alias, db in settings.DATABASES.items() if alias != "default"}
print(json.dumps({
    "replicas": {
        alias: [db["PORT"], db["TEST"]["MIRROR"], db["OPTIONS"]["connect_timeout"]] for alias, db in replicas.items()
    },
    "migrate": [router.allow_migrate(alias, "ledger") for alias in ("default", *replicas)],
    "write": router.db_for_write(get_user_model()),
}))
"""


def test_replica_urls_are_aliases_that_never_migrate_and_mirror_the_test_database():
    env = django_env(
        DATABASE_URL="postgres://taza@127.0.0.1:5432/taza",
        DATABASE_REPLICA_URL="postgres://taza@10.0.0.2:5433/taza,postgres://taza@10.0.0.3:5434/taza",
        REDIS_URL=None,
    )
    result = run_python(ALIASES, env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "replicas": {"replica_0": [5433, "default", 2], "replica_1": [5434, "default", 2]},
        "migrate": [True, False, False],
        "write": "default",
    }
