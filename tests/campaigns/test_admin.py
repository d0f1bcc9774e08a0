"""Django admin: campaigns are shown read-only; launching, revising and closing call the services."""

from decimal import Decimal

import pytest
from django.test import Client

from campaigns.models import Campaign, CampaignTarget
from ledger.models import Fact
from volunteers.roles import Role
from volunteers.services import role_grant


def campaign_facts():
    # The facts of campaigns: the admin of the fixtures was given the role as a fact of their own.
    return Fact.objects.filter(stream__startswith="campaign-")


pytestmark = pytest.mark.django_db

LAUNCH_FORM = {
    "name_kk": "Наурыз ағаштары",
    "name_ru": "Деревья к Наурызу",
    "name_en": "Nauryz tree planting",
    "description_en": "Trees before 21 March.",
    "starts_on": "2026-03-01",
    "ends_on": "2026-03-21",
    "event_kinds": ["tree_planting"],
    "targets": "KZ-71,trees,20000\nKZ-75, trees, 25000\n",
    "idempotency_key": "3b0d4c8e-launch-form",
}


@pytest.fixture
def admin_client(admin) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin)
    return client


def test_an_admin_sees_campaigns_read_only_with_targets_and_history(admin_client, campaign):
    changelist = admin_client.get("/admin/campaigns/campaign/")
    page = admin_client.get(f"/admin/campaigns/campaign/{campaign.pk}/change/")

    assert changelist.status_code == 200
    assert "Taza Kazakhstan — Spring 2026" in changelist.text
    assert "Launch a campaign" in changelist.text
    assert page.status_code == 200
    assert "Targets in force" in page.text and "History of targets" in page.text
    assert "Revise targets" in page.text
    # Read-only: no save button, and the add and delete pages do not exist for anyone.
    assert 'name="_save"' not in page.text
    assert admin_client.get("/admin/campaigns/campaign/add/").status_code == 403
    assert admin_client.get(f"/admin/campaigns/campaign/{campaign.pk}/delete/").status_code == 403


def test_the_service_forms_render(admin_client, campaign):
    launch = admin_client.get("/admin/campaigns/campaign/launch/")
    revise = admin_client.get(f"/admin/campaigns/campaign/{campaign.pk}/targets/")
    close = admin_client.get(f"/admin/campaigns/campaign/{campaign.pk}/close/")

    assert [r.status_code for r in (launch, revise, close)] == [200, 200, 200]
    assert 'name="name_kk"' in launch.text and 'name="idempotency_key"' in launch.text
    assert 'name="expected_version" value="2"' in revise.text
    assert "Close Taza Kazakhstan — Spring 2026" in close.text


def test_staff_who_are_not_admins_do_not_see_campaigns(organiser, campaign):
    organiser.is_staff = True
    organiser.save()
    client = Client()
    client.force_login(organiser)

    assert client.get("/admin/campaigns/campaign/").status_code == 403
    assert client.get("/admin/campaigns/campaign/launch/").status_code == 403


def test_launching_from_the_admin_calls_the_service(admin_client):
    response = admin_client.post("/admin/campaigns/campaign/launch/", LAUNCH_FORM)

    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response.url == f"/admin/campaigns/campaign/{campaign.pk}/change/"
    assert (campaign.name_en, campaign.event_kinds, campaign.version) == ("Nauryz tree planting", ["tree_planting"], 2)
    assert list(CampaignTarget.objects.values_list("region", "metric", "value")) == [
        ("KZ-71", "trees", Decimal("20000")),
        ("KZ-75", "trees", Decimal("25000")),
    ]
    # Through the Django admin: meta.source says so (ledger.context, by the path)
    assert list(campaign_facts().values_list("type", "meta__source")) == [
        ("CampaignLaunched", "admin"),
        ("CampaignTargetsSet", "admin"),
    ]


def test_submitting_the_launch_page_twice_launches_one_campaign(admin_client):
    first = admin_client.post("/admin/campaigns/campaign/launch/", LAUNCH_FORM)
    again = admin_client.post("/admin/campaigns/campaign/launch/", LAUNCH_FORM)

    assert (first.status_code, again.status_code, again.url) == (302, 302, first.url)
    assert (Campaign.objects.count(), campaign_facts().count()) == (1, 2)


def test_the_launch_form_shows_the_services_refusals_next_to_the_fields(admin_client):
    form = {**LAUNCH_FORM, "name_ru": "", "targets": "KZ-71,trees,20000\nKZ-99,trees,-1"}

    response = admin_client.post("/admin/campaigns/campaign/launch/", form)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors == {
        "name_ru": ["Give the name in Russian."],
        "targets": ["Line 2: There is no region 'KZ-99'.", "Line 2: A target cannot be negative."],
    }
    assert campaign_facts().count() == 0


def test_revising_and_closing_from_the_admin(admin_client, campaign):
    revised = admin_client.post(
        f"/admin/campaigns/campaign/{campaign.pk}/targets/",
        {"targets": "KZ-10,trees,75000", "reason": "More seedlings.", "expected_version": 2},
    )
    stale = admin_client.post(
        f"/admin/campaigns/campaign/{campaign.pk}/close/", {"reason": "over", "expected_version": 2}
    )
    closed = admin_client.post(
        f"/admin/campaigns/campaign/{campaign.pk}/close/", {"reason": "over", "expected_version": 3}
    )

    assert revised.status_code == 302
    assert CampaignTarget.objects.get(campaign=campaign, region="KZ-10", metric="trees").value == Decimal("75000")
    assert stale.status_code == 200
    assert stale.context["form"].non_field_errors() == [
        "The campaign changed since you read it (now version 3); reload and try again."
    ]
    assert closed.status_code == 302
    assert Campaign.objects.get().status == "closed"


def test_the_close_action_closes_each_selected_campaign(admin_client, campaign, superuser):
    response = admin_client.post(
        "/admin/campaigns/campaign/",
        {"action": "close_selected", "_selected_action": [str(campaign.pk)]},
        follow=True,
    )

    assert response.status_code == 200
    assert Campaign.objects.get().status == "closed"
    assert [str(m) for m in response.context["messages"]] == ["Taza Kazakhstan — Spring 2026 is closed."]


def test_a_campaign_admin_is_made_by_the_role_not_by_django_permissions(volunteer, campaign):
    # Given a volunteer made admin through the role (no model permissions granted one by one)
    role_grant(user=volunteer, role=Role.ADMIN)
    client = Client()
    client.force_login(volunteer)

    assert client.get("/admin/campaigns/campaign/").status_code == 200
