"""Reactions to account changes that must hold however an account is created or signs in."""

from allauth.account.signals import user_logged_in
from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation

from volunteers.models import User
from volunteers.roles import Role
from volunteers.services import LANGUAGE_CODES, role_grant


@receiver(post_save, sender=User, dispatch_uid="volunteers.every_account_is_a_volunteer")
def every_account_is_a_volunteer(sender, instance: User, created: bool, raw: bool = False, **kwargs) -> None:
    # Accounts are created by allauth's sign-up, the admin, createsuperuser and tests; one receiver
    # keeps the rule "every account is a volunteer" true on all of those paths. Fixtures (raw) bring
    # their own groups.
    if created and not raw:
        role_grant(user=instance, role=Role.VOLUNTEER)


@receiver(user_logged_in, dispatch_uid="volunteers.saved_language_on_sign_in")
def saved_language_on_sign_in(
    sender, request: HttpRequest, user: User, response: HttpResponseBase | None = None, **kwargs
) -> None:
    # The language lives in a cookie that LocaleMiddleware reads. A visitor who chose a language on
    # this device (the switch sets the cookie) keeps it, and it is saved on the account: their choice
    # wins. A device with no choice yet gets the account's saved language back, so a volunteer who
    # chose Kazakh on their phone meets Kazakh on a new computer. allauth's signal carries the
    # response of the sign-in: the cookie set on it makes the next page theirs, and activating now
    # puts allauth's "signed in" message, rendered right after, in it too.
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in LANGUAGE_CODES:
        if user.language != chosen:
            user.language = chosen
            user.save(update_fields=["language"])
        return
    if user.language not in LANGUAGE_CODES:
        return
    translation.activate(user.language)
    request.LANGUAGE_CODE = user.language
    if response is not None:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
