"""The demo campaign: launched once through the services, with targets for every region and metric."""

from decimal import Decimal

import pytest

from campaigns.demo import DEMO_CAMPAIGN_ID, demo_campaign_ensure
from campaigns.models import Campaign, CampaignTarget, CampaignTargetRevision
from ledger.store import read_stream

pytestmark = pytest.mark.django_db


def test_the_demo_campaign_is_launched_once_with_targets_for_all_regions(admin):
    # Given a fresh database, when the demo loader ensures the campaign twice
    first = demo_campaign_ensure(actor=admin)
    second = demo_campaign_ensure(actor=admin)

    # then there is one campaign, launched, with one revision of its targets
    assert first.id == second.id == DEMO_CAMPAIGN_ID
    assert (Campaign.objects.count(), second.status, second.version) == (1, "open", 3)
    assert second.name_en == "Таза Қазақстан — Spring 2026"
    assert [f.type for f in read_stream(f"campaign-{DEMO_CAMPAIGN_ID}")] == [
        "CampaignLaunched",
        "CampaignTargetsSet",
        "CampaignTargetsSet",
    ]
    # five metrics for each of the 20 regions
    targets = CampaignTarget.objects.filter(campaign=second)
    assert targets.count() == 100
    assert set(targets.values_list("metric", flat=True)) == {"events", "participants", "waste_kg", "trees", "area_ha"}
    # figures from the population: Abai Region (600 000 people) and the city of Astana (1 367 000)
    assert dict(targets.filter(region="KZ-10").values_list("metric", "value")) == {
        "events": Decimal("17"),
        "participants": Decimal("84000"),
        "waste_kg": Decimal("10080000"),
        "trees": Decimal("37800"),
        "area_ha": Decimal("12600"),
    }
    assert dict(targets.filter(region="KZ-71").values_list("metric", "value")) == {
        "events": Decimal("38"),
        "participants": Decimal("191400"),
        "waste_kg": Decimal("22968000"),
        "trees": Decimal("51700"),
        "area_ha": Decimal("5740"),
    }
    # and Turkistan's trees were revised, the history keeping both values
    assert list(
        CampaignTargetRevision.objects.filter(region="KZ-61", metric="trees").values_list("revision", "value")
    ) == [(2, Decimal("134000")), (3, Decimal("174000"))]
