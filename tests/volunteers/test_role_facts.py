"""The powers are facts: who was given which role, by whom, kept in the ledger and folded onto the groups."""

from __future__ import annotations

import io
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command

from events.services import volunteer_delete
from ledger.context import acting
from ledger.models import Fact
from reference.models import Region
from tests.volunteers.factories import user_create
from volunteers.roles import Role
from volunteers.selectors import user_roles
from volunteers.services import role_grant, role_revoke

pytestmark = pytest.mark.django_db


def facts_of(user) -> list[tuple[int, str, dict, str | None, str]]:
    return [
        (f.version, f.type, f.data, f.meta["actor_id"], f.meta["source"])
        for f in Fact.objects.filter(stream=f"volunteer-{user.volunteer_id}").order_by("version")
    ]


def test_a_grant_and_a_revoke_are_facts_on_the_volunteers_stream_naming_the_admin_who_gave_them():
    admin = role_grant(user=user_create(email="admin@example.kz"), role=Role.ADMIN)
    saule = user_create(email="saule@example.kz")
    abai, almaty = Region.objects.get(pk="KZ-10"), Region.objects.get(pk="KZ-75")

    with acting(source="api"):  # as a request under /api/ sets it (ledger.context)
        role_grant(user=saule, role=Role.COORDINATOR, region=abai, actor=admin)
        role_grant(user=saule, role=Role.COORDINATOR, region=almaty, actor=admin)
    with acting(source="admin"):
        role_revoke(user=saule, role=Role.COORDINATOR, actor=admin)

    volunteer_id, admin_id = str(saule.volunteer_id), str(admin.volunteer_id)
    assert facts_of(saule) == [
        (1, "RoleGranted", {"volunteer_id": volunteer_id, "role": "coordinator", "region": "KZ-10"}, admin_id, "api"),
        (2, "RoleGranted", {"volunteer_id": volunteer_id, "role": "coordinator", "region": "KZ-75"}, admin_id, "api"),
        (3, "RoleRevoked", {"volunteer_id": volunteer_id, "role": "coordinator"}, admin_id, "admin"),
    ]
    saule.refresh_from_db()
    assert (user_roles(saule), saule.coordinator_region_id) == (["volunteer"], None)


def test_a_grant_that_changes_nothing_records_nothing_and_the_volunteer_role_is_no_fact():
    arman = role_grant(user=user_create(email="arman@example.kz"), role=Role.ORGANISER)

    role_grant(user=arman, role=Role.ORGANISER)
    role_grant(user=arman, role=Role.VOLUNTEER)
    role_revoke(user=arman, role=Role.ADMIN)

    assert [(version, kind) for version, kind, *_ in facts_of(arman)] == [(1, "RoleGranted")]
    assert user_roles(arman) == ["volunteer", "organiser"]


def test_role_facts_are_withheld_from_the_public_feed(api_client):
    arman = role_grant(user=user_create(email="arman@example.kz"), role=Role.ORGANISER)
    role_revoke(user=arman, role=Role.ORGANISER)

    feed = api_client.get("/api/v1/facts/").json()

    assert Fact.objects.filter(type__in=["RoleGranted", "RoleRevoked"]).count() == 2
    assert [fact["type"] for fact in feed["results"]] == []


def test_rebuilding_the_projection_gives_every_account_the_powers_the_facts_say():
    abai = Region.objects.get(pk="KZ-10")
    admin = role_grant(user=user_create(email="admin@example.kz"), role=Role.ADMIN)
    saule = role_grant(user=user_create(email="saule@example.kz"), role=Role.COORDINATOR, region=abai)
    arman = role_grant(user=user_create(email="arman@example.kz"), role=Role.ORGANISER)
    role_revoke(user=arman, role=Role.ORGANISER)
    # A power given behind the ledger's back (a raw write) is not a power the ledger knows of
    stray = user_create(email="stray@example.kz")
    stray.groups.add(Group.objects.get(name="organiser"))

    call_command("ledger", "rebuild", "volunteers.roles", stdout=io.StringIO())

    for user in (admin, saule, arman, stray):
        user.refresh_from_db()
    assert (user_roles(admin), admin.is_staff) == (["volunteer", "admin"], True)
    assert (user_roles(saule), saule.coordinator_region_id) == (["volunteer", "coordinator"], "KZ-10")
    assert user_roles(arman) == ["volunteer"]
    assert user_roles(stray) == ["volunteer"]


def test_an_erased_account_leaves_its_role_facts_naming_nobody_and_a_rebuild_passes():
    admin = role_grant(user=user_create(email="admin@example.kz"), role=Role.ADMIN)
    arman = role_grant(user=user_create(email="arman@example.kz"), role=Role.ORGANISER, actor=admin)
    stream = f"volunteer-{arman.volunteer_id}"

    volunteer_delete(actor=admin, volunteer=arman)
    call_command("ledger", "rebuild", "volunteers.roles", stdout=io.StringIO())

    assert list(Fact.objects.filter(stream=stream).values_list("type", flat=True)) == ["RoleGranted"]
    assert not Group.objects.get(name="organiser").user_set.exists()


def test_the_migration_records_the_powers_held_before_roles_were_facts():
    # Given accounts whose groups were set before the ledger knew roles (written as the old code did)
    abai = Region.objects.get(pk="KZ-10")
    saule = user_create(email="saule@example.kz")
    saule.groups.add(Group.objects.get(name="coordinator"), Group.objects.get(name="admin"))
    saule.coordinator_region = abai
    saule.save(update_fields=["coordinator_region"])
    dana = user_create(email="dana@example.kz")

    # When the data migration runs
    import_module("volunteers.migrations.0004_roles_as_facts").record_held_roles(apps, None)

    # Then each power is a fact, and a rebuild keeps them
    assert [(v, kind, data["role"], data["region"], source) for v, kind, data, _actor, source in facts_of(saule)] == [
        (1, "RoleGranted", "coordinator", "KZ-10", "migration"),
        (2, "RoleGranted", "admin", None, "migration"),
    ]
    assert facts_of(dana) == []
    call_command("ledger", "rebuild", "volunteers.roles", stdout=io.StringIO())
    saule.refresh_from_db()
    assert (user_roles(saule), saule.coordinator_region_id) == (["volunteer", "coordinator", "admin"], "KZ-10")
