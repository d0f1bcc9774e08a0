"""The log's signing key, from `TAZA_LOG_SIGNING_KEY`, and its verifier key.

The setting takes the signed-note private key form (`PRIVATE+KEY+<name>+<key ID>+<key>`, as
`manage.py log_key --generate` prints it, or Go's `note.GenerateKey`) or a 32-byte Ed25519 seed in
64 hex digits, named `TAZA_LOG_ORIGIN`. Unset, the key is derived from SECRET_KEY (an HMAC under a
purpose of its own), like the pseudonym key: the web, worker and beat processes, and every restart,
agree on it with nothing to create, share or lose, where a key generated once into var/ would be a
file each process must find and that cleaning var/ would destroy, leaving every published checkpoint
signed by a key no one can show any more. The cost: it changes with SECRET_KEY, so production sets
its own, once, and keeps it (a new key is a new log for every witness).
"""

from __future__ import annotations

import functools
import re

from django.conf import settings
from django.utils.crypto import salted_hmac

from transparency.note import Signer, Verifier


@functools.cache
def configured_signer(configured: str, name: str, secret: str, *, setting: str, purpose: tuple[str, str]) -> Signer:
    """The signer a key setting names: `PRIVATE+KEY+…`, 64 hex digits of a seed (named `name`), or,
    empty, a seed derived from SECRET_KEY under `purpose` (a salt and a value of its own per key, so
    no two keys derived this way are ever the same). The certificates' key (certificates/keys.py)
    is read the same way under its own setting and purpose."""
    configured = configured.strip()
    if configured.startswith("PRIVATE+KEY+"):
        return Signer.from_skey(configured)
    if re.fullmatch(r"[0-9a-fA-F]{64}", configured):
        return Signer(name, bytes.fromhex(configured))
    if configured:
        raise ValueError(f"{setting} is PRIVATE+KEY+… or 64 hex digits")
    salt, value = purpose
    return Signer(name, salted_hmac(salt, value, secret=secret, algorithm="sha256").digest())


def signer() -> Signer:
    return configured_signer(
        settings.TAZA_LOG_SIGNING_KEY,
        settings.TAZA_LOG_ORIGIN,
        settings.SECRET_KEY,
        setting="TAZA_LOG_SIGNING_KEY",
        purpose=("taza.transparency.log", "checkpoint signing key"),
    )


def verifier() -> Verifier:
    return signer().verifier
