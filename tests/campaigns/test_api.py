"""The campaigns API as clients use it: public reads, admins' writes, the JSON error format."""

import uuid

import pytest
from rest_framework.test import APIClient

from campaigns.models import Campaign
from ledger.models import Fact
from tests.campaigns.conftest import NAME


def campaign_facts():
    # The facts of campaigns: the admin of the fixtures was given the role as a fact of their own.
    return Fact.objects.filter(stream__startswith="campaign-")


pytestmark = pytest.mark.django_db

LAUNCH = {
    "name": NAME,
    "description": {"en": "Spring clean-ups and tree planting."},
    "starts_on": "2026-03-21",
    "ends_on": "2026-05-31",
    "event_kinds": ["cleanup", "tree_planting"],
    "targets": [
        {"region": "KZ-10", "metric": "trees", "value": "60000"},
        {"region": "KZ-75", "metric": "waste_kg", "value": 2500000.5},
    ],
}


def test_the_regions_endpoint_lists_the_20_regions_in_the_language_asked():
    response = APIClient().get("/api/v1/regions/", HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 200
    assert len(response.json()) == 20
    assert response.json()[0] == {
        "code": "KZ-10",
        "kind": "region",
        "name": "Абайская область",
        "name_kk": "Абай облысы",
        "name_ru": "Абайская область",
        "name_en": "Abai Region",
        "centre_en": "Semey",
        "population": 600000,
        "country": "KZ",
        "name_local": "Абай облысы",
        "centre_local": "Семей",
        "centre_ru": "Семей",
    }


# --- launch -----------------------------------------------------------------------------------------


def test_an_admin_launches_a_campaign_with_a_token(admin, client_for):
    response = client_for(admin).post("/api/v1/campaigns/", LAUNCH, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 201
    body = response.json()
    campaign = Campaign.objects.get()
    assert body == {
        "id": str(campaign.id),
        "name": "Taza Kazakhstan — Spring 2026",
        "name_kk": NAME["kk"],
        "name_ru": NAME["ru"],
        "name_en": NAME["en"],
        "description": "Spring clean-ups and tree planting.",
        "description_kk": "",
        "description_ru": "",
        "description_en": "Spring clean-ups and tree planting.",
        "starts_on": "2026-03-21",
        "ends_on": "2026-05-31",
        "event_kinds": ["cleanup", "tree_planting"],
        "status": "open",
        "version": 2,
        "launched_at": body["launched_at"],
        "closed_at": None,
        "targets": [
            {"region": "KZ-10", "region_name": "Abai Region", "metric": "trees", "value": "60000.000", "revision": 2},
            {
                "region": "KZ-75",
                "region_name": "Almaty",
                "metric": "waste_kg",
                "value": "2500000.500",
                "revision": 2,
            },
        ],
    }
    assert list(campaign_facts().values_list("type", "meta__source")) == [
        ("CampaignLaunched", "api"),
        ("CampaignTargetsSet", "api"),
    ]


def test_an_admin_signed_in_with_a_session_may_launch(admin):
    client = APIClient()
    client.force_login(admin)

    response = client.post("/api/v1/campaigns/", LAUNCH, format="json")

    assert response.status_code == 201


@pytest.mark.parametrize("role", ["volunteer", "organiser", "coordinator"])
def test_people_who_are_not_admins_are_refused_every_write(request, role, campaign, client_for):
    client = client_for(request.getfixturevalue(role))
    facts_before = Fact.objects.count()
    writes = [
        ("/api/v1/campaigns/", LAUNCH),
        (f"/api/v1/campaigns/{campaign.id}/targets/", {"targets": LAUNCH["targets"], "reason": "more"}),
        (f"/api/v1/campaigns/{campaign.id}/close/", {"reason": "over"}),
    ]

    for url, body in writes:
        response = client.post(url, body, format="json", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 403, url
        assert response.json() == {
            "error": {
                "code": "admin_required",
                "message": "Only an admin may launch, revise or close campaigns.",
                "fields": {},
            }
        }

    assert Fact.objects.count() == facts_before


def test_an_anonymous_write_is_refused(campaign):
    facts_before = Fact.objects.count()

    response = APIClient().post(f"/api/v1/campaigns/{campaign.id}/close/", {}, format="json")

    assert (response.status_code, response.json()["error"]["code"]) == (401, "not_authenticated")
    assert Fact.objects.count() == facts_before


def test_an_invalid_launch_answers_with_field_messages_and_appends_nothing(admin, client_for):
    body = {
        **LAUNCH,
        "name": {"kk": "Таза"},
        "ends_on": "2026-03-01",
        "targets": [{"region": "KZ-10", "metric": "trees", "value": "-5"}],
    }

    response = client_for(admin).post("/api/v1/campaigns/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "campaign_invalid",
            "message": "The campaign is not valid.",
            "fields": {
                "name.ru": ["Give the name in Russian."],
                "name.en": ["Give the name in English."],
                "ends_on": ["The campaign cannot end before it starts."],
                "targets.0.value": ["A target cannot be negative."],
            },
        }
    }
    assert campaign_facts().count() == 0


def test_a_malformed_launch_is_a_validation_error(admin, client_for):
    body = {**LAUNCH, "starts_on": "21.03.2026", "targets": [{"region": "KZ-10", "metric": "trees"}]}

    response = client_for(admin).post("/api/v1/campaigns/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "validation_error",
            "message": "Some fields are not valid.",
            "fields": {
                "starts_on": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."],
                "targets.0.value": ["This field is required."],
            },
        }
    }
    assert campaign_facts().count() == 0


# --- Idempotency-Key --------------------------------------------------------------------------------


def test_a_launch_retried_with_the_same_key_returns_the_original_and_appends_once(admin, client_for):
    client = client_for(admin)
    key = str(uuid.uuid4())

    first = client.post("/api/v1/campaigns/", LAUNCH, format="json", HTTP_IDEMPOTENCY_KEY=key)
    retry = client.post("/api/v1/campaigns/", LAUNCH, format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert (Campaign.objects.count(), campaign_facts().count()) == (1, 2)


def test_a_key_reused_for_another_request_is_a_conflict(admin, client_for):
    client = client_for(admin)
    client.post("/api/v1/campaigns/", LAUNCH, format="json", HTTP_IDEMPOTENCY_KEY="spring")

    response = client.post(
        "/api/v1/campaigns/",
        {**LAUNCH, "ends_on": "2026-06-30"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="spring",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "idempotency_conflict",
        "message": "This Idempotency-Key was used for a different request.",
        "fields": {},
    }
    assert campaign_facts().count() == 2


def test_a_key_that_is_too_long_is_refused(admin, client_for):
    response = client_for(admin).post(
        "/api/v1/campaigns/", LAUNCH, format="json", HTTP_IDEMPOTENCY_KEY="k" * 256, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_idempotency_key"
    assert response.json()["error"]["fields"] == {
        "Idempotency-Key": ["Use 1 to 255 visible ASCII characters, without spaces."]
    }
    assert campaign_facts().count() == 0


# --- reading ----------------------------------------------------------------------------------------


def test_the_detail_speaks_the_language_asked_and_shows_the_targets_in_force(campaign):
    response = APIClient().get(f"/api/v1/campaigns/{campaign.id}/", HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["name_kk"], body["name_en"]) == (NAME["ru"], NAME["kk"], NAME["en"])
    assert [(t["region"], t["region_name"], t["metric"], t["value"]) for t in body["targets"]] == [
        ("KZ-10", "Абайская область", "trees", "60000.000"),
        ("KZ-75", "город Алматы", "waste_kg", "2500000.500"),
    ]


@pytest.mark.parametrize("campaign_id", ["886a4d56-428a-4460-b843-3c687a2a6a66", "not-a-uuid"])
def test_an_unknown_campaign_is_a_json_404(db, campaign_id):
    response = APIClient().get(f"/api/v1/campaigns/{campaign_id}/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "code": "campaign_not_found",
            "message": "There is no such campaign.",
            "fields": {"campaign_id": ["There is no such campaign."]},
        }
    }


def test_the_list_is_paginated_and_filtered_by_status_and_day(admin, campaign, client_for):
    from campaigns.services import campaign_close, campaign_launch
    from tests.campaigns.conftest import spring_campaign

    autumn = campaign_launch(
        actor=admin,
        **spring_campaign(
            name={"kk": "Күз", "ru": "Осень", "en": "Autumn 2026"},
            starts_on=campaign.starts_on.replace(month=9, day=1),
            ends_on=campaign.starts_on.replace(month=10, day=31),
        ),
    )
    old = campaign_launch(
        actor=admin,
        **spring_campaign(
            name={"kk": "2025", "ru": "2025", "en": "Spring 2025"},
            starts_on=campaign.starts_on.replace(year=2025),
            ends_on=campaign.ends_on.replace(year=2025),
        ),
    )
    campaign_close(actor=admin, campaign_id=old.id, reason="over")
    client = APIClient()

    everything = client.get("/api/v1/campaigns/", {"limit": 2}).json()
    assert (everything["count"], [c["id"] for c in everything["results"]]) == (3, [str(autumn.id), str(campaign.id)])
    assert everything["next"].endswith("limit=2&offset=2")
    open_ones = client.get("/api/v1/campaigns/", {"status": "open"}).json()
    assert [c["name_en"] for c in open_ones["results"]] == ["Autumn 2026", "Taza Kazakhstan — Spring 2026"]
    in_april = client.get("/api/v1/campaigns/", {"active_on": "2026-04-15"}).json()
    assert [c["id"] for c in in_april["results"]] == [str(campaign.id)]
    bad = client.get("/api/v1/campaigns/", {"status": "paused"}, HTTP_ACCEPT_LANGUAGE="en")
    assert (bad.status_code, bad.json()["error"]["fields"]) == (400, {"status": ['"paused" is not a valid choice.']})


# --- revising and closing -----------------------------------------------------------------------------


def test_revising_then_closing_through_the_api(admin, campaign, client_for):
    client = client_for(admin)
    base = f"/api/v1/campaigns/{campaign.id}"

    # A revision based on the version read (2) goes through.
    revised = client.post(
        f"{base}/targets/",
        {"targets": [{"region": "KZ-10", "metric": "trees", "value": 75000}], "reason": "more", "expected_version": 2},
        format="json",
    )
    assert (revised.status_code, revised.json()["version"]) == (200, 3)
    # Another based on that same old version conflicts.
    stale = client.post(
        f"{base}/targets/",
        {"targets": [{"region": "KZ-10", "metric": "trees", "value": 1}], "reason": "x", "expected_version": 2},
        format="json",
    )
    assert (stale.status_code, stale.json()["error"]["code"]) == (409, "version_conflict")
    # The targets in force and their history.
    in_force = client.get(f"{base}/targets/").json()
    assert [(t["region"], t["metric"], t["value"], t["revision"]) for t in in_force] == [
        ("KZ-10", "trees", "75000.000", 3),
        ("KZ-75", "waste_kg", "2500000.500", 2),
    ]
    trees = client.get(f"{base}/targets/history/", {"metric": "trees"}).json()
    assert [(r["revision"], r["value"], r["reason"]) for r in trees["results"]] == [
        (2, "60000.000", ""),
        (3, "75000.000", "more"),
    ]

    closed = client.post(f"{base}/close/", {"reason": "The spring is over."}, format="json")
    assert (closed.status_code, closed.json()["status"], closed.json()["version"]) == (200, "closed", 4)
    facts_before = Fact.objects.count()
    after = client.post(
        f"{base}/targets/",
        {"targets": [{"region": "KZ-10", "metric": "trees", "value": 1}], "reason": "late"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert after.status_code == 409
    assert after.json()["error"] == {
        "code": "campaign_closed",
        "message": "The campaign is closed; it takes no more changes or events.",
        "fields": {},
    }
    assert Fact.objects.count() == facts_before


def test_the_openapi_schema_documents_the_campaign_endpoints(db):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()

    assert {
        "/api/v1/campaigns/",
        "/api/v1/campaigns/{campaign_id}/",
        "/api/v1/campaigns/{campaign_id}/targets/",
        "/api/v1/campaigns/{campaign_id}/targets/history/",
        "/api/v1/campaigns/{campaign_id}/close/",
    } <= set(schema["paths"])
    launch = schema["paths"]["/api/v1/campaigns/"]["post"]
    assert "Idempotency-Key" in [p["name"] for p in launch["parameters"]]
    assert "Launch with targets" in {
        e["summary"] for e in launch["requestBody"]["content"]["application/json"]["examples"].values()
    }
    assert set(launch["responses"]) == {"201", "400", "401", "403", "404", "409", "413", "415", "503"}
