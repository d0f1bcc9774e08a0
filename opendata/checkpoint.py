"""The one hook between a release and the transparency log (issue 16): the checkpoint it reflects.

The `transparency` app (built apart, in transparency/) keeps the Merkle log of the public facts and
its signed checkpoints. When it is installed and exposes `transparency.selectors.latest_checkpoint()`,
a release records what that returns (JSON: tree size, root hash, the signed note); until then, and
whenever no checkpoint has been published yet, a release's `checkpoint` is null. Nothing else here
knows the log.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps


def latest_checkpoint() -> dict | None:
    """The log's latest checkpoint as JSON, or None while there is no log or no checkpoint."""
    if not apps.is_installed("transparency"):
        return None
    try:
        selectors = import_module("transparency.selectors")
    except ModuleNotFoundError:
        return None
    latest = getattr(selectors, "latest_checkpoint", None)
    checkpoint = latest() if callable(latest) else None
    if checkpoint is None or isinstance(checkpoint, dict):
        return checkpoint
    as_dict = getattr(checkpoint, "as_dict", None)
    return as_dict() if callable(as_dict) else {"note": str(checkpoint)}
