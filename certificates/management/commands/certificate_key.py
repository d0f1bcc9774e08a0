"""Show the certificates' verifier key, or make a new signing key for TAZA_CERTIFICATE_SIGNING_KEY."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand

from certificates.keys import verifier
from transparency.note import Signer


class Command(BaseCommand):
    help = "Print the certificates' verifier key (name+keyid+key); with --generate, a new private key to configure."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--generate", action="store_true", help="print a new PRIVATE+KEY+… for TAZA_CERTIFICATE_SIGNING_KEY"
        )

    def handle(self, *args, generate: bool = False, **options) -> None:
        if generate:
            signer = Signer(settings.TAZA_CERTIFICATE_KEY_NAME, os.urandom(32))
            self.stdout.write(f"TAZA_CERTIFICATE_SIGNING_KEY={signer.skey}")
            self.stdout.write(f"# its verifier key: {signer.verifier.vkey}")
            return
        self.stdout.write(verifier().vkey)
