"""Writes on accounts: the profile (at sign-up and on the profile page), the language, the API token."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.authtoken.models import Token

from campaigns.models import Region
from config.errors import DomainError, Forbidden
from volunteers.adapter import SignInLocked
from volunteers.models import Organisation, User
from volunteers.selectors import email_is_verified

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
