"""What the regional view keeps of each instance: its mirror's state and the public facts mirrored.

Only public facts cross into the regional view (the feed's public form, as served), so no personal
data crosses a border. A mirror's state and its facts change together, in one transaction a batch
(services.instance_mirror): `size` leaves are mirrored exactly when `size` rows are.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InstanceMirror(models.Model):
    class Status(models.TextChoices):
        OK = "ok", _("verified and up to date")
        LAGGING = "lagging", _("behind its latest checkpoint")
        FORKED = "forked", _("forked: its log contradicts what it signed")
        SILENT = "silent", _("silent: not reachable, or no recent checkpoint")

    country = models.CharField(_("country"), max_length=2, primary_key=True)
    url = models.CharField(_("address"), max_length=300)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.SILENT)
    # The last verified checkpoint: the tree of the `size` leaves mirrored, its root, the note as served.
    size = models.PositiveBigIntegerField(_("tree size verified"), default=0)
    root = models.BinaryField(_("root hash"), max_length=32, default=bytes)
    note = models.TextField(_("signed checkpoint"), blank=True)
    checkpoint_published_at = models.DateTimeField(_("checkpoint published at"), null=True, blank=True)
    # The mirror's own tree (tree.py: the compact range, base64) and where its next batch reads the feed.
    peaks = models.JSONField(default=list)
    last_position = models.BigIntegerField(_("feed position of the last leaf mirrored"), default=0)
    seen_size = models.PositiveBigIntegerField(_("tree size of the latest checkpoint seen"), default=0)
    verified_at = models.DateTimeField(_("last verified at"), null=True, blank=True)
    attempted_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    # The figures recounted from the mirrored facts, as of `size` (services.py), and when they were.
    figures = models.JSONField(default=dict)
    figures_at = models.DateTimeField(_("figures as of"), null=True, blank=True)

    class Meta:
        ordering = ["country"]
        verbose_name = _("instance mirror")
        verbose_name_plural = _("instance mirrors")

    def __str__(self) -> str:
        return f"{self.country} ({self.status}, {self.size})"


class MirroredFact(models.Model):
    instance = models.ForeignKey(InstanceMirror, on_delete=models.PROTECT, related_name="facts")
    leaf_index = models.PositiveBigIntegerField()
    position = models.BigIntegerField()
    fact = models.JSONField()  # the feed item exactly as served, leaf_index included

    class Meta:
        constraints = [models.UniqueConstraint(fields=["instance", "leaf_index"], name="regional_fact_once")]
        verbose_name = _("mirrored fact")
        verbose_name_plural = _("mirrored facts")

    def __str__(self) -> str:
        return f"{self.instance_id} leaf {self.leaf_index}"
