"""The Django admin of accounts and regions, as an admin uses it."""

import pytest
from django.contrib.auth.models import Group

from ledger.models import Fact
from reference.models import Region
from tests.volunteers.factories import user_create
from volunteers.models import User
from volunteers.roles import Role
from volunteers.services import role_grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = role_grant(user=user_create(email="admin@example.kz"), role=Role.ADMIN)
    client.force_login(admin)
    return client


def change_form(user, **changes) -> dict:
    data = {
        "email": user.email,
        "display_name": user.display_name,
        "first_name": "",
        "last_name": "",
        "phone": "",
        "birth_date": "",
        "region": "",
        "organisation": "",
        "language": "",
        "groups": [group.pk for group in user.groups.all()],
        "coordinator_region": "",
        "is_active": "on",
        "user_permissions": [],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-03-01",
        "date_joined_1": "10:00:00",
    }
    data.update(changes)
    return data


def test_an_admin_cannot_make_a_coordinator_without_a_region(admin_client):
    user = user_create(email="coord@example.kz")
    coordinator = Group.objects.get(name="coordinator")
    volunteer = Group.objects.get(name="volunteer")

    response = admin_client.post(
        f"/admin/volunteers/user/{user.pk}/change/",
        change_form(user, groups=[volunteer.pk, coordinator.pk]),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "coordinator_region": ["A coordinator needs the one region they coordinate."]
    }
    assert list(user.groups.values_list("name", flat=True)) == ["volunteer"]


def test_an_admin_makes_a_coordinator_of_one_region(admin_client):
    user = user_create(email="coord@example.kz")
    groups = [Group.objects.get(name="volunteer").pk, Group.objects.get(name="coordinator").pk]

    response = admin_client.post(
        f"/admin/volunteers/user/{user.pk}/change/", change_form(user, groups=groups, coordinator_region="KZ-10")
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.coordinator_region_id == "KZ-10"
    assert sorted(user.groups.values_list("name", flat=True)) == ["coordinator", "volunteer"]


def test_the_admins_role_ticks_are_recorded_as_facts_with_the_admin_as_actor(admin_client):
    user = role_grant(user=user_create(email="coord@example.kz"), role=Role.ORGANISER)
    admin = User.objects.get(email="admin@example.kz")
    groups = [Group.objects.get(name="volunteer").pk, Group.objects.get(name="coordinator").pk]

    # The organiser box unticked, the coordinator's ticked with a region: one revoke, one grant
    response = admin_client.post(
        f"/admin/volunteers/user/{user.pk}/change/", change_form(user, groups=groups, coordinator_region="KZ-10")
    )

    assert response.status_code == 302
    facts = Fact.objects.filter(stream=f"volunteer-{user.volunteer_id}").order_by("version")
    assert [(f.type, f.data["role"], f.meta["actor_id"], f.meta["source"]) for f in facts] == [
        ("RoleGranted", "organiser", None, "web"),
        ("RoleRevoked", "organiser", str(admin.volunteer_id), "admin"),
        ("RoleGranted", "coordinator", str(admin.volunteer_id), "admin"),
    ]

    # Saving the form again as it is records nothing more
    user.refresh_from_db()
    admin_client.post(f"/admin/volunteers/user/{user.pk}/change/", change_form(user, coordinator_region="KZ-10"))
    assert Fact.objects.filter(stream=f"volunteer-{user.volunteer_id}").count() == 3


def test_an_admin_creates_an_account_by_email_and_it_is_a_volunteer(admin_client):
    response = admin_client.post(
        "/admin/volunteers/user/add/",
        {"email": "new@example.kz", "password1": "baiterek-tower-97", "password2": "baiterek-tower-97"},
    )

    assert response.status_code == 302
    created = User.objects.get(email="new@example.kz")
    assert list(created.groups.values_list("name", flat=True)) == ["volunteer"]


def test_an_admin_edits_the_population_of_a_region_but_not_its_code(admin_client):
    page = admin_client.get("/admin/reference/region/KZ-10/change/")
    assert page.status_code == 200
    assert "code" not in page.context["adminform"].form.fields

    response = admin_client.post(
        "/admin/reference/region/KZ-10/change/",
        {
            "kind": "region",
            "name_kk": "Абай облысы",
            "name_ru": "Абайская область",
            "name_en": "Abai Region",
            "centre_en": "Semey",
            "population": "612000",
        },
    )

    assert response.status_code == 302
    assert Region.objects.get(code="KZ-10").population == 612000


def test_the_admin_lists_accounts_organisations_and_regions(admin_client):
    for path in ("/admin/volunteers/user/", "/admin/volunteers/organisation/", "/admin/reference/region/"):
        assert admin_client.get(path).status_code == 200


def test_a_volunteer_cannot_open_the_admin(client):
    client.force_login(user_create(email="aigerim@example.kz"))

    response = client.get("/admin/volunteers/user/")

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
