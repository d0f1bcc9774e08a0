"""Redis lost under HTTP write load: nothing written is lost, no message is lost or doubled.

Production-like and private to the test: gunicorn as the Procfile runs it, a Celery worker as the
Procfile runs it (prefork), a redis-server of its own as broker and cache, and an SMTP server of its
own. A second process writes over HTTP (volunteers giving places back, which promotes the next in
line and records an email to them, and others registering) and reads the public totals, while Redis
is SIGKILLed, stays away and comes back empty, as after a restart without persistence.

Then every write was accepted, every public read answered, the worker is still alive, the
projections catch up within 30 s of Redis being back and every promotion's email reaches the mail
server exactly once: with no restart and no person.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token

from campaigns.services import Target, campaign_launch
from events.services import event_approve, event_propose, registration_create
from ledger import projections, reading
from ledger.models import Fact, ProjectionCheckpoint
from outbox.models import Message
from tests.ledger.helpers import needs_postgres
from tests.live import Gunicorn, RedisServer, django_env, run_python
from tests.smtp import SmtpServer
from volunteers.models import Organisation, User
from volunteers.roles import Role
from volunteers.services import role_grant

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.slow,
    needs_postgres,
    pytest.mark.django_db(transaction=True),
]

EVENTS, PLACES = 4, 30  # each event full, with as many waiting as it has places
OUTAGE_SECONDS = 6
CATCH_UP_SECONDS = 30

# Writes the given requests at a steady pace, in two threads, and reads the public totals in a third
# until both are done; prints what every request was answered.
LOAD = """
import collections, http.client, json, sys, threading, time
plan = json.load(open(sys.argv[1]))
port, answers = plan["port"], collections.defaultdict(collections.Counter)

def call(method, path, token=None, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Accept-Language": "en", "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    try:
        connection.request(method, path, body=json.dumps(body or {}), headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    except Exception as exc:
        return type(exc).__name__
    finally:
        connection.close()

def cancels():
    for token, registration_id in plan["cancels"]:
        answers["cancel"][call("POST", f"/api/v1/registrations/{registration_id}/cancel/", token)] += 1
        time.sleep(plan["pace"])

def registers():
    for token, event_id in plan["registers"]:
        answers["register"][call("POST", f"/api/v1/events/{event_id}/registrations/", token)] += 1
        time.sleep(plan["pace"])

writers = [threading.Thread(target=cancels), threading.Thread(target=registers)]
for thread in writers:
    thread.start()
while any(thread.is_alive() for thread in writers):
    answers["read"][call("GET", "/api/v1/stats/national/")] += 1
    time.sleep(0.05)
print(json.dumps({kind: dict(counter) for kind, counter in answers.items()}))
"""

HEALTH = """
import json, django
django.setup()
from django.test import Client
response = Client().get("/healthz")
print(json.dumps({"http": response.status_code, **response.json()}))
"""


def procfile(process: str) -> list[str]:
    """The command of `process` in platform/Procfile, run by this interpreter."""
    for line in (settings.BASE_DIR / "platform" / "Procfile").read_text().splitlines():
        if line.startswith(f"{process}:"):
            argv = line.removeprefix(f"{process}:").replace("${CELERY_CONCURRENCY:-2}", "2").split()
            assert argv[0] == "celery"
            return [sys.executable, "-m", *argv]
    raise AssertionError(f"platform/Procfile has no {process}")


def stop_group(process: subprocess.Popen) -> None:
    """Stop a process started in a session of its own, and its children: TERM, then KILL after 20 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def wait_for(condition, timeout: float, what: str, log: Path) -> float:
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            from ledger.selectors import projection_statuses

            raise AssertionError(
                f"timed out waiting for {what}; {projection_statuses()}\nworker log:\n{log.read_text()[-4000:]}"
            )
        time.sleep(0.1)
    return time.monotonic() - start


def full_events() -> dict:
    """EVENTS approved events, each full with as many waiting, and one more with room for everyone.

    Returns what the load does: each volunteer with a place gives it back (promoting the first in
    line), and each waiting volunteer also registers for the roomy event."""
    admin = User.objects.create_user("admin@redis-lost.test", "pw", display_name="Admin")
    role_grant(user=admin, role=Role.ADMIN)
    club = Organisation.objects.create(name_en="Eco-club", kind=Organisation.Kind.UNIVERSITY, region_id="KZ-71")
    organiser = User.objects.create_user("org@redis-lost.test", "pw", display_name="Arman", organisation=club)
    role_grant(user=organiser, role=Role.ORGANISER)
    coordinator = User.objects.create_user("coord@redis-lost.test", "pw", display_name="Saule")
    role_grant(user=coordinator, role=Role.COORDINATOR, region=club.region)
    today = timezone.localdate()
    campaign = campaign_launch(
        actor=admin, name={"kk": "Таза", "ru": "Таза", "en": "Taza"}, event_kinds=["cleanup"],
        starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=30),
        targets=[Target("KZ-71", "events", Decimal("10"))],
    )  # fmt: skip
    starts_at = timezone.now().replace(microsecond=0) + dt.timedelta(days=2)

    def event(title: str, capacity: int):
        proposed = event_propose(
            actor=organiser, campaign_id=campaign.id, kind="cleanup", title=title, region="KZ-71",
            address="Esil embankment", latitude=51.1283, longitude=71.4305,
            starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=3), capacity=capacity,
        )  # fmt: skip
        return event_approve(actor=coordinator, event_id=proposed.id)

    people = [
        User.objects.create_user(f"v{n}@redis-lost.test", "pw", display_name=f"V{n}", language="en")
        for n in range(2 * EVENTS * PLACES)
    ]
    tokens = {p.pk: Token.objects.create(user=p).key for p in people}
    roomy = event("Roomy clean-up", 2 * EVENTS * PLACES)
    cancels, registers = [], []
    for e in range(EVENTS):
        full = event(f"Full clean-up {e}", PLACES)
        group = people[2 * PLACES * e : 2 * PLACES * (e + 1)]
        for person in group:
            registration = registration_create(actor=person, event_id=full.id)
            if registration.status == "registered":
                cancels.append([tokens[person.pk], str(registration.id)])
            else:
                registers.append([tokens[person.pk], str(roomy.id)])
    return {"cancels": cancels, "registers": registers}


