"""`demo_history` appends a history whose totals are exactly the planned ones."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from campaigns.models import Campaign
from demo import history
from ledger.models import Fact
from ledger.projections import get
from ledger.stored import StoredFact
from stats import selectors


def run(*args) -> str:
    out = io.StringIO()
    call_command("demo_history", *args, stdout=out)
    return out.getvalue()


@pytest.mark.slow
def test_the_small_demo_has_exact_totals_and_a_second_run_appends_nothing(db):
    run()
    facts = Fact.objects.count()

    totals = selectors.national_totals()["total"]
    assert (totals["events"], totals["participants"], totals["trees"]) == (60, 4_500, 9_000)
    assert (totals["waste_kg"], totals["area_ha"]) == ("120000.000", "800.0000")
    assert "Appended 0 facts" in run()
    assert Fact.objects.count() == facts


@pytest.mark.slow
def test_a_fraction_of_the_seed_scale_is_exact_flags_the_named_regions_and_verifies(db):
    scale = history.SEED.fraction(0.002)

    run("--seed-scale", "--fraction", "0.002", "--accounts", "3")

    totals = selectors.national_totals()["total"]
    assert totals["events"] == scale.events == 20
    assert totals["participants"] == scale.participants == 13_800
    assert totals["volunteers"] == scale.checkins == 4_000
    assert totals["waste_kg"] == "1688000.000"
    assert (totals["trees"], totals["area_ha"]) == (5_800, "2000.0000")
    projection = get("stats.totals")
    assert projection.snapshot() == projection.compute(
        StoredFact.from_row(row) for row in Fact.objects.order_by("position")
    )
    now = history.uid("campaign", "Taza Qazaqstan now")
    behind = set(selectors.campaign_plan(campaign_id=str(now), on=timezone.localdate())["behind_regions"])
    assert behind <= set(history.BEHIND)
    assert behind
    campaign = Campaign.objects.get(pk=now)
    assert (campaign.name_kk, campaign.name_ru, campaign.name_en) == (
        "Таза Қазақстан: қазіргі науқан",
        "Таза Казахстан: текущая кампания",
        "Taza Qazaqstan now",
    )
