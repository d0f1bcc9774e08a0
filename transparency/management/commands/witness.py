"""Witness a Taza site's transparency log: check its latest checkpoint extends the last one this witness
cosigned, cosign it (C2SP tlog-cosignature) and hand the cosignature to the site.

    python manage.py witness --url https://taza.example.kz --state ~/.taza-witness \\
        --name witness.example.kz/taza --log-key 'taza.kz/log+1a2b3c4d+AU…'

Anyone can run it (a university, a newspaper): it needs no database, only the site's public API and
a directory of its own for its key and the last checkpoint it cosigned (transparency/witness.py).
Run it from cron every few minutes. Exit 0: cosigned; 1: not cosigned, with the reason, and on a fork
(a checkpoint that does not extend the last one cosigned) the state is left as it was: it is the
evidence, and the sizes and roots of both trees are printed.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from transparency.remote import RemoteError, Site
from transparency.witness import WitnessError, WitnessState, witness_once


class Command(BaseCommand):
    help = "Cosign a Taza site's latest checkpoint after checking it extends the last one this witness cosigned."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--url", required=True, help="The site, e.g. https://taza.example.kz")
        parser.add_argument("--state", required=True, help="This witness's directory: its key and last checkpoint.")
        parser.add_argument("--name", default="", help="The witness's name on its first run, e.g. example.kz/witness.")
        parser.add_argument(
            "--log-key", default="", help="The log's verifier key (name+keyid+key); kept in the state on the first run."
        )
        parser.add_argument("--timeout", type=float, default=30.0)

    def handle(self, *args, url: str, state: str, name: str, log_key: str, timeout: float, **options) -> None:
        try:
            witness_once(
                Site(url, timeout),
                WitnessState(state),
                name=name or "taza-witness",
                log_key=log_key,
                now=time.time(),
                say=self.stdout.write,
            )
        except (WitnessError, RemoteError) as error:
            raise CommandError(str(error), returncode=1) from error
