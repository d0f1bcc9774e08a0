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

from django.conf import settings

from transparency.note import Signer, Verifier
from transparency.signing import configured_signer


def signer() -> Signer:
    return configured_signer(
        settings.TAZA_CERTIFICATE_SIGNING_KEY,
        settings.TAZA_CERTIFICATE_KEY_NAME,
        settings.SECRET_KEY,
        setting="TAZA_CERTIFICATE_SIGNING_KEY",
        purpose=("taza.certificates", "certificate signing key"),
    )


def verifier() -> Verifier:
    return signer().verifier
