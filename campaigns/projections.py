"""The inline projection of campaign streams: the campaign, its targets in force, every revision."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from campaigns.facts import CampaignClosed, CampaignLaunched, CampaignTargetsSet
from campaigns.models import Campaign, CampaignTarget, CampaignTargetRevision
from ledger.projections import InlineProjection, handler, register
from ledger.stored import StoredFact


@register
class CampaignProjection(InlineProjection):
    """Inline, because a service must see a campaign's status and version to decide the next fact."""

    name = "campaigns.campaign"
    models = (Campaign, CampaignTarget, CampaignTargetRevision)

    @handler(CampaignLaunched)
    def _launched(self, fact: StoredFact, data: dict) -> None:
        campaign_id = uuid.UUID(data["campaign_id"])
        name, description = data["name"], data["description"]
        Campaign.objects.create(
            id=campaign_id,
            name_kk=name["kk"],
            name_ru=name["ru"],
            name_en=name["en"],
            description_kk=description.get("kk", ""),
            description_ru=description.get("ru", ""),
            description_en=description.get("en", ""),
            starts_on=dt.date.fromisoformat(data["starts_on"]),
            ends_on=dt.date.fromisoformat(data["ends_on"]),
            event_kinds=list(data["event_kinds"]),
            status=Campaign.Status.OPEN,
            version=fact.version,
            launched_at=fact.occurred_at,
        )

    @handler(CampaignTargetsSet)
    def _targets_set(self, fact: StoredFact, data: dict) -> None:
        campaign_id = uuid.UUID(data["campaign_id"])
        # A revision names some regions and metrics; those it does not name keep their target.
        CampaignTarget.objects.bulk_create(
            [
                CampaignTarget(
                    campaign_id=campaign_id,
                    region_id=target["region"],
                    metric=target["metric"],
                    value=Decimal(target["value"]),
                    revision=fact.version,
                )
                for target in data["targets"]
            ],
            update_conflicts=True,
            unique_fields=["campaign", "region", "metric"],
            update_fields=["value", "revision"],
        )
        CampaignTargetRevision.objects.bulk_create(
            [
                CampaignTargetRevision(
                    campaign_id=campaign_id,
                    region_id=target["region"],
                    metric=target["metric"],
                    value=Decimal(target["value"]),
                    revision=fact.version,
                    reason=data.get("reason", ""),
                    set_at=fact.occurred_at,
                )
                for target in data["targets"]
            ]
        )
        Campaign.objects.filter(pk=campaign_id).update(version=fact.version)

    @handler(CampaignClosed)
    def _closed(self, fact: StoredFact, data: dict) -> None:
        Campaign.objects.filter(pk=uuid.UUID(data["campaign_id"])).update(
            version=fact.version, status=Campaign.Status.CLOSED, closed_at=fact.occurred_at
        )
