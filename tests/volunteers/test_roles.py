"""Roles: who may act as organiser, coordinator of a region, admin; and how roles are given."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import ValidationError

from reference.models import Region
from tests.volunteers.factories import user_create
from volunteers.roles import (
    Role,
    is_admin,
    is_coordinator,
    is_coordinator_of,
    is_organiser,
    is_volunteer,
)
from volunteers.selectors import user_roles
from volunteers.services import role_grant, role_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def abai() -> Region:
    return Region.objects.get(code="KZ-10")


@pytest.fixture
def almaty_city() -> Region:
    return Region.objects.get(code="KZ-75")


def test_the_migration_creates_the_four_role_groups_and_gives_admin_its_permissions():
    assert sorted(Group.objects.values_list("name", flat=True)) == ["admin", "coordinator", "organiser", "volunteer"]
    admin_codenames = set(Group.objects.get(name="admin").permissions.values_list("codename", flat=True))
    assert {"change_user", "add_organisation", "change_region", "view_region"} <= admin_codenames
    assert "delete_region" not in admin_codenames
    assert not Group.objects.get(name="organiser").permissions.exists()


def test_every_new_account_is_a_volunteer_and_nothing_more():
    user = user_create(email="aigerim@example.kz")

    assert user_roles(user) == ["volunteer"]
    assert is_volunteer(user) is True
    assert is_organiser(user) is False
    assert is_coordinator_of(user, "KZ-10") is False
    assert is_admin(user) is False


def test_an_organiser_may_organise_but_not_coordinate_or_administer():
    user = role_grant(user=user_create(email="org@example.kz"), role=Role.ORGANISER)

    assert user_roles(user) == ["volunteer", "organiser"]
    assert is_organiser(user) is True
    assert is_coordinator_of(user, "KZ-10") is False
    assert is_admin(user) is False


def test_a_coordinator_coordinates_exactly_their_own_region(abai):
    user = role_grant(user=user_create(email="coord@example.kz"), role=Role.COORDINATOR, region=abai)

    user.refresh_from_db()
    assert user.coordinator_region_id == "KZ-10"
    assert is_coordinator(user) is True
    assert is_coordinator_of(user, "KZ-10") is True
    assert is_coordinator_of(user, "KZ-75") is False
    assert is_organiser(user) is False
    assert is_admin(user) is False


def test_granting_the_coordinator_role_again_moves_it_to_the_new_region(abai, almaty_city):
    user = role_grant(user=user_create(email="coord@example.kz"), role=Role.COORDINATOR, region=abai)

    role_grant(user=user, role=Role.COORDINATOR, region=almaty_city)

    assert is_coordinator_of(user, "KZ-75") is True
    assert is_coordinator_of(user, "KZ-10") is False


def test_a_coordinator_without_a_region_is_refused_and_nothing_changes():
    user = user_create(email="coord@example.kz")

    with pytest.raises(ValidationError) as refused:
        role_grant(user=user, role=Role.COORDINATOR, region=None)

    assert refused.value.message_dict == {"coordinator_region": ["A coordinator needs the one region they coordinate."]}
    assert user_roles(user) == ["volunteer"]


def test_a_region_for_any_role_but_coordinator_is_refused(abai):
    user = user_create(email="org@example.kz")

    with pytest.raises(ValidationError):
        role_grant(user=user, role=Role.ORGANISER, region=abai)

    user.refresh_from_db()
    assert (user_roles(user), user.coordinator_region_id) == (["volunteer"], None)


def test_an_admin_becomes_staff_and_may_do_what_organisers_and_coordinators_do():
    user = role_grant(user=user_create(email="admin@example.kz"), role=Role.ADMIN)

    user.refresh_from_db()
    assert user.is_staff is True
    assert is_admin(user) is True
    assert is_organiser(user) is True
    assert is_coordinator_of(user, "KZ-19") is True


def test_a_superuser_counts_as_admin_without_the_group():
    user = user_create(email="root@example.kz")
    user.is_superuser = True
    user.save()

    assert is_admin(user) is True
    assert user_roles(user) == ["volunteer", "admin"]


def test_revoking_roles_takes_the_region_and_staff_status_back(abai):
    user = user_create(email="both@example.kz")
    role_grant(user=user, role=Role.COORDINATOR, region=abai)
    role_grant(user=user, role=Role.ADMIN)

    role_revoke(user=user, role=Role.COORDINATOR)
    role_revoke(user=user, role=Role.ADMIN)

    user.refresh_from_db()
    assert (user.coordinator_region_id, user.is_staff) == (None, False)
    assert user_roles(user) == ["volunteer"]
    assert is_coordinator_of(user, "KZ-10") is False


def test_the_volunteer_role_cannot_be_revoked():
    user = user_create(email="aigerim@example.kz")

    with pytest.raises(ValidationError):
        role_revoke(user=user, role=Role.VOLUNTEER)

    assert user_roles(user) == ["volunteer"]


def test_anonymous_and_deactivated_users_have_no_role(abai):
    user = role_grant(user=user_create(email="gone@example.kz"), role=Role.ADMIN)
    user.is_active = False

    for nobody in (AnonymousUser(), None, user):
        assert (is_volunteer(nobody), is_organiser(nobody), is_admin(nobody)) == (False, False, False)
        assert is_coordinator_of(nobody, "KZ-10") is False
