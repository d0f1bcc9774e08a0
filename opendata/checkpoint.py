"""The one hook between a release and the transparency log (issue 16): the checkpoint it reflects.

The `transparency` app (built apart, in transparency/) keeps the Merkle log of the public facts, one
leaf each in feed order, and its signed checkpoints. A release's facts table is the feed's first
`leaves` facts, so the checkpoint it reflects is the one of exactly that tree size when the log
signed one, else the latest (whose tree then holds the release's facts as a prefix, or will once it
grows: a consistency proof from the log shows it). It is recorded as `{"tree_size", "root"
(base64), "note" (the signed note), "published_at"}`; while no checkpoint has been published, or
the log is not there, a release's `checkpoint` is null. Nothing else here knows the log.
It is read by name (import_module), so the open data does not depend on the log being there.
"""

from __future__ import annotations

import base64
from importlib import import_module

from django.apps import apps

from config.errors import NotFound


def release_checkpoint(*, leaves: int) -> dict | None:
    """The log's checkpoint of `leaves` leaves, else its latest, as JSON; None without log or checkpoint."""
    if not apps.is_installed("transparency"):
        return None
    try:
        selectors = import_module("transparency.selectors")
    except ModuleNotFoundError as missing:  # the log is there, its checkpoints not yet
        if missing.name != "transparency.selectors":
            raise
        return None
    try:
        checkpoint = selectors.checkpoint_at(leaves)
    except NotFound:  # transparency.selectors.UnknownCheckpoint: no checkpoint of this size
        try:
            checkpoint = selectors.latest_checkpoint()
        except NotFound:  # transparency.selectors.NoCheckpoint: none published yet
            return None
    return {
        "tree_size": checkpoint.size,
        "root": base64.b64encode(bytes(checkpoint.root)).decode(),
        "note": checkpoint.note,
        "published_at": checkpoint.published_at.isoformat(),
    }
