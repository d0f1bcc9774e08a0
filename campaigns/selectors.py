"""Reads of campaigns and their targets, from the projection tables."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from campaigns.errors import CampaignClosed, CampaignNotAcceptingEvents, CampaignNotFound
from campaigns.models import Campaign, CampaignTarget, CampaignTargetRevision
from config.days import day_text


def campaign_list(*, status: str | None = None, active_on: dt.date | None = None) -> QuerySet[Campaign]:
    """Campaigns, newest first; `active_on` keeps those whose period contains that day."""
    campaigns = Campaign.objects.all()
    if status is not None:
        campaigns = campaigns.filter(status=status)
    if active_on is not None:
        campaigns = campaigns.filter(starts_on__lte=active_on, ends_on__gte=active_on)
    return campaigns.order_by("-starts_on", "name_en", "id")


def campaigns_accepting_events(*, today: dt.date) -> QuerySet[Campaign]:
    """The campaigns an event proposed today may belong to: open, and not ended (the campaign's
    last day is the last day an event may end, `campaign_accepting_events`)."""
    return campaign_list(status=Campaign.Status.OPEN).filter(ends_on__gte=today)


def campaign_get(*, campaign_id: uuid.UUID | str) -> Campaign:
    try:
        return Campaign.objects.get(pk=campaign_id)
    except (Campaign.DoesNotExist, ValidationError, ValueError):
        raise CampaignNotFound(fields={"campaign_id": [_("There is no such campaign.")]}) from None


def campaign_targets(*, campaign_id: uuid.UUID | str) -> QuerySet[CampaignTarget]:
    """The targets in force: the latest revision for each region and metric."""
    return CampaignTarget.objects.filter(campaign_id=campaign_id).select_related("region").order_by("region", "metric")


def campaign_target_history(
    *, campaign_id: uuid.UUID | str, region: str | None = None, metric: str | None = None
) -> QuerySet[CampaignTargetRevision]:
    """Every target ever set, oldest revision first."""
    revisions = CampaignTargetRevision.objects.filter(campaign_id=campaign_id).select_related("region")
    if region is not None:
        revisions = revisions.filter(region_id=region)
    if metric is not None:
        revisions = revisions.filter(metric=metric)
    return revisions.order_by("revision", "region", "metric")


def campaign_accepting_events(
    *, campaign_id: uuid.UUID | str, kind: str, on_date: dt.date | None = None, until_date: dt.date | None = None
) -> Campaign:
    """The campaign an event of `kind` held from `on_date` to `until_date` may belong to, or a refusal
    saying why: the event starts and ends within the campaign's days.

    For event services: raises `CampaignNotFound` (404), `CampaignClosed` (409) or
    `CampaignNotAcceptingEvents` (400, with the field `kind`, `starts_at` or `ends_at`).
    """
    campaign = campaign_get(campaign_id=campaign_id)
    if campaign.status != Campaign.Status.OPEN:
        raise CampaignClosed(fields={"campaign_id": [_("The campaign is closed.")]})
    if kind not in campaign.event_kinds:
        raise CampaignNotAcceptingEvents(
            fields={"kind": [_("This campaign covers only: %(kinds)s.") % {"kinds": ", ".join(campaign.event_kinds)}]}
        )
    if on_date is not None and not campaign.starts_on <= on_date <= campaign.ends_on:
        raise CampaignNotAcceptingEvents(
            fields={
                "starts_at": [
                    _("The campaign runs from %(start)s to %(end)s.")
                    % {"start": day_text(campaign.starts_on), "end": day_text(campaign.ends_on)}
                ]
            }
        )
    if until_date is not None and until_date > campaign.ends_on:
        raise CampaignNotAcceptingEvents(
            fields={
                "ends_at": [
                    _("The campaign ends on %(end)s: the event must end by then.") % {"end": day_text(campaign.ends_on)}
                ]
            }
        )
    return campaign
