"""Seed load benchmark: append and project the «Таза Қазақстан» seed through the ledger, then check it.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/taza_h8 REDIS_URL=redis://127.0.0.1:6379/8 \\
        .venv/bin/python bench/seed_load_bench.py [--fraction 1.0] [--workers 2] [--concurrent] [--rebuild] [--serve]

Creates its own database (<name of DATABASE_URL>_seed), migrates it, and drops it at the end
(--keep keeps it). Prints, in one run, on PostgreSQL:
1. load: `demo.history.load` (what `demo_history --seed-scale` runs): every fact through
   `ledger.store.append` with the inline projections, `--workers` processes side by side;
2. catch-up: the async projections (the totals) folded to the head after the load, or with
   --concurrent also while the load runs, in the parent process (as `demo_history` does, and as a
   Celery worker would);
3. load + project wall time and facts per second, CPU seconds spent by the Python processes and by
   their PostgreSQL backends (less noisy than wall time on a shared machine), peak RSS, and the
   load average before and after;
4. `ledger verify` (every async projection recomputed from the facts) and the national totals
   against the planned ones (exactly 1 294 events, 6 900 000 participants, 844 000 t, 2 900 000
   trees, 1 000 000 ha at full scale);
5. with --rebuild: `ledger rebuild --all` (inline projections replayed set-wise) and its time;
6. with --serve: the serving half of stats_bench.py on the loaded database (gunicorn as in
   production, wrk from a second process, req/s and p99 of the national totals and the region
   leaderboard, then the GROUP BY baseline): load and serving in one run.
--fraction scales the seed down (develop with 0.05–0.2 on the shared machine).
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

BASE_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BASE_DIR))
SUFFIX = "_seed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fraction", type=float, default=1.0, help="share of the seed scale (1.0: the full seed)")
    parser.add_argument("--workers", type=int, default=2, help="processes appending events side by side")
    parser.add_argument(
        "--concurrent", action="store_true", help="fold the async projections during the load (as demo_history does)"
    )
    parser.add_argument("--rebuild", action="store_true", help="also time `ledger rebuild --all`")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument(
        "--serve",
        action="store_true",
        help="then serve the loaded database as stats_bench.py does: req/s, p99 under wrk, the GROUP BY baseline",
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="with --serve: duration of each measured run")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL (PostgreSQL; <name>_seed is created next to it) and REDIS_URL.")
    bench_url = _create_database(url)
    os.environ.update(
        DATABASE_URL=bench_url,
        DJANGO_SETTINGS_MODULE="config.settings.local",
        LOG_LEVEL="WARNING",
        TAZA_VAR_DIR=os.environ.get("TAZA_VAR_DIR", "/tmp/taza_seed_bench"),
    )
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=BASE_DIR, check=True)
        _run(args, bench_url)
        if args.serve:
            _serve(bench_url, args.seconds)
    finally:
        if not args.keep:
            _drop_database(url)


def _serve(bench_url: str, seconds: float) -> None:
    """The serving half of stats_bench.py on the database just loaded: load and serving in one run."""
    import stats_bench

    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk (the load generator, a second process in C).")
    env = stats_bench._environment(bench_url)
    os.environ.update(env)
    shape = argparse.Namespace(seconds=seconds, connections=16, workers=None, threads=None, port=8105)
    stats_bench._serve_and_measure(env, shape)


def _run(args, bench_url: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from demo import history
    from ledger.runner import catch_up_all
    from reference.models import Region
    from stats import selectors

    scale = history.SEED.fraction(args.fraction)
    plan = history.plan_history(scale=scale, today=timezone.localdate(), regions=list(Region.objects.order_by("code")))
    history.organisations_and_accounts_ensure(plan, demo_accounts=8)
    expected_facts = 2 * len(plan.campaigns) + sum(
        2 + 2 * e.checkins + 1 + e.verified for e in plan.events
    )  # proposed + approved, registrations and check-ins, result, verification
    print(
        f"== seed fraction {args.fraction}: {scale.events} events, {scale.participants:,} participants "
        f"({scale.checkins:,} check-ins of {scale.volunteers:,} volunteers), {expected_facts:,} facts; "
        f"{args.workers} worker(s), catch-up {'during' if args.concurrent else 'after'} the load"
    )
    print(f"load average before: {_loadavg()}")
    catch_up_backends: set[int] = set()  # history.load closes this process's connection before it forks
    meter = _BackendMeter(bench_url)
    cpu_before = os.times()

    during = [0]

    def follow() -> int:
        folded = catch_up_all(wait=0)
        during[0] += folded
        catch_up_backends.add(connection.connection.info.backend_pid)
        return folded

    def progress(done: int, events: int) -> None:
        if done % max(1, events // 10) == 0:
            print(
                f"  {done}/{events} events appended, {during[0]:,} facts folded, {time.perf_counter() - started:.0f} s"
            )

    started = time.perf_counter()
    appended = history.load(plan, workers=args.workers, idle=follow if args.concurrent else None, progress=progress)
    loaded = time.perf_counter() - started
    print(
        f"load: {appended:,} facts in {loaded:.1f} s = {appended / loaded:,.0f} facts/s (inline projections included)"
    )
    folded = catch_up_all(wait=120)
    catch_up_backends.add(connection.connection.info.backend_pid)
    total = time.perf_counter() - started
    projected = total - loaded
    if args.concurrent:
        print(
            f"catch-up: {during[0]:,} facts folded during the load, the last {folded:,} in {projected:.1f} s after it"
        )
    else:
        print(f"catch-up: {folded:,} facts in {projected:.1f} s = {folded / projected:,.0f} facts/s")
    cpu = [after - before for after, before in zip(os.times(), cpu_before, strict=False)]
    connection.close()
    backends = meter.stop()
    python_cpu, workers_cpu = cpu[0] + cpu[1], cpu[2] + cpu[3]
    backend_cpu = sum(backends.values())
    catch_up_backend = sum(cpu for pid, cpu in backends.items() if pid in catch_up_backends)
    print(f"LOAD + PROJECT: {total:.1f} s ({total / 60:.2f} min) = {appended / total:,.0f} facts/s end to end")
    print(
        f"CPU: Python {python_cpu + workers_cpu:.0f} s (appending workers {workers_cpu:.0f} s, this process "
        f"{python_cpu:.0f} s), PostgreSQL backends {backend_cpu:.0f} s (appending "
        f"{backend_cpu - catch_up_backend:.0f} s, catching up {catch_up_backend:.0f} s) = "
        f"{(python_cpu + workers_cpu + backend_cpu) / total:.2f} cores busy on average"
    )
    rss = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    )
    print(f"peak RSS of one process: {rss / 1024:,.0f} MiB; load average after: {_loadavg()}")

    started = time.perf_counter()
    out = io.StringIO()
    try:
        call_command("ledger", "verify", stdout=out)
        verdict = "passed"
    except Exception as exc:  # noqa: BLE001 - the bench reports it
        verdict = f"FAILED ({exc})"
    print(f"ledger verify {verdict} in {time.perf_counter() - started:.1f} s: {out.getvalue().strip()}")
    _national(selectors, scale)

    if args.rebuild:
        started = time.perf_counter()
        out = io.StringIO()
        call_command("ledger", "rebuild", "--all", stdout=out)
        print(
            f"ledger rebuild --all in {time.perf_counter() - started:.1f} s: {'; '.join(out.getvalue().split(chr(10)))}"
        )
        _national(selectors, scale)
    connection.close()


def _national(selectors, scale) -> None:
    from stats.metrics import present_value

    national = selectors.national_totals()["total"]
    got = (
        national["events"],
        national["participants"],
        national["waste_kg"],
        national["trees"],
        national["area_ha"],
    )
    want = (
        scale.events,
        scale.participants,
        present_value("waste_g", scale.waste_kg * 1000),
        scale.trees,
        present_value("area_m2", scale.area_ha * 10000),
    )
    print(
        "national: {} events, {:,} participants, {} kg, {:,} trees, {} ha: {}".format(
            *got, "EXACTLY AS PLANNED" if got == want else f"DIFFERS from the plan {want}"
        )
    )


class _BackendMeter:
    """CPU seconds of every PostgreSQL backend connected to the bench database, sampled from /proc
    (the server runs on this machine): backends come and go with the worker processes, so a thread
    looks twice a second and keeps the last figure of each."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.seen: dict[int, float] = {}
        self.done = threading.Event()
        self.name = urlsplit(url).path.lstrip("/")
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            mine = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
            while True:
                pids = [
                    pid
                    for (pid,) in conn.execute(
                        "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> %s", [self.name, mine]
                    )
                ]
                for pid in pids:
                    cpu = _process_cpu(pid)
                    if cpu is not None:
                        self.seen[pid] = cpu
                if self.done.wait(0.5):
                    return

    def stop(self) -> dict[int, float]:
        self.done.set()
        self.thread.join()
        return self.seen


def _process_cpu(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _admin_url(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def _create_database(url: str) -> str:
    name = urlsplit(url).path.lstrip("/") + SUFFIX
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def _drop_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/") + SUFFIX
    with psycopg.connect(_admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
