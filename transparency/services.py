"""Writes of the log that are not the projection's: publishing a signed checkpoint."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from transparency import log, merkle
from transparency.models import Checkpoint
from transparency.note import Checkpoint as CheckpointText
from transparency.note import sign
from transparency.signing import signer

logger = logging.getLogger(__name__)


def checkpoint_publish() -> Checkpoint | None:
    """Sign and keep a checkpoint of the tree as it is, if it grew since the latest one (or there is
    none yet); the new checkpoint, or None when there was nothing new to sign.

    Before signing, the new tree is proven to extend the latest checkpoint with a consistency proof
    from the stored tiles, checked as a witness would: a log must never sign a checkpoint that
    contradicts one it signed (C2SP tlog-checkpoint), so a tree that was rebuilt differently, or
    tiles that were tampered with, stop the log loudly instead of forking it.
    """
    size = log.tree_size()
    latest = Checkpoint.objects.order_by("-size").first()
    if latest is not None and latest.size >= size:
        return None
    root = log.root_at(size) if size else merkle.EMPTY_ROOT
    if latest is not None and latest.size > 0:
        merkle.verify_consistency(latest.size, size, bytes(latest.root), root, log.consistency_proof(latest.size, size))
    text = CheckpointText(settings.TAZA_LOG_ORIGIN, size, root).text
    try:
        with transaction.atomic():
            return Checkpoint.objects.create(
                size=size, root=root, note=sign(text, signer()), published_at=timezone.now()
            )
    except IntegrityError:
        return None  # another process published this size at the same moment: the same note
