"""Check-ins per second at ONE event, with concurrent writers, on PostgreSQL (issue 13).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/taza_lock .venv/bin/python bench/checkin_bench.py

Creates its own database (<name of DATABASE_URL>_bench) and drops it at the end. Through the
services only: an approved event under way, --people volunteers with a place, then the organiser
ticks them on the roster (`checkin_from_roster`) from --writers processes (one connection each)
for --seconds, and it prints check-ins per second. `--latency-ms` adds a round trip to each
statement Django sends, as from an app server on another host than PostgreSQL: time a transaction
holds its locks without using the CPU. It uses nothing newer than the services, so the same file
measures an older commit too (run it in a `git worktree` of that commit).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0, help="how long the writers check people in")
    parser.add_argument("--people", type=int, default=6000, help="places registered (more than can be checked in)")
    parser.add_argument(
        "--latency-ms",
        type=float,
        default=0.0,
        help="a round trip added to each statement Django sends, as from an app server on another host",
    )
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (the benchmark creates <name>_bench next to it).")
    bench_url = _create_database(url)
    os.environ["DATABASE_URL"] = bench_url
    os.environ.pop("REDIS_URL", None)  # no broker traffic: catch-up tasks are not the subject here
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ["DJANGO_DEBUG"] = "0"  # DEBUG keeps every query in memory
    os.environ.setdefault("TAZA_VAR_DIR", "/tmp/taza_checkin_bench")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    try:
        organiser, event_id, places = _event_with_places(args.people)
        print(f"PostgreSQL {_server_version(bench_url)}, {os.cpu_count()} cores, {len(places)} places at one event")
        done, seconds = _check_in(organiser, event_id, places, args.writers, args.seconds, args.latency_ms / 1000)
        print(
            f"{args.writers} writers, {args.latency_ms:g} ms a statement: {done} check-ins in {seconds:.2f} s "
            f"= {done / seconds:.0f} check-ins/s"
        )
    finally:
        connections.close_all()
        if not args.keep:
            _drop_database(url)


def _event_with_places(people: int):
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from campaigns.services import Target, campaign_launch
    from events.models import Registration
    from events.services import event_approve, event_propose, registration_create
    from reference.models import Region
    from volunteers.models import Organisation, User
    from volunteers.roles import Role
    from volunteers.services import role_grant

    region = Region.objects.get(pk="KZ-71")
    password = make_password("bench")  # hashed once: creating thousands of accounts is not the subject
    club = Organisation.objects.create(name_en="Bench club", kind=Organisation.Kind.UNIVERSITY, region=region)
    admin = User.objects.create(email="admin@bench.test", password=password, display_name="Admin")
    role_grant(user=admin, role=Role.ADMIN)
    organiser = User.objects.create(email="org@bench.test", password=password, display_name="Org", organisation=club)
    role_grant(user=organiser, role=Role.ORGANISER)
    coordinator = User.objects.create(email="coord@bench.test", password=password, display_name="Coord")
    role_grant(user=coordinator, role=Role.COORDINATOR, region=region)
    today = timezone.localdate()
    campaign = campaign_launch(
        actor=admin,
        name={"kk": "Bench", "ru": "Bench", "en": "Bench"},
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=30),
        event_kinds=["cleanup"],
        targets=[Target("KZ-71", "events", Decimal("1"))],
    )
    starts_at = timezone.now() + dt.timedelta(minutes=5)
    event = event_propose(
        actor=organiser,
        campaign_id=campaign.id,
        kind="cleanup",
        title="National clean-up day",
        description="",
        region="KZ-71",
        address="Esil embankment",
        latitude=51.1,
        longitude=71.4,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=8),
        capacity=people,
        what_to_bring="",
    )
    event_approve(actor=coordinator, event_id=event.id)
    volunteers = User.objects.bulk_create(
        User(email=f"v{i}@bench.test", password=password, display_name=f"V{i}", birth_date=dt.date(1990, 1, 1))
        for i in range(people)
    )
    for volunteer in volunteers:
        registration_create(actor=volunteer, event_id=event.id)
    places = list(Registration.objects.filter(event_id=event.id).values_list("id", flat=True))
    return organiser, event.id, places


def _check_in(organiser, event_id, places: list, writers: int, seconds: float, latency: float) -> tuple[int, float]:
    """Each writer a process of its own (as gunicorn's workers are, so Python's lock on the
    interpreter does not become the bottleneck measured), with its own connection and its share of
    the places; all start together and stop at the same deadline."""
    import multiprocessing

    from django.db import connections

    connections.close_all()  # each process opens its own
    context = multiprocessing.get_context("fork")
    start = context.Barrier(writers + 1)
    counts = context.Queue()
    processes = [
        context.Process(target=_writer, args=(organiser, event_id, places[i::writers], start, seconds, latency, counts))
        for i in range(writers)
    ]
    for process in processes:
        process.start()
    start.wait()
    began = time.perf_counter()
    results = [counts.get(timeout=seconds + 120) for _ in processes]
    elapsed = time.perf_counter() - began
    for process in processes:
        process.join()
    errors = [r for r in results if isinstance(r, str)]
    if errors:
        raise RuntimeError(errors[0])
    return sum(results), elapsed


def _writer(organiser, event_id, places: list, start, seconds: float, latency: float, counts) -> None:
    from django.db import connection, connections

    from events.services import checkin_from_roster

    def far(execute, sql, params, many, context):
        # The network's round trip, spent while the statement's transaction holds its locks. (The
        # ledger's INSERT goes by psycopg directly, so it is not delayed: this understates it.)
        time.sleep(latency)
        return execute(sql, params, many, context)

    try:
        done = 0
        start.wait()
        deadline = time.perf_counter() + seconds
        with connection.execute_wrapper(far) if latency else contextlib.nullcontext():
            for place in places:
                if time.perf_counter() >= deadline:
                    break
                done += checkin_from_roster(actor=organiser, event_id=event_id, registration_id=place).recorded
        counts.put(done)
    except BaseException as error:  # noqa: BLE001 - reported by the parent, the run is void
        counts.put(f"{type(error).__name__}: {error}")
    finally:
        connections.close_all()


def _bench_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"{parts.path}_bench"))


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
