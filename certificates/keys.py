"""The key that signs volunteers' certificates, from `TAZA_CERTIFICATE_SIGNING_KEY`, and its verifier key.

A key of its own, not the log's, under the same machinery (transparency.note's Signer and Verifier,
the signed-note key forms, a key ID from the name and the key):

- they live apart. A certificate is kept in a drawer for years and must still check out; the log's
  key is the witnesses' business, and a new log key (a new log to every witness) must not turn every
  certificate ever printed into one no one can check. Either key can be replaced, or leak, without
  the other's documents being touched.
- they sign different things. The log key signs checkpoint notes the platform writes; a certificate
  carries text a volunteer chose (the name to print). One key signing both would sign bytes partly
  chosen by anyone with an account, under the key whose every signature a witness trusts. Separate
  keys keep every signature of each key about one kind of document.

The setting takes the forms of the log's key (transparency/signing.py): `PRIVATE+KEY+<name>+<key
ID>+<key>` or a 32-byte Ed25519 seed in 64 hex digits named `TAZA_CERTIFICATE_KEY_NAME`. Unset, the
key is derived from SECRET_KEY under a purpose of its own, for the reasons that module gives: every
process agrees on it with nothing to create or lose. Production sets its own, once, and keeps it.
"""

from __future__ import annotations

import functools
import re

from django.conf import settings
from django.utils.crypto import salted_hmac

from transparency.note import Signer, Verifier


@functools.cache
def _signer(configured: str, name: str, secret: str) -> Signer:
    configured = configured.strip()
    if configured.startswith("PRIVATE+KEY+"):
        return Signer.from_skey(configured)
    if re.fullmatch(r"[0-9a-fA-F]{64}", configured):
        return Signer(name, bytes.fromhex(configured))
    if configured:
        raise ValueError("TAZA_CERTIFICATE_SIGNING_KEY is PRIVATE+KEY+… or 64 hex digits")
    seed = salted_hmac("taza.certificates", "certificate signing key", secret=secret, algorithm="sha256").digest()
    return Signer(name, seed)


def signer() -> Signer:
    return _signer(settings.TAZA_CERTIFICATE_SIGNING_KEY, settings.TAZA_CERTIFICATE_KEY_NAME, settings.SECRET_KEY)


def verifier() -> Verifier:
    return signer().verifier
