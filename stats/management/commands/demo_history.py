"""Append a realistic national history through the ledger, then let the totals catch up.

    python manage.py demo_history                    # small: 60 events, for the demo
    python manage.py demo_history --seed-scale       # 1 294 events, 6.9 million participants, …
    python manage.py demo_history --seed-scale --fraction 0.01   # the seed, scaled down

Deterministic: a second run appends nothing. See stats/demo.py.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from campaigns.models import Region
from ledger.runner import catch_up_all
from stats import demo


class Command(BaseCommand):
    help = "Append a realistic national history (small, or the seed scale) and catch the totals up."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seed-scale", action="store_true", help="The full «Таза Қазақстан» seed.")
        parser.add_argument("--fraction", type=float, default=1.0, help="With --seed-scale: this share of it.")
        parser.add_argument("--accounts", type=int, default=8, help="Demo accounts holding volunteer ids.")
        parser.add_argument("--no-catch-up", action="store_true", help="Leave the projections to Celery.")
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Processes appending events side by side (default: 2 for --seed-scale on PostgreSQL, else 1).",
        )

    def handle(
        self,
        *args,
        seed_scale: bool,
        fraction: float,
        accounts: int,
        no_catch_up: bool,
        workers: int | None,
        **options,
    ):
        if not 0 < fraction <= 1:
            raise CommandError("--fraction must be in (0, 1].")
        if workers is None:
            # Workers are separate processes with their own connections: only where the database
            # takes concurrent writers, and not inside a caller's transaction (they would not see it).
            # The small demo is over in seconds: forking is for the seed scale.
            parallel = seed_scale and connection.vendor == "postgresql" and not connection.in_atomic_block
            workers = 2 if parallel else 1
        elif workers < 1 or (workers > 1 and (connection.vendor != "postgresql" or connection.in_atomic_block)):
            raise CommandError("--workers above 1 needs PostgreSQL and no open transaction.")
        scale = demo.SEED.fraction(fraction) if seed_scale else demo.SMALL
        regions = list(Region.objects.order_by("code"))
        if not regions:
            raise CommandError("No regions: run migrate first.")
        plan = demo.plan_history(scale=scale, today=timezone.localdate(), regions=regions)
        self.stdout.write(
            f"Planned {scale.events} events, {scale.participants} participants ({scale.checkins} check-ins of "
            f"{scale.volunteers} volunteers, {scale.headcount} head-count), {scale.waste_kg} kg of waste, "
            f"{scale.trees} trees, {scale.area_ha} ha."
        )
        demo.ensure_reference_data(plan, demo_accounts=accounts)

        started = time.perf_counter()
        step = max(1, len(plan.events) // 20)

        def progress(done: int, total: int) -> None:
            if done % step == 0 or done == total:
                self.stdout.write(f"  {done}/{total} events appended, {time.perf_counter() - started:.1f} s")

        # With workers, this process folds the async projections meanwhile (as a Celery worker
        # would): what is left for the catch-up after the load is the last events' facts.
        during = [0]

        def follow() -> int:
            folded = catch_up_all(wait=0)
            during[0] += folded
            return folded

        appended = demo.load(plan, progress=progress, workers=workers, idle=None if no_catch_up else follow)
        loaded = time.perf_counter() - started
        self.stdout.write(f"Appended {appended} facts in {loaded:.1f} s ({workers} worker(s)).")
        if not no_catch_up:
            started = time.perf_counter()
            folded = catch_up_all(wait=60)  # older transactions may hold facts back: wait for them
            self.stdout.write(
                f"Projections caught up on {during[0] + folded} facts ({during[0]} during the load, "
                f"{folded} after it in {time.perf_counter() - started:.1f} s)."
            )
