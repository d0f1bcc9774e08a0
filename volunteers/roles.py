"""Roles as Django groups, and the checks other apps' services call before they act (reads only).

    volunteer    every account (granted on creation)
    organiser    creates events, checks volunteers in, logs results
    coordinator  verifies results of exactly one region (`User.coordinator_region`)
    admin        runs the platform: Django admin, reference data, roles

Checks take the user and answer with a bool; they never raise, so a service decides which
`config.errors.Forbidden` to raise and with what message. Superusers pass every check.

The groups are where the checks read roles; the ledger is where the powers come from: the
organiser, coordinator and admin roles are given and taken as facts (volunteers/facts.py) by
`role_grant` and `role_revoke` in volunteers/services.py, and the projection in
volunteers/projections.py folds them onto the groups in the same transaction.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from reference.models import Region
from volunteers.models import User


class Role(enum.StrEnum):
    """The group names. The value is the `auth_group.name` created by migration 0002."""

    VOLUNTEER = "volunteer"
    ORGANISER = "organiser"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


AnyUser = User | AnonymousUser | None


def role_names(user: AnyUser) -> set[str]:
    """The names of the user's role groups, read once per user object and kept on it."""
    if user is None or not user.is_authenticated:
        return set()
    cached = getattr(user, "_taza_role_names", None)
    if cached is None:
        known = {role.value for role in Role}
        cached = set(user.groups.filter(name__in=known).values_list("name", flat=True))
        user._taza_role_names = cached
    return cached


def role_names_forget(user: User) -> None:
    """Drop the role names kept on the user object: a grant or revocation has just moved them."""
    user.__dict__.pop("_taza_role_names", None)


def _active(user: AnyUser) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_admin(user: AnyUser) -> bool:
    return _active(user) and (user.is_superuser or Role.ADMIN in role_names(user))


def is_volunteer(user: AnyUser) -> bool:
    return _active(user) and (user.is_superuser or Role.VOLUNTEER in role_names(user))


def is_organiser(user: AnyUser) -> bool:
    """May create events and act for them (check-in, results). Admins may do what organisers do."""
    return _active(user) and (Role.ORGANISER in role_names(user) or is_admin(user))


def is_coordinator(user: AnyUser) -> bool:
    """Coordinates some region. Prefer `is_coordinator_of`, which names the region."""
    return (
        _active(user)
        and Role.COORDINATOR in role_names(user)
        and getattr(user, "coordinator_region_id", None) is not None
    )


def is_coordinator_of(user: AnyUser, region_code: str) -> bool:
    """May verify results in `region_code` (an ISO 3166-2 code such as "KZ-10"). Admins may too."""
    if is_admin(user):
        return True
    return is_coordinator(user) and user.coordinator_region_id == region_code


def validate_coordinator_region(*, roles: Iterable[str], coordinator_region: Region | None) -> None:
    """A coordinator coordinates exactly one region, and only coordinators have one."""
    roles = set(roles)
    if Role.COORDINATOR in roles and coordinator_region is None:
        raise ValidationError(
            {"coordinator_region": _("A coordinator needs the one region they coordinate.")},
            code="coordinator_without_region",
        )
    if Role.COORDINATOR not in roles and coordinator_region is not None:
        raise ValidationError(
            {"coordinator_region": _("Only a coordinator has a region coordinated.")},
            code="region_without_coordinator",
        )
