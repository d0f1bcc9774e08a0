"""Campaign services: the facts they append, the projection rows those make, and what they refuse."""

import datetime as dt
from decimal import Decimal

import pytest

from campaigns.errors import CampaignAdminRequired, CampaignClosed, CampaignExists, CampaignInvalid, CampaignNotFound
from campaigns.models import Campaign, CampaignTarget, CampaignTargetRevision
from campaigns.services import Target, campaign_close, campaign_launch, campaign_targets_set
from ledger.models import Fact
from ledger.store import ConcurrencyConflict, IdempotencyConflict, read_stream
from tests.campaigns.conftest import NAME, spring_campaign

pytestmark = pytest.mark.django_db


def targets_in_force(campaign: Campaign) -> list[tuple[str, str, Decimal, int]]:
    return list(CampaignTarget.objects.filter(campaign=campaign).values_list("region", "metric", "value", "revision"))


def history(campaign: Campaign) -> list[tuple[int, str, str, Decimal, str]]:
    return list(
        CampaignTargetRevision.objects.filter(campaign=campaign).values_list(
            "revision", "region", "metric", "value", "reason"
        )
    )


# --- launch -----------------------------------------------------------------------------------------


def test_launch_appends_the_campaign_and_its_first_targets(admin):
    # Given an admin, when they launch a campaign with two targets
    campaign = campaign_launch(actor=admin, **spring_campaign())

    # then its stream holds exactly these two facts
    facts = read_stream(f"campaign-{campaign.id}")
    assert [(f.version, f.type) for f in facts] == [(1, "CampaignLaunched"), (2, "CampaignTargetsSet")]
    assert facts[0].data == {
        "campaign_id": str(campaign.id),
        "name": NAME,
        "description": {"kk": "", "ru": "", "en": "Spring clean-ups and tree planting."},
        "starts_on": "2026-03-21",
        "ends_on": "2026-05-31",
        "event_kinds": ["cleanup", "tree_planting"],  # in the vocabulary's order, whatever the input's
    }
    assert facts[1].data == {
        "campaign_id": str(campaign.id),
        "targets": [
            {"region": "KZ-10", "metric": "trees", "value": "60000"},
            {"region": "KZ-75", "metric": "waste_kg", "value": "2500000.5"},
        ],
        "reason": "",
    }
    assert facts[0].meta == {
        "actor_id": str(admin.volunteer_id),
        "causation_id": None,
        "correlation_id": None,
        "source": "web",
    }
    # and the projection shows the open campaign at version 2 with its targets in force
    row = Campaign.objects.get(pk=campaign.id)
    assert (row.name_kk, row.name_ru, row.name_en) == (NAME["kk"], NAME["ru"], NAME["en"])
    assert (row.starts_on, row.ends_on) == (dt.date(2026, 3, 21), dt.date(2026, 5, 31))
    assert (row.event_kinds, row.status, row.version, row.closed_at) == (["cleanup", "tree_planting"], "open", 2, None)
    assert row.launched_at == facts[0].occurred_at
    assert targets_in_force(row) == [
        ("KZ-10", "trees", Decimal("60000"), 2),
        ("KZ-75", "waste_kg", Decimal("2500000.5"), 2),
    ]
    assert history(row) == [
        (2, "KZ-10", "trees", Decimal("60000"), ""),
        (2, "KZ-75", "waste_kg", Decimal("2500000.5"), ""),
    ]


def test_launch_without_targets_appends_one_fact(admin):
    campaign = campaign_launch(actor=admin, **spring_campaign(targets=[]))

    assert [f.type for f in read_stream(f"campaign-{campaign.id}")] == ["CampaignLaunched"]
    assert (campaign.version, targets_in_force(campaign)) == (1, [])


def test_a_superuser_may_launch(superuser):
    campaign = campaign_launch(actor=superuser, **spring_campaign())

    assert campaign.status == "open"


def test_launch_with_an_id_already_used_is_refused(admin, campaign):
    facts_before = Fact.objects.count()

    with pytest.raises(CampaignExists) as refused:
        campaign_launch(actor=admin, **spring_campaign(campaign_id=campaign.id))

    assert (refused.value.code, refused.value.status_code) == ("campaign_exists", 409)
    assert Fact.objects.count() == facts_before


