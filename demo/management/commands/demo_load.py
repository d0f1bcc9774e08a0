"""Load the demo (demo/load.py): accounts of every role, a campaign, events, registrations, and the
small national history (demo/history.py).

    python manage.py demo_load
"""

from django.core.management.base import BaseCommand

from demo.load import demo_load


class Command(BaseCommand):
    help = "Load the demo data (accounts, a campaign, events, registrations). Safe to run again."

    def handle(self, *args, **options) -> None:
        self.stdout.write(self.style.SUCCESS(demo_load(write=self.stdout.write)))
