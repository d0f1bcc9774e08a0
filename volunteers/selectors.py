"""Reads on accounts, organisations and their members."""

from __future__ import annotations

import uuid

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils.translation import gettext_lazy as _

from config.cleaning import as_uuid
from config.errors import Forbidden
from config.languages import LANGUAGES, current_language
from volunteers.errors import OrganisationNotFound, VolunteerNotFound
from volunteers.models import Organisation, User
from volunteers.roles import Role, is_admin, is_coordinator_of, is_organiser, role_names


def email_is_verified(user: User) -> bool:
    """Whether the account's own email address has been confirmed (allauth keeps the flag)."""
    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def user_roles(user: User) -> list[str]:
    """The user's roles in a fixed order (volunteer, organiser, coordinator, admin).

    A superuser is listed as admin even without the group, since `is_admin` treats them as one.
    """
    names = role_names(user) | ({Role.ADMIN.value} if user.is_superuser else set())
    return [role.value for role in Role if role.value in names]


def organisation_list(*, region: str | None = None, kind: str | None = None) -> QuerySet[Organisation]:
    """Organisations by name as the request's language reads it; any filter left None is not applied."""
    organisations = by_name(Organisation.objects.select_related("region"))
    if region is not None:
        organisations = organisations.filter(region_id=region)
    if kind is not None:
        organisations = organisations.filter(kind=kind)
    return organisations


def by_name(organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """`organisations` in the order of their names as the request's language reads them
    (Organisation.name: its language's, else the first written in the order kk, ru, en)."""
    language = current_language()
    order = [language, *(lang for lang in LANGUAGES if lang != language)]
    shown = Coalesce(*(NullIf(f"name_{lang}", Value("")) for lang in order), Value(""))
    return organisations.annotate(shown_name=Lower(shown)).order_by("shown_name", "id")


def organisation_get(*, organisation_id: uuid.UUID | str) -> Organisation:
    organisation_id = as_uuid(organisation_id, OrganisationNotFound)
    try:
        return Organisation.objects.select_related("region").get(pk=organisation_id)
    except Organisation.DoesNotExist:
        raise OrganisationNotFound() from None


def may_see_members(user: User, organisation: Organisation) -> bool:
    """Who is in an organisation is for those who answer for it: its own organisers, the coordinator
    of its region, admins. Its volunteers see the organisation, not one another."""
    return (
        is_admin(user)
        or is_coordinator_of(user, organisation.region_id)
        or (is_organiser(user) and user.organisation_id == organisation.pk)
    )


def organisation_members(*, user: User, organisation: Organisation) -> QuerySet[User]:
    """The organisation's members, organisers first, then by name."""
    if not may_see_members(user, organisation):
        raise Forbidden(_("Only the organisation's organisers, its region's coordinator and admins see its members."))
    is_organiser_member = Exists(Group.objects.filter(user=OuterRef("pk"), name=Role.ORGANISER.value))
    return (
        User.objects.filter(organisation=organisation, is_active=True)
        .annotate(acts_for_it=is_organiser_member)
        .order_by("-acts_for_it", "display_name", "volunteer_id")
    )


def volunteer_list(*, email: str | None = None, role: str | None = None) -> QuerySet[User]:
    """Accounts, for an admin looking for the one to give a role: by exact email (any case), by role."""
    users = User.objects.select_related("region", "organisation", "coordinator_region")
    if email is not None:
        users = users.filter(email__iexact=email.strip())
    if role is not None:
        users = users.filter(groups__name=role)
    return users.order_by("email")


def volunteer_get(*, volunteer_id: uuid.UUID | str) -> User:
    volunteer_id = as_uuid(volunteer_id, VolunteerNotFound)
    try:
        return User.objects.get(volunteer_id=volunteer_id)
    except User.DoesNotExist:
        raise VolunteerNotFound() from None
