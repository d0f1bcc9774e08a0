"""Check a certificate's signed document offline, with nothing but the published verifier key.

    manage.py verify_certificate certificate-ABCDE-FGHJK.json --key 'taza.local/certificates+1a2b3c4d+AU…'

Reads no database and asks no server: the key is the one the open-data page names (on the site
itself, `manage.py certificate_key` prints it). Exits 0 and prints what the certificate certifies when
its signature verifies, exits 1 saying what is wrong otherwise.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates.document import CertificateInvalid, document_verify
from transparency.note import NoteError, Verifier


class Command(BaseCommand):
    help = "Verify a certificate's signed JSON document offline with the published verifier key."
    requires_system_checks: list = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the certificate's JSON document, as downloaded")
        parser.add_argument(
            "--key", required=True, help="the verifier key, name+keyid+key, as the open-data page shows it"
        )

    def handle(self, *args, file: str, key: str, **options) -> None:
        try:
            verifier = Verifier.from_vkey(key.strip())
        except NoteError as error:
            raise CommandError(f"not a verifier key: {error}") from error
        try:
            document = json.loads(Path(file).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"cannot read {file}: {error}") from error
        try:
            content = document_verify(document, verifier)
        except CertificateInvalid as error:
            raise CommandError(f"NOT AUTHENTIC: {error}") from error
        self.stdout.write(f"AUTHENTIC: certificate {content['code']}, signed by {verifier.name}+{verifier.id.hex()}")
        self.stdout.write(f"  name: {content['name']}")
        period = content["period"]
        self.stdout.write(f"  {content['hours']} hours in all, {period['from']} to {period['to']}")
        for event in content["events"]:
            self.stdout.write(f"  {event['date']}  {event['hours']:>7} h  {event['title']} ({event['region']})")
        self.stdout.write(f"  issued at {content['issued_at']}")
