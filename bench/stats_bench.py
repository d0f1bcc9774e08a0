"""Stats benchmark: load + project the seed scale, then serve the hot public reads under load.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/taza REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/stats_bench.py --fraction 0.05 [--seconds 10] [--connections 16] [--keep]

Creates its own database (<name of DATABASE_URL>_bench) and drops it at the end (--keep keeps it;
--reuse serves a database kept earlier, without loading). Prints, in one run, on PostgreSQL and Redis:
1. load: `demo_history --seed-scale` through ledger.store.append (inline projections included),
   then the async catch-up of the totals: seconds and facts per second for each;
2. serve: gunicorn as in production (platform/gunicorn.conf.py, config.settings.production with DEBUG
   off; access log off) and wrk, a C load generator, as the second process (`apt-get install wrk`; a
   Python client would eat the cores the server needs): requests per second, p50 and p99 latency,
   errors and the server's CPU time per request of /api/v1/stats/national/ and
   /api/v1/stats/leaderboards/regions/, each after a warm-up run;
3. baseline: the same two answers computed naively at every request by GROUP BY over ledger_fact
   (bench/baseline_urls.py), served and measured the same way.
The load average is printed with every figure: on a shared machine the figures are only a trend.
--fraction scales the seed (the full seed is 1.0; develop with 0.01–0.05 on a shared machine).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import runpy
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

BASE_DIR = Path(__file__).resolve().parents[1]
BENCH_DIR = BASE_DIR / "bench"
sys.path.insert(0, str(BASE_DIR))

ENDPOINTS = {
    "national": "/api/v1/stats/national/",
    "region leaderboard": "/api/v1/stats/leaderboards/regions/?metric=participants&per_capita=true",
}
BASELINE = {
    "national": "/naive/national/",
    "region leaderboard": "/naive/leaderboards/regions/",
}
WARM_UP_SECONDS = 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fraction", type=float, default=1.0, help="share of the seed scale to load")
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each measured load run")
    parser.add_argument("--connections", type=int, default=16, help="concurrent keep-alive connections of wrk")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: its config)")
    parser.add_argument("--threads", type=int, default=None, help="gunicorn threads per worker (default: its config)")
    parser.add_argument("--port", type=int, default=8105)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--reuse", action="store_true", help="serve the <name>_bench database kept by --keep: no load")
    parser.add_argument(
        "--skip-inline",
        action="store_true",
        help="diagnostic, not production: inline projections do nothing while loading (the ledger's own cost)",
    )
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")) or not os.environ.get("REDIS_URL"):
        sys.exit("Set DATABASE_URL (PostgreSQL; <name>_bench is created next to it) and REDIS_URL.")
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk (the load generator, a second process in C).")
    bench_url = _bench_url(url) if args.reuse else _create_database(url)
    env = _environment(bench_url)
    os.environ.update(env)
    try:
        if not args.reuse:
            _migrate(env)
            _load_and_project(args.fraction, skip_inline=args.skip_inline)
        _serve_and_measure(env, args)
    finally:
        if not (args.keep or args.reuse):
            _drop_database(url)


def _environment(bench_url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": bench_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "bench-secret-key-bench-secret-key-bench-secret-key",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "TAZA_VAR_DIR": f"/tmp/taza_{urlsplit(bench_url).path.lstrip('/')}",
        "LOG_LEVEL": "WARNING",
        "GUNICORN_ACCESS_LOG": "",  # off: in production the proxy in front logs every request
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }


def _migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=BASE_DIR,
        env={**os.environ, **env},
        check=True,
    )


def _load_and_project(fraction: float, *, skip_inline: bool) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from demo import history
    from ledger.runner import catch_up_all
    from reference.models import Region
    from stats import selectors

    if skip_inline:
        from ledger.projections import inline_projections

        print("!! --skip-inline: inline projections are skipped; the events tables stay empty (diagnostic)")
        for projection in inline_projections():
            projection.apply = lambda fact: None
    scale = history.SEED.fraction(fraction)
    plan = history.plan_history(scale=scale, today=timezone.localdate(), regions=list(Region.objects.order_by("code")))
    history.organisations_and_accounts_ensure(plan, demo_accounts=8)
    print(
        f"== load (fraction {fraction}: {scale.events} events, {scale.checkins} check-ins, {scale.participants} people)"
    )
    started = time.perf_counter()
    facts = history.load(plan)
    loaded = time.perf_counter() - started
    inline = "SKIPPED (diagnostic)" if skip_inline else "included"
    print(f"append (inline projections {inline}): {facts} facts in {loaded:.1f} s = {facts / loaded:,.0f} facts/s")
    started = time.perf_counter()
    folded = catch_up_all(wait=30)
    projected = time.perf_counter() - started
    print(f"async catch-up of the totals: {folded} facts in {projected:.1f} s = {folded / projected:,.0f} facts/s")
    print(f"load + project: {loaded + projected:.1f} s")
    if fraction < 1:
        print(f"  extrapolated linearly to the full seed: {(loaded + projected) / fraction / 60:.1f} min")
    national = selectors.national_totals()["total"]
    print(
        "national: {events} events, {participants} participants, {waste_kg} kg, {trees} trees, {area_ha} ha".format(
            **national
        )
    )
    connection.close()


def _serve_and_measure(env: dict[str, str], args) -> None:
    base = f"http://127.0.0.1:{args.port}"
    print(f"== serve: gunicorn ({_gunicorn_shape(env, args)}), production settings, DEBUG off")
    print(
        f"   load: wrk -t1 -c{args.connections} -d{args.seconds:g}s from a second process, "
        f"after a {WARM_UP_SECONDS} s warm-up of each URL"
    )
    print(_HEADER)
    with _gunicorn(env, args, base + ENDPOINTS["national"]) as server:
        answers = {name: _get_json(base + path) for name, path in ENDPOINTS.items()}
        for name, path in ENDPOINTS.items():
            print(_row(name, _measure(server, base + path, args)))
    print("== baseline: the same answers by GROUP BY over ledger_fact at every request (bench/baseline_urls.py)")
    print(_HEADER)
    baseline_env = {**env, "DJANGO_SETTINGS_MODULE": "baseline_settings"}
    with _gunicorn(baseline_env, args, base + BASELINE["national"]) as server:
        naive = _get_json(base + BASELINE["national"])["data"][0]
        for name, path in BASELINE.items():
            print(_row(name, _measure(server, base + path, args)))
    published = answers["national"]["data"]["total"]
    same = all(str(published[key]) == str(naive[key]) for key in ("events", "participants", "trees"))
    print(f"baseline agrees with the read models on events, participants and trees: {'yes' if same else 'NO'}")


# gunicorn CPU/req: user + system time of gunicorn's processes per answer (PostgreSQL's is not in it),
# steadier than req/s on a shared machine, where the other processes take turns on the cores.
_HEADER = f"{'':20} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'gunicorn CPU/req':>17} {'load avg':>9}"


def _row(name: str, r: dict) -> str:
    return (
        f"{name:20} {r['requests'] / r['seconds']:8,.0f} {r['p50_ms']:8.1f} {r['p99_ms']:8.1f} {r['errors']:7d} "
        f"{r['server_cpu_us']:14,.0f} µs {r['load']:9.2f}"
    )


def _gunicorn_shape(env: dict[str, str], args) -> str:
    """What platform/gunicorn.conf.py resolves to here, with the bench's overrides."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        conf = runpy.run_path(str(BASE_DIR / "platform" / "gunicorn.conf.py"))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    workers, threads = args.workers or conf["workers"], args.threads or conf["threads"]
    worker_class = conf["worker_class"]
    access_log = "on" if conf["accesslog"] else "off"
    return (
        f"{workers} {worker_class} workers x {threads} threads, keep-alive {conf['keepalive']} s, "
        f"access log {access_log}"
    )


