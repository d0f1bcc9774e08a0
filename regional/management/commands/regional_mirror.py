"""Mirror the configured national instances' verified public logs into the regional view.

    python manage.py regional_mirror --once          # one step per instance, then exit
    python manage.py regional_mirror                 # every TAZA_REGIONAL_MIRROR_SECONDS, until stopped

It prints each instance's state after its step. Exit 1 (with --once) if an instance is forked.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from regional.instances import configured_instances
from regional.models import InstanceMirror
from regional.services import instance_mirror


class Command(BaseCommand):
    help = "Mirror the configured instances' public logs, verified, into the regional view."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="One step per instance, then exit.")
        parser.add_argument("--country", action="append", default=[], help="Only this instance (repeat).")
        parser.add_argument("--page", type=int, default=None, help="Facts per feed request.")

    def handle(self, *args, once: bool, country: list[str], page: int | None, **options) -> None:
        wanted = {code.upper() for code in country}
        while True:
            forked = []
            for instance in configured_instances():
                if wanted and instance.country not in wanted:
                    continue
                mirror = instance_mirror(instance=instance, page=page)
                self.stdout.write(
                    f"{mirror.country}: {mirror.status}, tree size {mirror.size} verified"
                    f" (latest seen {mirror.seen_size}){': ' + mirror.last_error if mirror.last_error else ''}"
                )
                if mirror.status == InstanceMirror.Status.FORKED:
                    forked.append(mirror.country)
            if once:
                if forked:
                    raise CommandError(f"Forked: {', '.join(forked)}", returncode=1)
                return
            time.sleep(settings.TAZA_REGIONAL_MIRROR_SECONDS)
