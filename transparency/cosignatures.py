"""Witnesses' cosignatures arriving at the platform: checked against the operator's list of witnesses
(`TAZA_LOG_WITNESSES`) and the checkpoint they name, then kept for ever (transparency/witness.py)."""

from __future__ import annotations

import time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import status

from config.errors import DomainError
from transparency.models import Cosignature
from transparency.note import parse_note
from transparency.selectors import checkpoint_at
from transparency.witness import CosignatureError, WitnessKey, parse_cosignature

# A witness's clock may run ahead of ours a little; a cosignature from further ahead is refused.
MAX_CLOCK_SKEW_SECONDS = 300


class UnknownWitness(DomainError):
    code = "unknown_witness"
    status_code = status.HTTP_403_FORBIDDEN
    default_message = _("This key is not one of the witnesses the platform lists.")


class CosignatureInvalid(DomainError):
    code = "cosignature_invalid"
    default_message = _("The cosignature does not verify on this checkpoint.")


def witness_keys() -> list[WitnessKey]:
    """The witnesses the operator lists, each by its verifier key (name+keyid+key)."""
    return [WitnessKey.from_vkey(vkey) for vkey in settings.TAZA_LOG_WITNESSES if vkey.strip()]


def cosignature_record(*, tree_size: int, line: str, now: float | None = None) -> tuple[Cosignature, bool]:
    """Keep a listed witness's cosignature on the checkpoint of `tree_size`; the row, and whether it is
    new. A witness that sends again for a checkpoint it cosigned gets its first cosignature back
    (one per witness and checkpoint: what it said first stands)."""
    try:
        signature = parse_cosignature(line)
    except CosignatureError as error:
        raise CosignatureInvalid(fields={"cosignature": [str(error)]}) from error
    key = next((key for key in witness_keys() if key.matches(signature)), None)
    if key is None:
        raise UnknownWitness(fields={"cosignature": [str(UnknownWitness.default_message)]})
    checkpoint = checkpoint_at(tree_size)
    try:
        timestamp = key.verify(parse_note(checkpoint.note).text, signature)
    except CosignatureError as error:
        raise CosignatureInvalid(fields={"cosignature": [str(CosignatureInvalid.default_message)]}) from error
    if timestamp > (now or time.time()) + MAX_CLOCK_SKEW_SECONDS:
        raise CosignatureInvalid(fields={"cosignature": [str(_("The cosignature's time is in the future."))]})
    kept = Cosignature.objects.filter(size=checkpoint.size, witness=key.vkey).first()
    if kept is not None:
        return kept, False
    try:
        with transaction.atomic():
            cosignature = Cosignature.objects.create(
                size=checkpoint.size,
                witness=key.vkey,
                name=key.name,
                timestamp=timestamp,
                line=line.rstrip("\n"),
                received_at=timezone.now(),
            )
    except IntegrityError:  # the same witness's other request, at the same moment
        return Cosignature.objects.get(size=checkpoint.size, witness=key.vkey), False
    return cosignature, True