@pytest.mark.parametrize("role", ["volunteer", "organiser", "coordinator"])
def test_only_admins_write_campaigns(request, role, campaign):
    # Given a person who is not an admin and an open campaign
    person = request.getfixturevalue(role)
    facts_before = Fact.objects.count()

    # when they try each write, each is refused with 403 admin_required
    attempts = [
        lambda: campaign_launch(actor=person, **spring_campaign()),
        lambda: campaign_targets_set(actor=person, campaign_id=campaign.id, targets=[], reason="more"),
        lambda: campaign_close(actor=person, campaign_id=campaign.id, reason="done"),
    ]
    for attempt in attempts:
        with pytest.raises(CampaignAdminRequired) as refused:
            attempt()
        assert (refused.value.code, refused.value.status_code) == ("admin_required", 403)

    # and nothing was appended
    assert Fact.objects.count() == facts_before


# --- validation -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        (
            {"name": {"kk": "Таза", "ru": "  ", "de": "Sauber"}},
            {
                "name": ["Unknown languages: de. Use kk, ru and en."],
                "name.ru": ["Give the name in Russian."],
                "name.en": ["Give the name in English."],
            },
        ),
        ({"name": "Taza"}, {"name": ["Give an object with the keys kk, ru and en."]}),
        ({"name": {**NAME, "en": "x" * 201}}, {"name.en": ["At most 200 characters."]}),
        (
            {"starts_on": dt.date(2026, 6, 1), "ends_on": dt.date(2026, 5, 31)},
            {"ends_on": ["The campaign cannot end before it starts."]},
        ),
        (
            {"starts_on": "2026-03-21", "ends_on": dt.datetime(2026, 5, 31, tzinfo=dt.UTC)},
            {"starts_on": ["Give a date."], "ends_on": ["Give a date."]},
        ),
        ({"event_kinds": []}, {"event_kinds": ["Choose at least one kind of event."]}),
        (
            {"event_kinds": ["cleanup", "marathon"]},
            {"event_kinds": ["Unknown kinds: marathon. Choose from cleanup, tree_planting, area_cleanup."]},
        ),
        (
            {
                "targets": [
                    {"region": "KZ-99", "metric": "trees", "value": 10},
                    {"region": "KZ-10", "metric": "tonnes", "value": 10},
                    {"region": "KZ-10", "metric": "trees", "value": -1},
                    {"region": "KZ-15", "metric": "trees", "value": "12.5"},
                    {"region": "KZ-10", "metric": "area_ha", "value": "0.0001"},
                    {"region": "KZ-10", "metric": "waste_kg", "value": "lots"},
                    {"region": "KZ-15", "metric": "waste_kg", "value": "1e13"},
                    {"region": "KZ-11", "metric": "events", "value": 5},
                    {"region": "KZ-11", "metric": "events", "value": 6},
                ]
            },
            {
                "targets.0.region": ["There is no region 'KZ-99'."],
                "targets.1.metric": [
                    "Unknown metric 'tonnes'. Choose from events, participants, waste_kg, trees, area_ha, "
                    "dumps_liquidated."
                ],
                "targets.2.value": ["A target cannot be negative."],
                "targets.3.value": ["Give a whole number."],
                "targets.4.value": ["Use at most 3 decimal places."],
                "targets.5.value": ["Give a number."],
                "targets.6.value": ["This target is too large."],
                "targets.8": ["KZ-11 events is given twice."],
            },
        ),
    ],
    ids=["names", "name-not-an-object", "name-too-long", "period", "not-dates", "no-kinds", "unknown-kind", "targets"],
)
def test_launch_refuses_invalid_input_and_appends_nothing(admin, overrides, fields):
    facts_before = Fact.objects.count()

    with pytest.raises(CampaignInvalid) as refused:
        campaign_launch(actor=admin, **spring_campaign(**overrides))

    assert (refused.value.code, refused.value.status_code) == ("campaign_invalid", 400)
    assert refused.value.fields == fields
    assert (Fact.objects.count(), Campaign.objects.count()) == (facts_before, 0)


