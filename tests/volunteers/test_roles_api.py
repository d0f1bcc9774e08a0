"""Roles given and taken by an admin through the API: each one a fact, nothing recorded on a refusal."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from ledger.models import Fact
from reference.models import Region
from tests.volunteers.factories import user_create
from volunteers.models import User
from volunteers.roles import Role, is_coordinator_of
from volunteers.services import role_grant

pytestmark = pytest.mark.django_db


def client_of(user: User) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


@pytest.fixture
def admin() -> User:
    return role_grant(user=user_create(email="admin@example.kz", display_name="Admin"), role=Role.ADMIN)


@pytest.fixture
def saule() -> User:
    return user_create(email="saule@example.kz", display_name="Saule")


def roles_url(user: User, role: str = "") -> str:
    return f"/api/v1/volunteers/{user.volunteer_id}/roles/" + (f"{role}/" if role else "")


def test_an_admin_finds_an_account_by_email_and_makes_it_a_coordinator(admin, saule):
    found = client_of(admin).get("/api/v1/volunteers/", {"email": "SAULE@example.kz"})
    assert found.status_code == 200
    assert found.json()["results"] == [
        {
            "volunteer_id": str(saule.volunteer_id),
            "email": "saule@example.kz",
            "display_name": "Saule",
            "region": None,
            "organisation": None,
            "coordinator_region": None,
            "roles": ["volunteer"],
            "is_active": True,
        }
    ]

    granted = client_of(admin).post(roles_url(saule), {"role": "coordinator", "region": "KZ-10"}, format="json")

    assert granted.status_code == 200
    assert (granted.json()["roles"], granted.json()["coordinator_region"]) == (["volunteer", "coordinator"], "KZ-10")
    saule.refresh_from_db()
    assert is_coordinator_of(saule, "KZ-10") is True
    (fact,) = Fact.objects.filter(stream=f"volunteer-{saule.volunteer_id}")
    assert (fact.type, fact.data, fact.meta["actor_id"], fact.meta["source"]) == (
        "RoleGranted",
        {"volunteer_id": str(saule.volunteer_id), "role": "coordinator", "region": "KZ-10"},
        str(admin.volunteer_id),
        "api",
    )


def test_giving_a_role_held_records_nothing_and_answers_the_account_as_it_is(admin, saule):
    client_of(admin).post(roles_url(saule), {"role": "organiser"}, format="json")
    facts = Fact.objects.count()

    again = client_of(admin).post(roles_url(saule), {"role": "organiser"}, format="json")

    assert again.status_code == 200
    assert again.json()["roles"] == ["volunteer", "organiser"]
    assert Fact.objects.count() == facts


def test_an_admin_takes_a_role_and_a_coordinator_loses_the_region(admin, saule):
    role_grant(user=saule, role=Role.COORDINATOR, region=Region.objects.get(pk="KZ-10"))

    response = client_of(admin).delete(roles_url(saule, "coordinator"))

    assert response.status_code == 200
    assert (response.json()["roles"], response.json()["coordinator_region"]) == (["volunteer"], None)
    assert list(
        Fact.objects.filter(stream=f"volunteer-{saule.volunteer_id}").order_by("version").values_list("type", flat=True)
    ) == [
        "RoleGranted",
        "RoleRevoked",
    ]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"role": "coordinator"}, {"region": ["A coordinator needs the one region they coordinate."]}),
        ({"role": "organiser", "region": "KZ-10"}, {"region": ["Only the coordinator role is given for a region."]}),
        ({"role": "coordinator", "region": "KZ-99"}, {"region": ['"KZ-99" is not a valid choice.']}),
        ({"role": "volunteer"}, {"role": ['"volunteer" is not a valid choice.']}),
        ({"role": "king"}, {"role": ['"king" is not a valid choice.']}),
        ({}, {"role": ["This field is required."]}),
    ],
)
def test_a_grant_that_breaks_a_rule_names_the_field_and_records_nothing(admin, saule, body, fields):
    facts = Fact.objects.count()

    response = client_of(admin).post(roles_url(saule), body, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "error": {"code": "validation_error", "message": "Some fields are not valid.", "fields": fields}
    }
    assert Fact.objects.count() == facts
    saule.refresh_from_db()
    assert (saule.coordinator_region_id, list(saule.groups.values_list("name", flat=True))) == (None, ["volunteer"])


def test_revoking_what_cannot_be_revoked_is_refused_with_its_code(admin, saule):
    facts = Fact.objects.count()

    volunteer = client_of(admin).delete(roles_url(saule, "volunteer"))
    not_held = client_of(admin).delete(roles_url(saule, "admin"))
    unknown = client_of(admin).delete(roles_url(saule, "king"))
    own = client_of(admin).delete(roles_url(admin, "admin"))

    assert (volunteer.status_code, volunteer.json()["error"]["fields"]) == (
        400,
        {"role": ["Every account is a volunteer; deactivate the account instead."]},
    )
    assert (not_held.status_code, not_held.json()["error"]["code"]) == (404, "role_not_held")
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "role_not_held")
    assert (own.status_code, own.json()["error"]) == (
        409,
        {"code": "own_admin_role", "message": "You cannot take your own admin role; another admin must.", "fields": {}},
    )
    assert Fact.objects.count() == facts


def test_an_unknown_or_malformed_volunteer_id_is_not_found(admin):
    for volunteer_id in ("0191e5a3-0000-7000-8000-000000000000", "not-an-id"):
        response = client_of(admin).post(f"/api/v1/volunteers/{volunteer_id}/roles/", {"role": "admin"}, format="json")
        assert (response.status_code, response.json()["error"]["code"]) == (404, "volunteer_not_found")


def test_an_organiser_gives_no_role_not_even_to_themselves(saule):
    organiser = role_grant(user=user_create(email="arman@example.kz"), role=Role.ORGANISER)
    facts = Fact.objects.count()

    response = client_of(organiser).post(roles_url(organiser), {"role": "admin"}, format="json")

    assert response.status_code == 403
    assert response.json()["error"] == {"code": "admin_required", "message": "Only an admin may do this.", "fields": {}}
    assert Fact.objects.count() == facts


def test_the_admin_lists_a_roles_holders(admin, saule):
    role_grant(user=saule, role=Role.ORGANISER)
    user_create(email="dana@example.kz")

    response = client_of(admin).get("/api/v1/volunteers/", {"role": "organiser"})

    assert [account["email"] for account in response.json()["results"]] == ["saule@example.kz"]
