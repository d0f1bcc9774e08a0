"""The errata log's tables (the `opendata.errata` projection) and the releases made.

The errata tables are a projection: dropped and rebuilt from the ledger by `ledger rebuild
opendata.errata`. A `Release` is not: it is the record of files already published, and what was
published is never made again differently, so a release row is written once and never changed.
"""

from __future__ import annotations

from django.db import models


class ErrataEvent(models.Model):
    """What the errata need to know of one event to state the figures before and after a change:
    where it is, whether it is public, every result logged and the figures verified now."""

    event_id = models.UUIDField(primary_key=True)
    campaign_id = models.UUIDField()
    region = models.CharField(max_length=8)
    approved = models.BooleanField(default=False)
    results = models.JSONField(default=dict)  # str(stream version) -> figures (stats.metrics, stored units)
    latest = models.PositiveIntegerField(null=True)  # stream version of the latest ResultLogged
    verified = models.JSONField(null=True)  # the figures that count as verified now, if any
    volunteers = models.PositiveIntegerField(default=0)  # distinct volunteers checked in now

    def __str__(self) -> str:
        return f"{self.event_id} {self.region}"


class ErrataAttendance(models.Model):
    """A volunteer checked in at an event now (so an undone check-in knows the count before it)."""

    event_id = models.UUIDField()
    volunteer_id = models.UUIDField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event_id", "volunteer_id"], name="opendata_attendance_unique")]

    def __str__(self) -> str:
        return f"{self.volunteer_id} at {self.event_id}"


class Erratum(models.Model):
    """One published figure changed after the fact: a corrected result, a coordinator's adjustment
    or rejection, an undone check-in; with its reason and the figures before and after (public units)."""

    class Kind(models.TextChoices):
        CORRECTION = "correction"
        ADJUSTMENT = "adjustment"
        REJECTION = "rejection"
        CHECKIN_UNDONE = "checkin_undone"

    position = models.BigIntegerField(primary_key=True)  # the fact's ledger position
    fact_id = models.UUIDField()
    occurred_at = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    event_id = models.UUIDField()
    campaign_id = models.UUIDField(db_index=True)
    region = models.CharField(max_length=8, db_index=True)
    result_version = models.PositiveIntegerField(null=True)
    reason = models.TextField(blank=True)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)  # None: the event counts nowhere after it

    class Meta:
        verbose_name_plural = "errata"

    def __str__(self) -> str:
        return f"{self.position} {self.kind} {self.event_id}"


class Release(models.Model):
    """One open-data release: files in storage, the ledger position they reflect, never changed."""

    name = models.CharField(primary_key=True, max_length=40)  # taza-YYYY-MM-DD
    made_at = models.DateTimeField()
    as_of_position = models.BigIntegerField()
    as_of_time = models.DateTimeField(null=True)
    # The transparency log's checkpoint the release reflects, once that app exists (opendata.checkpoint).
    checkpoint = models.JSONField(null=True)
    license = models.CharField(max_length=40)
    files = models.JSONField()  # [{name, path, bytes, sha256, mediatype}], datapackage.json and zip included

    class Meta:
        ordering = ["-made_at"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("a release is immutable once made")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)
