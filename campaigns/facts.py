"""Fact types of campaigns. Stream: `campaign-<campaign_id>`."""

import datetime as dt
import uuid
from dataclasses import dataclass

from ledger.facts import fact_type

# Metrics a campaign can set targets for (per region). Waste is in kilograms, area in hectares;
# dumps_liquidated counts the illegal dumps the campaign's events cleared (dumps.facts.DumpLiquidated).
TARGET_METRICS = ("events", "participants", "waste_kg", "trees", "area_ha", "dumps_liquidated")
EVENT_KINDS = ("cleanup", "tree_planting", "area_cleanup")


@fact_type("CampaignLaunched")
@dataclass(frozen=True)
class CampaignLaunched:
    campaign_id: uuid.UUID
    name: dict[str, str]  # {"kk": …, "ru": …, "en": …}
    description: dict[str, str]
    starts_on: dt.date
    ends_on: dt.date
    event_kinds: list[str]


@fact_type("CampaignTargetsSet")
@dataclass(frozen=True)
class CampaignTargetsSet:
    """The targets from now on, for the regions and metrics named (a revision replaces those)."""

    campaign_id: uuid.UUID
    targets: list[dict[str, str]]  # [{"region": "KZ-10", "metric": "trees", "value": "120000"}]
    reason: str = ""


@fact_type("CampaignClosed")
@dataclass(frozen=True)
class CampaignClosed:
    campaign_id: uuid.UUID
    reason: str = ""


__all__ = ["CampaignClosed", "CampaignLaunched", "CampaignTargetsSet", "EVENT_KINDS", "TARGET_METRICS"]