def test_a_target_may_be_zero_and_is_stored_without_trailing_zeros(admin):
    campaign = campaign_launch(
        actor=admin,
        **spring_campaign(
            targets=[Target("KZ-62", "trees", "0"), {"region": "KZ-62", "metric": "area_ha", "value": "12.500"}]
        ),
    )

    assert read_stream(f"campaign-{campaign.id}")[1].data["targets"] == [
        {"region": "KZ-62", "metric": "trees", "value": "0"},
        {"region": "KZ-62", "metric": "area_ha", "value": "12.5"},
    ]


# --- revisions ----------------------------------------------------------------------------------------


def test_a_revision_changes_the_targets_named_and_keeps_the_history(admin, campaign):
    # Given the campaign at version 2 with trees in KZ-10 and waste in KZ-75
    # when the admin raises the trees and adds a target for a new region
    revised = campaign_targets_set(
        actor=admin,
        campaign_id=campaign.id,
        targets=[Target("KZ-10", "trees", Decimal("75000")), Target("KZ-62", "participants", Decimal("4000"))],
        reason="The akimat added 15 000 seedlings.",
        expected_version=2,
    )

    # then one fact is appended
    fact = read_stream(f"campaign-{campaign.id}")[-1]
    assert (fact.version, fact.type) == (3, "CampaignTargetsSet")
    assert fact.data == {
        "campaign_id": str(campaign.id),
        "targets": [
            {"region": "KZ-10", "metric": "trees", "value": "75000"},
            {"region": "KZ-62", "metric": "participants", "value": "4000"},
        ],
        "reason": "The akimat added 15 000 seedlings.",
    }
    # the targets in force take the new values, the one not named keeps its own
    assert revised.version == 3
    assert targets_in_force(revised) == [
        ("KZ-10", "trees", Decimal("75000"), 3),
        ("KZ-62", "participants", Decimal("4000"), 3),
        ("KZ-75", "waste_kg", Decimal("2500000.5"), 2),
    ]
    # and the history shows both revisions of the trees target
    assert history(revised) == [
        (2, "KZ-10", "trees", Decimal("60000"), ""),
        (2, "KZ-75", "waste_kg", Decimal("2500000.5"), ""),
        (3, "KZ-10", "trees", Decimal("75000"), "The akimat added 15 000 seedlings."),
        (3, "KZ-62", "participants", Decimal("4000"), "The akimat added 15 000 seedlings."),
    ]


def test_a_revision_based_on_an_old_version_conflicts(admin, campaign):
    # Given two admins who both read version 2, and the first revised the targets
    campaign_targets_set(actor=admin, campaign_id=campaign.id, targets=[Target("KZ-10", "trees", 1)], reason="a")
    facts_before = Fact.objects.count()

    # when the second sends their revision based on version 2
    with pytest.raises(ConcurrencyConflict) as refused:
        campaign_targets_set(
            actor=admin, campaign_id=campaign.id, targets=[Target("KZ-10", "trees", 2)], reason="b", expected_version=2
        )

    # then it is refused with 409 version_conflict and nothing is appended
    assert (refused.value.code, refused.value.status_code) == ("version_conflict", 409)
    assert refused.value.fields == {"expected_version": ["The campaign is at version 3."]}
    assert Fact.objects.count() == facts_before
    assert targets_in_force(campaign)[0] == ("KZ-10", "trees", Decimal("1"), 3)


def test_a_revision_needs_targets_and_a_reason(admin, campaign):
    facts_before = Fact.objects.count()

    with pytest.raises(CampaignInvalid) as refused:
        campaign_targets_set(actor=admin, campaign_id=campaign.id, targets=[], reason=" ")

    assert refused.value.fields == {"targets": ["Give at least one target."], "reason": ["Say why."]}
    assert Fact.objects.count() == facts_before


def test_a_revision_of_an_unknown_campaign_is_not_found(admin):
    with pytest.raises(CampaignNotFound) as refused:
        campaign_targets_set(actor=admin, campaign_id="not-a-uuid", targets=[Target("KZ-10", "trees", 1)], reason="a")

    assert (refused.value.code, refused.value.status_code) == ("campaign_not_found", 404)


