"""Append a realistic national history through the ledger, then let the totals catch up.

    python manage.py demo_history                    # small: 60 events, for the demo
    python manage.py demo_history --seed-scale       # 1 294 events, 6.9 million participants, …
    python manage.py demo_history --seed-scale --fraction 0.01   # the seed, scaled down

Deterministic: a second run appends nothing. See demo/history.py.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from demo.history import history_load


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
        history_load(
            seed_scale=seed_scale,
            fraction=fraction,
            accounts=accounts,
            catch_up=not no_catch_up,
            workers=workers,
            write=self.stdout.write,
        )
