"""The inline projection of campaign streams: the campaign, its targets in force, every revision."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from campaigns.models import Campaign, CampaignTarget, CampaignTargetRevision
from ledger.projections import InlineProjection, register
from ledger.store import StoredFact


@register
class CampaignProjection(InlineProjection):
    """Inline, because a service must see a campaign's status and version to decide the next fact."""

    name = "campaigns.campaign"
    handles = frozenset({"CampaignLaunched", "CampaignTargetsSet", "CampaignClosed"})
    models = (Campaign, CampaignTarget, CampaignTargetRevision)

    def apply(self, fact: StoredFact) -> None:
        data = fact.data
        campaign_id = uuid.UUID(data["campaign_id"])
        if fact.type == "CampaignLaunched":
            _launched(campaign_id, data, fact)
            return
        if fact.type == "CampaignTargetsSet":
            _targets_set(campaign_id, data, fact)
            updates: dict = {"version": fact.version}
        else:  # CampaignClosed
            updates = {"version": fact.version, "status": Campaign.Status.CLOSED, "closed_at": fact.occurred_at}
        Campaign.objects.filter(pk=campaign_id).update(**updates)


def _launched(campaign_id: uuid.UUID, data: dict, fact: StoredFact) -> None:
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


def _targets_set(campaign_id: uuid.UUID, data: dict, fact: StoredFact) -> None:
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
