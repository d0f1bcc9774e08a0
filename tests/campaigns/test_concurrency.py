"""Two admins at the same moment, for real: separate connections to PostgreSQL, released together."""

import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection, connections

from campaigns.models import Campaign, CampaignTarget
from campaigns.services import Target, campaign_launch, campaign_targets_set
from config.errors import DomainError
from ledger.models import Fact
from tests.campaigns.conftest import spring_campaign

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent writers"),
]


def at_once(*calls: Callable[[], object]) -> list[object]:
    """Run the calls in threads started together; each result is a return value or a DomainError."""
    start = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        start.wait()
        try:
            results[index] = call()
        except DomainError as refusal:
            results[index] = refusal
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_of_two_revisions_based_on_the_same_version_exactly_one_lands(admin, campaign):
    def revise(value: int) -> Callable[[], object]:
        return lambda: campaign_targets_set(
            actor=admin,
            campaign_id=campaign.id,
            targets=[Target("KZ-10", "trees", value)],
            reason=f"to {value}",
            expected_version=2,
        )

    results = at_once(revise(70000), revise(80000))

    landed = [r for r in results if isinstance(r, Campaign)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert (len(landed), [r.code for r in refused]) == (1, ["version_conflict"])
    target = CampaignTarget.objects.get(campaign=campaign, region="KZ-10", metric="trees")
    assert (target.revision, Fact.objects.filter(stream=f"campaign-{campaign.id}").count()) == (3, 3)
    assert target.value in {Decimal("70000"), Decimal("80000")}


def test_two_copies_of_a_keyed_launch_make_one_campaign(admin):
    def launch() -> Campaign:
        return campaign_launch(actor=admin, **spring_campaign(), idempotency_key="spring-2026")

    first, second = at_once(launch, launch)

    assert isinstance(first, Campaign) and isinstance(second, Campaign)
    assert first.id == second.id
    # (the admin's own role is a fact too, on their volunteer stream)
    assert (Campaign.objects.count(), Fact.objects.filter(stream__startswith="campaign-").count()) == (1, 2)
