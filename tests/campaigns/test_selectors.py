"""Selectors other apps rely on: whether a campaign accepts an event, and the target history."""

import datetime as dt
from decimal import Decimal

import pytest

from campaigns.errors import CampaignClosed, CampaignNotAcceptingEvents, CampaignNotFound
from campaigns.selectors import campaign_accepting_events, campaign_list, campaign_target_history
from campaigns.services import Target, campaign_close, campaign_targets_set

pytestmark = pytest.mark.django_db


def test_an_open_campaign_accepts_a_kind_it_covers_within_its_period(campaign):
    accepted = campaign_accepting_events(campaign_id=campaign.id, kind="cleanup", on_date=dt.date(2026, 5, 31))

    assert accepted == campaign


@pytest.mark.parametrize(
    ("kind", "on_date", "fields"),
    [
        ("area_cleanup", dt.date(2026, 4, 1), {"kind": ["This campaign covers only: cleanup, tree_planting."]}),
        ("cleanup", dt.date(2026, 3, 20), {"starts_at": ["The campaign runs from March 21, 2026 to May 31, 2026."]}),
        ("cleanup", dt.date(2026, 6, 1), {"starts_at": ["The campaign runs from March 21, 2026 to May 31, 2026."]}),
    ],
    ids=["kind-not-covered", "day-before", "day-after"],
)
def test_a_campaign_refuses_events_it_does_not_cover(campaign, kind, on_date, fields):
    with pytest.raises(CampaignNotAcceptingEvents) as refused:
        campaign_accepting_events(campaign_id=campaign.id, kind=kind, on_date=on_date)

    assert (refused.value.code, refused.value.status_code, refused.value.fields) == (
        "campaign_not_accepting_events",
        400,
        fields,
    )


def test_a_closed_campaign_accepts_no_events(admin, campaign):
    campaign_close(actor=admin, campaign_id=campaign.id, reason="over")

    with pytest.raises(CampaignClosed) as refused:
        campaign_accepting_events(campaign_id=campaign.id, kind="cleanup", on_date=dt.date(2026, 4, 1))

    assert (refused.value.code, refused.value.status_code) == ("campaign_closed", 409)
    assert refused.value.fields == {"campaign_id": ["The campaign is closed."]}


def test_an_unknown_campaign_accepts_no_events(db):
    with pytest.raises(CampaignNotFound) as refused:
        campaign_accepting_events(campaign_id="9d1c0b3a-0000-4000-8000-000000000000", kind="cleanup")

    assert (refused.value.code, refused.value.status_code) == ("campaign_not_found", 404)


def test_the_target_history_filters_by_region_and_metric(admin, campaign):
    campaign_targets_set(actor=admin, campaign_id=campaign.id, targets=[Target("KZ-10", "trees", 70000)], reason="a")

    rows = campaign_target_history(campaign_id=campaign.id, region="KZ-10", metric="trees")

    assert [(r.revision, r.value, r.reason) for r in rows] == [(2, Decimal("60000"), ""), (3, Decimal("70000"), "a")]


def test_campaigns_active_on_a_day(campaign):
    assert list(campaign_list(active_on=dt.date(2026, 3, 21))) == [campaign]
    assert list(campaign_list(active_on=dt.date(2026, 3, 20))) == []
    assert list(campaign_list(status="closed")) == []
