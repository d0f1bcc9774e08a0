"""The projection tables of campaign facts: campaigns and their targets per region and metric."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from reference.models import Region


class Campaign(models.Model):
    """Projection of a campaign stream (inline): what pages and services read."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    id = models.UUIDField(primary_key=True)  # the campaign_id of its facts
    name_kk = models.CharField(_("name in Kazakh"), max_length=200)
    name_ru = models.CharField(_("name in Russian"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    description_kk = models.TextField(_("description in Kazakh"), blank=True)
    description_ru = models.TextField(_("description in Russian"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    event_kinds = models.JSONField(_("kinds of events"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    version = models.PositiveIntegerField(default=0)  # the stream version this row reflects
    launched_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "name_en"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        lang = (get_language() or "kk")[:2]
        return getattr(self, f"name_{lang}", None) or self.name_kk

    @property
    def description(self) -> str:
        lang = (get_language() or "kk")[:2]
        return getattr(self, f"description_{lang}", None) or self.description_kk


class CampaignTarget(models.Model):
    """The target in force for one region and metric of a campaign (latest revision wins)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    metric = models.CharField(max_length=20)  # campaigns.facts.TARGET_METRICS
    value = models.DecimalField(max_digits=16, decimal_places=3)
    revision = models.PositiveIntegerField()  # the stream version that set it

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "region", "metric"], name="campaign_target_unique"),
        ]
        ordering = ["campaign", "region", "metric"]

    def __str__(self) -> str:
        return f"{self.region_id} {self.metric} = {self.value}"


class CampaignTargetRevision(models.Model):
    """Every target ever set, so the history of revisions stays visible."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="target_revisions")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    metric = models.CharField(max_length=20)
    value = models.DecimalField(max_digits=16, decimal_places=3)
    revision = models.PositiveIntegerField()
    reason = models.TextField(blank=True)
    set_at = models.DateTimeField()

    class Meta:
        ordering = ["campaign", "revision", "region", "metric"]

    def __str__(self) -> str:
        return f"r{self.revision} {self.region_id} {self.metric} = {self.value}"
