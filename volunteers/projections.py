"""The inline projection of role facts onto the accounts: role groups, the region coordinated, staff.

The checks in volunteers.roles read the groups, so what someone may do is what the ledger says
they were given: `role_grant` and `role_revoke` append the fact and this projection, in the same
transaction, moves the account. An account that was erased is skipped (its facts stay, naming
nobody); a rebuild takes every power from every account and gives back what the facts say.
"""

from __future__ import annotations

from django.contrib.auth.models import Group

from ledger.projections import InlineProjection, handler, register
from ledger.stored import StoredFact
from volunteers.facts import POWERS, RoleGranted, RoleRevoked
from volunteers.models import User

COORDINATOR, ADMIN = "coordinator", "admin"


@register
class AccountRoles(InlineProjection):
    name = "volunteers.roles"

    @handler(RoleGranted)
    def _granted(self, fact: StoredFact, data: dict) -> None:
        account = _account(data)
        if account is None:
            return
        user, group = account
        user.groups.add(group)
        if data["role"] == COORDINATOR:
            User.objects.filter(pk=user.pk).update(coordinator_region_id=data.get("region"))
        elif data["role"] == ADMIN:
            User.objects.filter(pk=user.pk).update(is_staff=True)

    @handler(RoleRevoked)
    def _revoked(self, fact: StoredFact, data: dict) -> None:
        account = _account(data)
        if account is None:
            return
        user, group = account
        user.groups.remove(group)
        if data["role"] == COORDINATOR:
            User.objects.filter(pk=user.pk).update(coordinator_region_id=None)
        elif data["role"] == ADMIN and not user.is_superuser:
            User.objects.filter(pk=user.pk).update(is_staff=False)

    def reset(self) -> None:
        """Take every power from every account (what the facts give back is replayed after this):
        admins that are not superusers leave the staff, coordinators their region."""
        User.objects.filter(groups__name=ADMIN, is_superuser=False).update(is_staff=False)
        User.objects.exclude(coordinator_region=None).update(coordinator_region=None)
        User.groups.through.objects.filter(group__name__in=POWERS).delete()


def _account(data: dict) -> tuple[User, Group] | None:
    """The account the fact names and the role's group; None when the account was erased."""
    user = User.objects.filter(volunteer_id=data["volunteer_id"]).only("pk", "is_superuser").first()
    if user is None:
        return None
    group, _created = Group.objects.get_or_create(name=data["role"])
    return user, group
