"""What the open-data page shows of the log: the latest checkpoint, the log's key, the cosignatures."""

from __future__ import annotations

import base64
import datetime as dt

from django import template

from transparency.models import Checkpoint, Cosignature
from transparency.signing import verifier

register = template.Library()


@register.simple_tag
def latest_checkpoint() -> dict | None:
    """The latest checkpoint with its witnesses (each once, by name, with when it cosigned), or None."""
    checkpoint = Checkpoint.objects.order_by("-size").first()
    if checkpoint is None:
        return None
    cosignatures = Cosignature.objects.filter(size=checkpoint.size).order_by("received_at", "id")
    return {
        "size": checkpoint.size,
        "root": base64.b64encode(bytes(checkpoint.root)).decode(),
        "published_at": checkpoint.published_at,
        "note": checkpoint.cosigned_note,
        "witnesses": [
            {"name": c.name, "cosigned_at": dt.datetime.fromtimestamp(c.timestamp, dt.UTC)} for c in cosignatures
        ],
    }


@register.simple_tag
def log_verifier_key() -> str:
    return verifier().vkey
