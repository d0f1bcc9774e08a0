"""The transparency log's tables: its leaves and tiles (the projection `transparency.log` owns
them, and rebuilds them from the ledger), and the signed checkpoints (kept for ever, never rebuilt).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Leaf(models.Model):
    """A public fact's place in the log: leaf `index` is the fact at ledger `position`.

    Indexes are given in feed order, 0, 1, 2… with no gaps, and a given index is never given again
    (the projection only appends; a rebuild gives every fact the index it had, since the feed's
    order and content are fixed once served: ledger/public.py)."""

    index = models.BigIntegerField(primary_key=True)
    position = models.BigIntegerField(unique=True)
    fact_id = models.UUIDField(unique=True)

    class Meta:
        verbose_name = _("leaf")
        verbose_name_plural = _("leaves")

    def __str__(self) -> str:
        return f"leaf {self.index}: fact {self.position}"


class Tile(models.Model):
    """A C2SP tlog-tile of height 8 (transparency/tiles.py): up to 256 hashes of one tree level, 32
    bytes each. Full tiles never change; the partial one at a level's right edge only grows."""

    level = models.PositiveSmallIntegerField()
    number = models.BigIntegerField()
    hashes = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["level", "number"], name="transparency_tile_unique")]
        verbose_name = _("tile")
        verbose_name_plural = _("tiles")

    def __str__(self) -> str:
        return f"tile {self.level}/{self.number} ({self.width})"

    @property
    def width(self) -> int:
        return len(self.hashes) // 32


class Checkpoint(models.Model):
    """A signed checkpoint (C2SP tlog-checkpoint): the tree of `size` leaves had `root`, signed in
    `note`. One per tree size, never edited or deleted (the database refuses both: migration 0002):
    a checkpoint is a promise to the world, and a later one must extend it."""

    size = models.BigIntegerField(primary_key=True)
    root = models.BinaryField()
    note = models.TextField()
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-size"]
        get_latest_by = "size"
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")

    def __str__(self) -> str:
        return f"checkpoint {self.size}"

    @property
    def origin(self) -> str:
        return self.note.split("\n", 1)[0]
