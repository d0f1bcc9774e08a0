"""Reads on accounts."""

from __future__ import annotations

from allauth.account.models import EmailAddress

from volunteers.models import User
from volunteers.roles import Role, role_names


def email_is_verified(user: User) -> bool:
    """Whether the account's own email address has been confirmed (allauth keeps the flag)."""
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def user_roles(user: User) -> list[str]:
    """The user's roles in a fixed order (volunteer, organiser, coordinator, admin).

    A superuser is listed as admin even without the group, since `is_admin` treats them as one.
    """
    names = role_names(user) | ({Role.ADMIN.value} if user.is_superuser else set())
    return [role.value for role in Role if role.value in names]
