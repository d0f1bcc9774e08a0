"""The projection table of dump streams (inline): one row per dump, what pages, APIs and services read."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dumps.facts import ORIGINS, SIZES
from reference.models import Region


class Dump(models.Model):
    """Projection of one dump stream. `version` is the stream version the row reflects."""

    class Status(models.TextChoices):
        REPORTED = "reported", _("reported")
        CONFIRMED = "confirmed", _("confirmed")
        DISMISSED = "dismissed", _("dismissed")
        MERGED = "merged", _("merged into another dump")
        LIQUIDATED = "liquidated", _("liquidated")

    id = models.UUIDField(primary_key=True)  # the dump_id of its facts
    origin = models.CharField(_("origin"), max_length=12, choices=[(o, o) for o in ORIGINS])
    source = models.CharField(_("monitoring source"), max_length=100, blank=True)
    source_id = models.CharField(_("the source's id"), max_length=100, blank=True)
    row_digest = models.CharField(max_length=64, blank=True)  # of the last imported row
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    size = models.CharField(_("size"), max_length=12, choices=[(s, s) for s in SIZES])
    area_m2 = models.DecimalField(_("area, m²"), max_digits=12, decimal_places=2, null=True, blank=True)
    waste_kinds = models.JSONField(_("kinds of waste"), default=list)
    note = models.TextField(_("note"), blank=True)
    photo_ids = models.JSONField(default=list)
    detected_on = models.DateField(_("detected on"), null=True, blank=True)
    reporter_id = models.UUIDField(null=True, blank=True, db_index=True)  # never shown publicly
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    status_reason = models.TextField(_("reason"), blank=True)  # of the last decision
    # Public from its confirmation (a report) or its import (monitoring), for ever: public.py.
    published = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)
    hidden_reason = models.TextField(blank=True)
    event_id = models.UUIDField(null=True, blank=True, db_index=True)  # the linked clean-up event
    cleared_by_event_id = models.UUIDField(null=True, blank=True)  # the event that liquidated it
    # No constraint in the database: the ledger keeps the rows consistent, and a rebuild empties the
    # table in one statement, merged reports and the dumps they name alike.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="merged"
    )
    reports_merged = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=0)
    reported_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    liquidated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-reported_at", "id"]
        verbose_name = _("dump")
        verbose_name_plural = _("dumps")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"], condition=~models.Q(source=""), name="dump_source_id_unique"
            )
        ]
        indexes = [
            models.Index(fields=["region", "status"], name="dump_region_status"),
            models.Index(fields=["latitude", "longitude"], name="dump_point"),
            models.Index(fields=["reporter_id", "reported_at"], name="dump_reporter_time"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.status} ({self.latitude:.5f}, {self.longitude:.5f})"

    @property
    def is_open(self) -> bool:
        """Still on the ground: known (reported or confirmed) and not cleared."""
        return self.status in (self.Status.REPORTED, self.Status.CONFIRMED) and not self.hidden
