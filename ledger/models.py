"""The ledger: one append-only table of facts, and the checkpoints of async projections."""

from django.db import models
from django.utils import timezone

from ledger.ids import uuid7


class Fact(models.Model):
    """An immutable record of something that happened.

    On PostgreSQL the table also has a `tx xid8` column (default `pg_current_xact_id()`), added
    by migration and read with raw SQL only: it is what makes reading gap-safe (see reading.py).
    The database refuses UPDATE and DELETE on this table (triggers, see migrations).
    """

    position = models.BigAutoField(primary_key=True)
    fact_id = models.UUIDField(unique=True, default=uuid7)
    stream = models.CharField(max_length=200)
    version = models.PositiveIntegerField()
    type = models.CharField(max_length=100)
    schema_version = models.PositiveSmallIntegerField(default=1)
    data = models.JSONField()
    meta = models.JSONField(default=dict)
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "ledger_fact"
        constraints = [models.UniqueConstraint(fields=["stream", "version"], name="ledger_fact_stream_version")]
        # Readers filter by type in ledger order: SQLite by (type, position), PostgreSQL by (type,
        # tx, position). Both indexes are made by migrations for their database alone (0001, 0002,
        # 0003): each is hundreds of MB at the seed's scale, written with every append.

    def __str__(self) -> str:
        return f"{self.position} {self.stream}@{self.version} {self.type}"


class ProjectionCheckpoint(models.Model):
    """How far an async projection has folded the ledger: the pair (tx, position), `reading.Position`."""

    name = models.CharField(max_length=100, primary_key=True)
    tx = models.BigIntegerField(default=0)
    position = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "ledger_checkpoint"

    def __str__(self) -> str:
        return f"{self.name} @ ({self.tx}, {self.position})"