def caught_up(head) -> bool:
    names = [p.name for p in projections.async_projections()]
    return set(ProjectionCheckpoint.objects.filter(name__in=names).values_list("tx", "position")) == {head}


def test_redis_lost_under_http_writes_loses_no_write_no_read_and_no_email(tmp_path):
    plan = {**full_events(), "pace": 0.08}
    assert (len(plan["cancels"]), len(plan["registers"])) == (EVENTS * PLACES, EVENTS * PLACES)
    log, plan_file = tmp_path / "worker.log", tmp_path / "plan.json"
    redis_server, smtp = RedisServer().start(), SmtpServer().start()
    env = django_env(
        DATABASE_URL=database_url(), REDIS_URL=redis_server.url, CELERY_TASK_ALWAYS_EAGER="0",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp.port), EMAIL_USE_TLS="0",
    )  # fmt: skip
    # Given the web, a worker and beat as the Procfile runs them
    worker = subprocess.Popen(
        procfile("worker"),
        cwd=settings.BASE_DIR, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    beat = subprocess.Popen(
        [*procfile("beat"), f"--schedule={tmp_path / 'beat-schedule'}"],
        cwd=settings.BASE_DIR, env=env, stdout=(tmp_path / "beat.log").open("w"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    web = Gunicorn(env=dict(env, WEB_CONCURRENCY="2", GUNICORN_THREADS="4"))
    load = None
    # The places the plan cancels and the waitlist it promotes were registered before the processes
    # start: their confirmations went out through the tests' own backend, but for any still waiting.
    before_load = list(Message.objects.filter(status="sent").values_list("pk", flat=True))
    waiting_before = Message.objects.exclude(status="sent").count()
    try:
        web.start()
        wait_for(lambda: " ready." in log.read_text(), 60, "the worker to be ready", log)
        plan_file.write_text(json.dumps({**plan, "port": web.port}))
        # and volunteers writing and the public reading over HTTP
        load = subprocess.Popen(
            [sys.executable, "-c", LOAD, str(plan_file)],
            cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        time.sleep(2.5)
        assert load.poll() is None, load.communicate()

        # When Redis is killed under the load, stays away a while, and comes back empty
        redis_server.process.send_signal(signal.SIGKILL)
        redis_server.process.wait(10)
        time.sleep(OUTAGE_SECONDS)
        redis_server = RedisServer(port=redis_server.port).start()
        back_at = time.monotonic()
        out, err = load.communicate(timeout=120)
        answers = json.loads(out.strip().splitlines()[-1])

        # Then every write was accepted and every public read answered
        assert answers["cancel"] == {"200": EVENTS * PLACES}, (answers, err[-3000:], web.output[-3000:])
        assert answers["register"] == {"201": EVENTS * PLACES}, answers
        assert set(answers["read"]) == {"200"}, answers
        # the projections catch up by themselves, and each email (a promotion's, a registration's
        # confirmation) is sent exactly once
        head = reading.head()
        wait_for(lambda: caught_up(head), CATCH_UP_SECONDS, f"the projections to catch up to {head}", log)
        caught_up_after = time.monotonic() - back_at
        wait_for(lambda: not Message.objects.exclude(status="sent").exists(), CATCH_UP_SECONDS, "the emails", log)
        sent_after = time.monotonic() - back_at
        promotions = Fact.objects.filter(type="WaitlistPromoted").count()
        assert promotions == EVENTS * PLACES
        under_load = Message.objects.exclude(pk__in=before_load)
        assert Message.objects.exclude(status="sent").count() == 0
        assert sorted(under_load.values_list("kind", "attempts").distinct()) == [
            ("events.volunteer_registered", 1),
            ("events.waitlist_promoted", 1),
        ]
        assert under_load.filter(kind="events.waitlist_promoted").count() == promotions
        assert under_load.filter(kind="events.volunteer_registered").count() == EVENTS * PLACES + waiting_before
        received = sorted(r.message_id for r in smtp.received)
        assert received == sorted(f"<{m.message_id}@127.0.0.1>" for m in under_load)
        # the worker and beat are still the ones that started
        assert (worker.poll(), beat.poll()) == (None, None), log.read_text()[-4000:]
        assert "Unrecoverable error" not in log.read_text()

        # And /healthz is back to 200, the worker answering
        health = json.loads(run_python(HEALTH, env=env).stdout.strip().splitlines()[-1])
        assert (health["http"], health["redis"]["ok"], health["celery"]["ok"]) == (200, True, True), health
        print(
            f"\nwrites accepted {sum(answers['cancel'].values()) + sum(answers['register'].values())}/"
            f"{2 * EVENTS * PLACES}, public reads answered {answers['read']['200']}/{sum(answers['read'].values())}; "
            f"projections caught up {caught_up_after:.1f} s and {len(received)} emails sent once each "
            f"{sent_after:.1f} s after Redis was back"
        )
    finally:
        if load is not None and load.poll() is None:
            load.kill()
        web.stop()
        for process in (beat, worker):
            stop_group(process)
        redis_server.stop()
        smtp.stop()


def test_a_send_under_way_when_redis_is_lost_runs_to_its_end_and_reaches_the_mail_server_once(tmp_path):
    """The worker terminates its late-acknowledged tasks when it loses the broker; a sender cut
    between the mail server's acceptance and its commit would send that message again. The send of
    the outbox is acknowledged when taken, so it runs to its end through the outage."""
    log = tmp_path / "worker.log"
    redis_server, smtp = RedisServer().start(), SmtpServer().start()
    smtp.delay = 5.0  # the mail server takes its time: Redis goes while the message is being handed over
    env = django_env(
        DATABASE_URL=database_url(), REDIS_URL=redis_server.url, CELERY_TASK_ALWAYS_EAGER="0",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp.port), EMAIL_USE_TLS="0",
    )  # fmt: skip
    # Given a message waiting (an email rendered already), and a worker that sends it once it connects
    message = Message.objects.create(
        kind="rendered", key="rendered:in-flight", to="dana@redis-lost.test",
        payload={"subject": "Confirm your address", "body": "Open the link.", "from_email": "taza@taza.test",
                 "headers": {}, "alternatives": []},
    )  # fmt: skip
    worker = subprocess.Popen(
        procfile("worker"),
        cwd=settings.BASE_DIR, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        wait_for(lambda: smtp.data_started == 1, 60, "the worker to begin handing the message over", log)
        # When Redis is killed while the mail server is still taking the message, and comes back empty
        redis_server.process.send_signal(signal.SIGKILL)
        redis_server.process.wait(10)
        time.sleep(2)
        redis_server = RedisServer(port=redis_server.port).start()
        # Then the message is sent, by the send that was under way
        wait_for(lambda: Message.objects.get(pk=message.pk).status == "sent", 60, "the message to be sent", log)
        # and after the worker is connected again (it sends what is due at once) nothing is sent twice
        wait_for(lambda: "Connected to " in log.read_text().split("Connection to broker lost")[-1], 60,
                 "the worker to connect again", log)  # fmt: skip
        time.sleep(3)
        message.refresh_from_db()
        assert (smtp.data_started, [r.message_id for r in smtp.received], message.attempts) == (
            1, [f"<{message.message_id}@127.0.0.1>"], 1,
        ), log.read_text()[-4000:]  # fmt: skip
        assert worker.poll() is None, log.read_text()[-4000:]
    finally:
        stop_group(worker)
        redis_server.stop()
        smtp.stop()
