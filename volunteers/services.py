"""Writes on accounts: the profile (at sign-up and on the profile page), the language, the API token,
organisations and their members, roles (given and taken as facts).

Erasing an account gives back the person's places at events first, so it is events':
`volunteer_delete` in events/services/erasure.py."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.authtoken.models import Token

from config.cleaning import Errors
from config.errors import DomainError, Forbidden
from config.languages import LANGUAGES, written_text
from ledger.store import append
from reference.models import Region
from volunteers.adapter import SignInLocked
from volunteers.email_choices import TOPICS
from volunteers.errors import (
    AdminRequired,
    InvalidInput,
    MemberNotFound,
    OrganisationExists,
    OrganiserMovedByAdmin,
    OwnAdminRole,
    RoleNotHeld,
)
from volunteers.facts import POWERS, RoleGranted, RoleRevoked, volunteer_stream
from volunteers.models import Organisation, User, calendar_token_new
from volunteers.roles import (
    Role,
    is_admin,
    is_coordinator_of,
    is_organiser,
    role_names_forget,
    validate_coordinator_region,
)
from volunteers.selectors import email_is_verified, organisation_get, volunteer_get

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


class InvalidCredentials(DomainError):
    code = "invalid_credentials"
    status_code = status.HTTP_400_BAD_REQUEST
    default_message = _("The email address and/or password are not correct.")


class EmailNotVerified(Forbidden):
    code = "email_not_verified"
    default_message = _("Confirm your email address first: follow the link in the email we sent you.")


class TooManyAttempts(DomainError):
    code = "too_many_attempts"
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_message = _("Too many failed sign-in attempts. Try again later.")

    def __init__(self, *, retry_after: int):
        super().__init__()
        self.headers["Retry-After"] = str(retry_after)


@transaction.atomic
def volunteer_profile_update(
    *, user: User, display_name: str, region: Region | None, language: str | None = None
) -> User:
    user.display_name = display_name.strip()
    user.region = region
    update_fields = ["display_name", "region"]
    if language is not None:
        user.language = language
        update_fields.append("language")
    user.save(update_fields=update_fields)
    return user


@transaction.atomic
def volunteer_settings_update(
    *,
    user: User,
    display_name: str,
    language: str,
    region: Region | None,
    organisation: Organisation | None,
    show_on_leaderboards: bool,
) -> User:
    """Save the profile page. The caller leaves `organisation` as it is for organisers (admins move them)."""
    if language not in LANGUAGE_CODES:
        raise ValueError(f"unknown language {language!r}")
    volunteer_profile_update(user=user, display_name=display_name, region=region, language=language)
    user.organisation = organisation
    user.show_on_leaderboards = show_on_leaderboards
    user.save(update_fields=["organisation", "show_on_leaderboards"])
    return user


def volunteer_language_set(*, user: User, language: str) -> None:
    """Remember the language a signed-in volunteer chose in the header (emails are sent in it)."""
    if language in LANGUAGE_CODES and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@transaction.atomic
def auth_token_issue(*, request: HttpRequest, email: str, password: str) -> Token:
    """The API token of the account with this email and password; the same token on every call.

    Goes through allauth's authentication so the API shares the browser's rate limit on failed
    sign-ins, and refuses accounts whose email address is not confirmed, as the browser does.
    """
    try:
        user = get_adapter(request).authenticate(request, email=email.strip().lower(), password=password)
    except SignInLocked as locked:
        # The login_failed limit, per client address (behind the proxy) and per account.
        raise TooManyAttempts(retry_after=locked.retry_after) from locked
    if user is None:
        raise InvalidCredentials()
    if not email_is_verified(user):
        raise EmailNotVerified()
    token, _created = Token.objects.get_or_create(user=user)
    return token


# --- organisations and their members -----------------------------------------------------------------


def organisation_create(*, actor: User, name: str | Mapping[str, str], kind: str, region: str) -> Organisation:
    """Add an organisation: an admin anywhere, a coordinator in their own region.

    Its name is written in one language or more ({"kk": …, "ru": …, "en": …}, or one plain text in
    the request's language: config/languages.written_text). Events are shown under their
    organisation's name, so an organisation is vouched for by someone who answers for the region,
    not added by whoever would like to act for it; and no two of a region share a name in any
    language (in any case), since a reader of that language could not tell them apart.
    """
    if not (is_admin(actor) or is_coordinator_of(actor, region)):
        raise Forbidden(_("Only an admin, or the coordinator of its region, adds an organisation."))
    region_row = Region.objects.filter(pk=region).first()
    if region_row is None:
        raise InvalidInput(fields={"region": [_("There is no such region.")]})
    errors: Errors = {}
    if isinstance(name, Mapping):
        name = {lang: " ".join(text.split()) if isinstance(text, str) else text for lang, text in name.items()}
    elif isinstance(name, str):
        name = " ".join(name.split())
    names = written_text(errors, "name", name, required=True, max_length=200)
    if errors:
        raise InvalidInput(fields=errors)
    if kind not in Organisation.Kind.values:
        raise InvalidInput(fields={"kind": [_("Not a kind of organisation.")]})
    taken = OrganisationExists(fields={"name": [_("The region already has an organisation of this name.")]})
    # Compared case-folded here, not by the database: SQLite's LIKE and LOWER() fold ASCII only, and
    # a region has a few hundred organisations at most.
    wanted = {(lang, written.casefold()) for lang, written in names.items()}
    others = Organisation.objects.filter(region=region_row).values_list("name_kk", "name_ru", "name_en")
    if any(wanted & {(lang, name.casefold()) for lang, name in zip(LANGUAGES, row, strict=True)} for row in others):
        raise taken
    try:
        with transaction.atomic():
            return Organisation.objects.create(
                **{f"name_{lang}": names.get(lang, "") for lang in LANGUAGES}, kind=kind, region=region_row
            )
    except IntegrityError:
        raise taken from None  # the same name added at the same moment


def organisation_member_add(
    *, actor: User, organisation_id: uuid.UUID | str, volunteer_id: uuid.UUID | str | None = None
) -> User:
    """A volunteer (the actor, unless named) is a member of the organisation, and of no other, from now on.

    Volunteers join for themselves (their school, their club), as on the profile page; an admin
    adds anyone. An organiser acts for every event of their organisation, so joining one would be
    taking that power: only an admin moves an organiser.
    """
    organisation = organisation_get(organisation_id=organisation_id)
    volunteer = actor if volunteer_id is None or _is(actor, volunteer_id) else None
    if not is_admin(actor):
        if volunteer is None:
            raise AdminRequired(_("Volunteers join an organisation only for themselves; an admin adds others."))
        if is_organiser(actor):
            raise OrganiserMovedByAdmin()
    if volunteer is None:
        volunteer = volunteer_get(volunteer_id=volunteer_id)
    if volunteer.organisation_id != organisation.pk:
        volunteer.organisation = organisation
        volunteer.save(update_fields=["organisation"])
    return volunteer


def organisation_member_remove(*, actor: User, organisation_id: uuid.UUID | str, volunteer_id: uuid.UUID | str) -> User:
    """A member leaves the organisation: by themselves (an organiser may give up acting for it), or by an admin."""
    organisation = organisation_get(organisation_id=organisation_id)
    if not (_is(actor, volunteer_id) or is_admin(actor)):
        raise AdminRequired(_("Members leave an organisation by themselves; only an admin removes others."))
    volunteer = actor if _is(actor, volunteer_id) else volunteer_get(volunteer_id=volunteer_id)
    if volunteer.organisation_id != organisation.pk:
        raise MemberNotFound()
    volunteer.organisation = None
    volunteer.save(update_fields=["organisation"])
    return volunteer


def _is(user: User, volunteer_id: uuid.UUID | str) -> bool:
    return str(user.volunteer_id) == str(volunteer_id).lower()


# --- roles: given and taken as facts (role_grant, role_revoke), and by an admin through the API ---------


def volunteer_role_grant(*, actor: User, volunteer_id: uuid.UUID | str, role: str, region: str | None = None) -> User:
    """An admin gives a volunteer a power (organiser, coordinator of `region`, admin): `RoleGranted`.

    Giving a role held already records nothing, except a coordinator's new region.
    """
    if not is_admin(actor):
        raise AdminRequired(_("Only an admin gives roles."))
    volunteer = volunteer_get(volunteer_id=volunteer_id)
    if role not in POWERS:
        raise InvalidInput(fields={"role": [_("Give organiser, coordinator or admin.")]})
    coordinated = None
    if region is not None:
        coordinated = Region.objects.filter(pk=region).first()
        if coordinated is None:
            raise InvalidInput(fields={"region": [_("There is no such region.")]})
    try:
        return role_grant(user=volunteer, role=Role(role), region=coordinated, actor=actor)
    except ValidationError as error:
        # The API names the region coordinated `region`, as the grant's body does.
        fields = {"region" if name == "coordinator_region" else name: m for name, m in error.message_dict.items()}
        raise InvalidInput(fields=fields) from None


def volunteer_role_revoke(*, actor: User, volunteer_id: uuid.UUID | str, role: str) -> User:
    """An admin takes a power from a volunteer: `RoleRevoked`. An admin's own admin role is another admin's to take."""
    if not is_admin(actor):
        raise AdminRequired(_("Only an admin takes roles."))
    volunteer = volunteer_get(volunteer_id=volunteer_id)
    if role == Role.VOLUNTEER:
        raise InvalidInput(fields={"role": [_("Every account is a volunteer; deactivate the account instead.")]})
    if role not in POWERS or not volunteer.groups.filter(name=role).exists():
        raise RoleNotHeld()
    if role == Role.ADMIN and volunteer.pk == actor.pk:
        raise OwnAdminRole()
    return role_revoke(user=volunteer, role=Role(role), actor=actor)


def _role_group(role: Role) -> Group:
    # The migration creates the groups; get_or_create keeps a database built without it working.
    group, _created = Group.objects.get_or_create(name=role.value)
    return group


@transaction.atomic
def role_grant(*, user: User, role: Role, region: Region | None = None, actor: User | None = None) -> User:
    """Give `user` the `role`. A coordinator role needs `region`; giving it again moves the region.

    The powers (organiser, coordinator, admin) are facts, `RoleGranted` on the volunteer's stream,
    folded onto the account by the projection `volunteers.roles`; a grant that changes nothing
    records nothing. Admins also become staff, so they can open the Django admin. `actor` is who
    gives it (None: the platform itself, e.g. the demo).
    """
    if role is Role.COORDINATOR:
        validate_coordinator_region(roles={role}, coordinator_region=region)
    elif region is not None:
        raise ValidationError(
            {"region": _("Only the coordinator role is given for a region.")}, code="region_not_expected"
        )
    if role is Role.VOLUNTEER:
        # Not a power anyone gives: every account has it from its creation (volunteers.receivers).
        user.groups.add(_role_group(role))
        role_names_forget(user)
        return user

    held = user.groups.filter(name=role.value).exists()
    if held and (role is not Role.COORDINATOR or user.coordinator_region_id == region.pk):
        return user
    fact = RoleGranted(volunteer_id=user.volunteer_id, role=role.value, region=region.pk if region else None)
    _role_record(user, fact, actor=actor)
    return user


@transaction.atomic
def role_revoke(*, user: User, role: Role, actor: User | None = None) -> User:
    """Take `role` from `user` (`RoleRevoked`; nothing is recorded if they do not hold it).

    Every account stays a volunteer, so that role cannot be revoked.
    """
    if role is Role.VOLUNTEER:
        raise ValidationError(
            {"role": _("Every account is a volunteer; deactivate the account instead.")},
            code="volunteer_role_permanent",
        )
    if not user.groups.filter(name=role.value).exists():
        return user
    _role_record(user, RoleRevoked(volunteer_id=user.volunteer_id, role=role.value), actor=actor)
    return user


def _role_record(user: User, fact: RoleGranted | RoleRevoked, *, actor: User | None) -> None:
    # meta.source is the request's or task's (ledger.context): "api", "web", "admin", "worker".
    append(volunteer_stream(user.volunteer_id), [fact], actor_id=actor.volunteer_id if actor is not None else None)
    # The projection moved the row; the caller's object follows it.
    user.refresh_from_db(fields=["coordinator_region", "is_staff"])
    role_names_forget(user)


def volunteer_email_choices_set(*, user: User, **choices: bool) -> User:
    """Save which emails the person wants: `confirmations=False` turns that topic off (email_choices)."""
    fields = [TOPICS[topic] for topic in choices]
    for topic, wanted in choices.items():
        setattr(user, TOPICS[topic], bool(wanted))
    if fields:
        user.save(update_fields=fields)
    return user


def volunteer_unsubscribe(*, volunteer_id: uuid.UUID, topic: str) -> User | None:
    """One click on an email's link: that topic off for its recipient; None when the account is gone."""
    user = User.objects.filter(volunteer_id=volunteer_id, is_active=True).first()
    return volunteer_email_choices_set(user=user, **{topic: False}) if user is not None else None


def volunteer_calendar_token_reset(*, user: User) -> str:
    """A new secret for the person's calendar feed: the old address answers 404 from now on."""
    user.calendar_token = calendar_token_new()
    user.save(update_fields=["calendar_token"])
    return user.calendar_token
