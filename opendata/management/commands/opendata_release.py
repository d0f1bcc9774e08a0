"""Make today's open-data release (or a given day's), as beat does, and print what it holds."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand

from ledger.runner import catch_up_all
from opendata.release import release_make


class Command(BaseCommand):
    help = "Make the open-data release of today (or --day), if it was not made yet, and list its files."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--day", type=dt.date.fromisoformat, help="YYYY-MM-DD; today by default")

    def handle(self, *args, day: dt.date | None = None, **options) -> None:
        catch_up_all()
        release = release_make(day=day)
        self.stdout.write(f"{release.name}: ledger position {release.as_of_position}, licence {release.license}")
        for file in release.files:
            self.stdout.write(f"  {file['name']}  {file['bytes']} bytes  sha256:{file['sha256']}")
