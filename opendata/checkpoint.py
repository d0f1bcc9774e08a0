"""The one hook between a release and the transparency log (issue 16): the checkpoint it reflects.

The `transparency` app (built apart, in transparency/) keeps the Merkle log of the public facts and
its signed checkpoints. When it is installed, a release records its latest checkpoint as
`{"tree_size", "root" (base64), "note" (the signed note), "published_at"}`; until then, and while no
checkpoint has been published, a release's `checkpoint` is null. Nothing else here knows the log.
It is read by name (import_module), so the open data does not depend on the log being there.
"""

from __future__ import annotations

import base64
from importlib import import_module

from django.apps import apps

from config.errors import NotFound


def latest_checkpoint() -> dict | None:
    """The log's latest checkpoint as JSON, or None while there is no log or no checkpoint."""
    if not apps.is_installed("transparency"):
        return None
    try:
        selectors = import_module("transparency.selectors")
    except ModuleNotFoundError as missing:  # the log is there, its checkpoints not yet
        if missing.name != "transparency.selectors":
            raise
        return None
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