# --- close ------------------------------------------------------------------------------------------


def test_a_closed_campaign_refuses_further_changes(admin, campaign):
    # Given the admin closes the campaign
    closed = campaign_close(actor=admin, campaign_id=campaign.id, reason="The spring is over.")

    fact = read_stream(f"campaign-{campaign.id}")[-1]
    assert (fact.version, fact.type, fact.data) == (
        3,
        "CampaignClosed",
        {"campaign_id": str(campaign.id), "reason": "The spring is over."},
    )
    assert (closed.status, closed.version, closed.closed_at) == ("closed", 3, fact.occurred_at)
    facts_before = Fact.objects.count()

    # when they try to revise its targets or close it again, both are refused with 409 campaign_closed
    with pytest.raises(CampaignClosed) as revise:
        campaign_targets_set(actor=admin, campaign_id=campaign.id, targets=[Target("KZ-10", "trees", 1)], reason="a")
    with pytest.raises(CampaignClosed) as close_again:
        campaign_close(actor=admin, campaign_id=campaign.id, reason="again")

    assert [(e.value.code, e.value.status_code) for e in (revise, close_again)] == [("campaign_closed", 409)] * 2
    # and nothing is appended
    assert Fact.objects.count() == facts_before


# --- idempotency ------------------------------------------------------------------------------------


def test_a_retried_launch_returns_the_same_campaign_and_appends_nothing(admin):
    first = campaign_launch(actor=admin, **spring_campaign(), idempotency_key="launch-spring-1")
    facts_after_first = Fact.objects.count()

    retry = campaign_launch(actor=admin, **spring_campaign(), idempotency_key="launch-spring-1")

    assert retry.id == first.id
    assert (Fact.objects.count(), Campaign.objects.count()) == (facts_after_first, 1)


def test_a_retried_close_answers_like_the_first_time(admin, campaign):
    campaign_close(actor=admin, campaign_id=campaign.id, reason="over", idempotency_key="close-1")
    facts_after_first = Fact.objects.count()

    # The campaign is closed now, yet the retry is not refused with campaign_closed.
    retry = campaign_close(actor=admin, campaign_id=campaign.id, reason="over", idempotency_key="close-1")

    assert (retry.status, retry.version) == ("closed", 3)
    assert Fact.objects.count() == facts_after_first


def test_a_retried_revision_appends_nothing_even_after_later_changes(admin, campaign):
    revision = {"campaign_id": campaign.id, "targets": [Target("KZ-10", "trees", 70000)], "reason": "more"}
    campaign_targets_set(actor=admin, **revision, expected_version=2, idempotency_key="rev-1")
    campaign_targets_set(actor=admin, campaign_id=campaign.id, targets=[Target("KZ-10", "trees", 80000)], reason="b")
    facts_before = Fact.objects.count()

    # A late retry of the first revision does not conflict on its old version nor undo the second.
    retry = campaign_targets_set(actor=admin, **revision, expected_version=2, idempotency_key="rev-1")

    assert Fact.objects.count() == facts_before
    assert targets_in_force(retry)[0] == ("KZ-10", "trees", Decimal("80000"), 4)


def test_a_key_reused_for_a_different_request_is_refused(admin, campaign):
    campaign_targets_set(
        actor=admin, campaign_id=campaign.id, targets=[Target("KZ-10", "trees", 1)], reason="a", idempotency_key="k"
    )
    facts_before = Fact.objects.count()

    with pytest.raises(IdempotencyConflict) as refused:
        campaign_targets_set(
            actor=admin, campaign_id=campaign.id, targets=[Target("KZ-10", "trees", 2)], reason="a", idempotency_key="k"
        )

    assert (refused.value.code, refused.value.status_code) == ("idempotency_conflict", 409)
    assert refused.value.message == "This Idempotency-Key was used for a different request."
    assert Fact.objects.count() == facts_before


def test_the_same_key_from_two_admins_makes_two_campaigns(admin, superuser):
    one = campaign_launch(actor=admin, **spring_campaign(), idempotency_key="spring")
    two = campaign_launch(actor=superuser, **spring_campaign(), idempotency_key="spring")

    assert one.id != two.id
    assert Campaign.objects.count() == 2
