"""The campaign projection rebuilt from the ledger equals the tables the live appends made."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from campaigns.models import Campaign, CampaignTarget, CampaignTargetRevision
from campaigns.services import Target, campaign_close, campaign_launch, campaign_targets_set
from ledger import projections
from tests.campaigns.conftest import spring_campaign

pytestmark = pytest.mark.django_db


def tables() -> dict[str, list[dict]]:
    """The projection's rows without their surrogate ids (a rebuild numbers them anew)."""
    return {
        "campaigns": list(Campaign.objects.order_by("id").values()),
        "targets": list(
            CampaignTarget.objects.order_by("campaign", "region", "metric").values(
                "campaign", "region", "metric", "value", "revision"
            )
        ),
        "revisions": list(
            CampaignTargetRevision.objects.order_by("campaign", "revision", "region", "metric").values(
                "campaign", "revision", "region", "metric", "value", "reason", "set_at"
            )
        ),
    }


def test_the_projection_is_registered_with_its_tables():
    projection = projections.get("campaigns.campaign")

    assert isinstance(projection, projections.InlineProjection)
    assert projection.handles == {"CampaignLaunched", "CampaignTargetsSet", "CampaignClosed"}
    assert projection.models == (Campaign, CampaignTarget, CampaignTargetRevision)


def test_a_rebuild_from_the_ledger_equals_the_live_tables(admin):
    # Given campaigns launched, revised several times and closed
    spring = campaign_launch(actor=admin, **spring_campaign())
    campaign_targets_set(
        actor=admin, campaign_id=spring.id, targets=[Target("KZ-10", "trees", Decimal("70000"))], reason="more"
    )
    campaign_targets_set(
        actor=admin,
        campaign_id=spring.id,
        targets=[Target("KZ-10", "trees", Decimal("65000")), Target("KZ-19", "area_ha", Decimal("120.25"))],
        reason="fewer seedlings",
    )
    autumn = campaign_launch(
        actor=admin, **spring_campaign(starts_on=dt.date(2026, 9, 1), ends_on=dt.date(2026, 10, 31), targets=[])
    )
    campaign_close(actor=admin, campaign_id=autumn.id, reason="cancelled")
    live = tables()
    assert (len(live["campaigns"]), len(live["targets"]), len(live["revisions"])) == (2, 3, 5)

    # when the projection is emptied and rebuilt from the ledger
    out = StringIO()
    call_command("ledger", "rebuild", "campaigns.campaign", stdout=out)

    # then the tables are equal to the live ones, row for row
    assert out.getvalue() == "campaigns.campaign: rebuilt from 6 facts\n"
    assert tables() == live
