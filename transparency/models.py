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

    @property
    def cosigned_note(self) -> str:
        """The note as the log signed it, with the witnesses' cosignature lines after its signature
        (C2SP tlog-cosignature): what the API and /log/checkpoint serve. A verifier ignores lines of
        keys it does not know, so the log's signature verifies on it as on `note`."""
        lines = Cosignature.objects.filter(size=self.size).order_by("received_at", "id").values_list("line", flat=True)
        return self.note + "".join(f"{line}\n" for line in lines)


class Cosignature(models.Model):
    """A witness's cosignature on the checkpoint of tree `size` (transparency/witness.py), as the witness
    sent it and the platform verified it on arrival: one per witness and checkpoint, never edited
    (the database refuses: migration 0003). Not a projection: what a witness said is evidence, kept
    even if the checkpoint it cosigned were ever replaced, so a fork stays visible."""

    size = models.BigIntegerField(db_index=True)
    witness = models.CharField(max_length=300)  # the witness's verifier key, name+keyid+key
    name = models.CharField(max_length=200)
    timestamp = models.BigIntegerField()  # seconds since the epoch, as the witness signed it
    line = models.TextField()  # the signature line, `— <name> <base64(key ID || timestamp || signature)>`
    received_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["size", "witness"], name="transparency_cosignature_once")]
        verbose_name = _("cosignature")
        verbose_name_plural = _("cosignatures")

    def __str__(self) -> str:
        return f"{self.name} on checkpoint {self.size}"
