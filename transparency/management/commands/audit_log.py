"""Audit a Taza site's transparency log and totals with nothing but its public API (transparency/audit.py).

    python manage.py audit_log --url https://taza.example.kz --pin ~/.taza-log.vkey \\
        --saved ~/.taza-checkpoint --witness 'example.kz/witness+1a2b3c4d+BP…'

It needs no database of its own and no account: it reads the latest signed checkpoint, the
witnesses' cosignatures, the whole public fact feed (progress on stderr) and the national totals,
and says in plain lines what holds and what does not. Exit 0: everything checked holds; 1: something
does not, each problem on a line of its own. It sits beside `totals_recompute` (the recount of the
national figures, whose rules it reuses) and adds the log: a recount is only as good as the facts it
reads, and the log proves those are the facts published before, unchanged.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from transparency.audit import audit_site
from transparency.remote import RemoteError, Site


class Command(BaseCommand):
    help = "Audit a Taza site's transparency log and national totals from its public API alone."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--url", required=True, help="The site, e.g. https://taza.example.kz")
        parser.add_argument("--log-key", default="", help="The log's verifier key, name+keyid+key.")
        parser.add_argument(
            "--pin", default="", help="A file holding the log's key: fetched and kept on the first run."
        )
        parser.add_argument(
            "--witness",
            action="append",
            default=[],
            help="A witness's verifier key whose cosignature to check (repeat).",
        )
        parser.add_argument(
            "--saved", default="", help="A file with the checkpoint of an earlier audit: checked, then replaced."
        )
        parser.add_argument("--checkpoint", type=int, default=None, help="Audit this tree size, not the latest.")
        parser.add_argument("--page", type=int, default=1000, help="Facts per feed request.")
        parser.add_argument("--timeout", type=float, default=30.0)

    def handle(self, *args, url: str, log_key: str, pin: str, witness: list[str], saved: str, **options) -> None:
        try:
            site = Site(url, options["timeout"])
        except RemoteError as error:
            raise CommandError(str(error), returncode=1) from error
        audit = audit_site(
            site,
            log_key=log_key or None,
            pin=Path(pin).expanduser() if pin else None,
            witnesses=witness,
            saved=Path(saved).expanduser() if saved else None,
            tree_size=options["checkpoint"],
            page=options["page"],
            progress=lambda line: self.stderr.write(line),
        )
        for line in audit.lines:
            self.stdout.write(line)
        if audit.problems:
            summary = "\n".join(f"- {problem}" for problem in audit.problems)
            raise CommandError(f"The audit found {len(audit.problems)} problem(s):\n{summary}", returncode=1)
        self.stdout.write(self.style.SUCCESS("The audit passed: the log, its witnesses and the totals hold."))
