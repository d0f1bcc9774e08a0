"""The public form of the campaigns' facts (ledger/public.py): all of them, whole.

A campaign is public from its launch: its names, period, kinds and targets per region are what the
campaign pages and the plan-versus-fact figures show, and its facts name no person (who launched
or revised it is in the fact's meta, which the feed does not show).
"""

from __future__ import annotations

from ledger.public import PublicView, public_form


@public_form("CampaignLaunched", fields=("campaign_id", "name", "description", "starts_on", "ends_on", "event_kinds"))
@public_form("CampaignTargetsSet", fields=("campaign_id", "targets", "reason"))
@public_form("CampaignClosed", fields=("campaign_id", "reason"))
def _whole(fact: PublicView) -> dict:
    return dict(fact.data)