@contextlib.contextmanager
def _gunicorn(env: dict[str, str], args, probe_url: str) -> Iterator[int]:
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "config.wsgi",
        "-c",
        str(BASE_DIR / "platform" / "gunicorn.conf.py"),
        "--pythonpath",
        str(BENCH_DIR),  # the baseline's settings and URLs; unused by the platform's own settings
        "-b",
        f"127.0.0.1:{args.port}",
        "--max-requests",
        "0",  # no worker restarts in the middle of a measurement
    ]
    if args.workers:
        command += ["-w", str(args.workers)]
    if args.threads:
        command += ["--threads", str(args.threads)]
    server = subprocess.Popen(command, cwd=BASE_DIR, env={**os.environ, **env})
    try:
        _wait_until_up(probe_url)
        yield server.pid
    finally:
        server.terminate()
        server.wait(timeout=60)


def _measure(server_pid: int, url: str, args) -> dict:
    _wrk(url, WARM_UP_SECONDS, args.connections)  # every worker and thread has the answer in memory after it
    cpu_before = _cpu_seconds(server_pid)
    result = _wrk(url, args.seconds, args.connections)
    result["server_cpu_us"] = (_cpu_seconds(server_pid) - cpu_before) / max(result["requests"], 1) * 1e6
    result["load"] = os.getloadavg()[0]
    return result


def _wrk(url: str, seconds: float, connections: int) -> dict:
    """One closed-loop run: each connection sends a request, waits for the answer, sends the next."""
    out = subprocess.run(
        [
            "wrk",
            "-t1",  # one thread drives tens of thousands of requests a second: the cores stay the server's
            f"-c{connections}",
            f"-d{seconds:g}s",
            "--timeout",
            "60s",  # the baseline's answers take seconds: a slow answer is a latency, not an error
            "-H",
            "Accept: application/json",
            "-s",
            str(BENCH_DIR / "wrk_report.lua"),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its descendants (gunicorn's master and workers)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
    return total / os.sysconf("SC_CLK_TCK")


def _wait_until_up(url: str) -> None:
    for _ in range(150):
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer {url}")


def _get_json(url: str) -> dict:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def _bench_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path + "_bench"))


def _admin_url(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def _create_database(url: str) -> str:
    name = urlsplit(url).path.lstrip("/") + "_bench"
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return _bench_url(url)


def _drop_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/") + "_bench"
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
