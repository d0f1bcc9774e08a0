"""Signing up and confirming the email address through the API, by allauth's headless API.

The work is allauth's own: its headless views for app clients (`allauth.headless`, settings
HEADLESS_CLIENTS) run the sign-up form with this project's extra fields (volunteers.forms), the
password validators, the rate limits (ACCOUNT_RATE_LIMITS: "signup"), the protection against
telling who has an account, and the verification email, which the adapter records in the outbox
(volunteers.adapter.AccountAdapter.send_mail). Nothing of that is written again here.

Its URLs are not mounted; these two views call its views in-process and answer in this API's own
terms. Why wrap instead of mounting `/_allauth/app/v1/...` and documenting allauth's shape:

- one error contract: allauth answers `{"status": 400, "errors": [{"code", "message", "param"}]}`,
  the API everywhere else `{"error": {"code", "message", "fields"}}`; a client would need two;
- no server errors: allauth reads the body with `json.loads`, so JSON nested a thousand levels deep
  is a 500 (RecursionError) and a body that is not an object a bare HTML 400. Here the body goes
  through the API's parser first (config/parsers.py: 400 parse_error, 413, 415 in the JSON shape);
- one schema: allauth's protocol says 401 with a list of pending "flows" for "signed up, now confirm
  your email", and hands out allauth session tokens this API does not use (it signs in with
  `POST /api/v1/auth/token/`). Said as 202 and 200 here, the operations are in /api/schema/ like
  the rest, where tests/answers.py and the hostile-bodies test hold them to it.

The headless request is a copy of the API request with the validated body as JSON and without an
`X-Session-Token` or the caller's session: every sign-up starts afresh, whoever is signed in on the
same browser. The email links to the site's confirmation page (no HEADLESS_FRONTEND_URLS), so the
same email serves a browser and an app, which posts the link's key to `email/verify/`.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable

from allauth.account.models import get_emailconfirmation_model
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.headless.account import views as headless
from allauth.headless.constants import Client
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.errors import Conflict, DomainError, Forbidden
from config.openapi import error, errors
from config.strict import StrictInput
from reference.regions import REGION_CODES
from volunteers.adapter import retry_after
from volunteers.errors import InvalidInput

_signup = headless.SignupView.as_api_view(client=Client.APP)
_verify_email = headless.VerifyEmailView.as_api_view(client=Client.APP)


class SignupClosed(Forbidden):
    code = "signup_closed"
    default_message = _("Signing up is closed.")


class TooManySignups(DomainError):
    code = "too_many_requests"
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_message = _("Too many attempts from this address. Try again later.")

    def __init__(self, *, retry_after: int):
        super().__init__()
        self.headers["Retry-After"] = str(retry_after)


class KeyInvalid(DomainError):
    code = "invalid_or_expired_key"
    default_message = _("This link is invalid or has expired.")


class EmailTaken(Conflict):
    code = "email_taken"
    default_message = _("This email address is confirmed for another account already.")


# --- serializers ------------------------------------------------------------------------------------


class SignupInputSerializer(StrictInput, serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(
        trim_whitespace=False, style={"input_type": "password"}, help_text="Checked like the sign-up page's."
    )
    display_name = serializers.CharField(
        max_length=100,
        help_text="Shown to organisers of the events you join, and on leaderboards if you allow it.",
    )
    region = serializers.ChoiceField(
        choices=REGION_CODES, required=False, allow_null=True, help_text="Home region, ISO 3166-2 code (e.g. `KZ-71`)."
    )
    language = serializers.ChoiceField(
        choices=[code for code, _name in settings.LANGUAGES],
        required=False,
        help_text="The account's language: the email comes in it, and so do this answer's messages. "
        "Default: the request's (`Accept-Language`).",
    )


class SignupAnswerSerializer(serializers.Serializer):
    email = serializers.EmailField(help_text="Where the link to confirm the address was sent.")
    verification_sent = serializers.BooleanField()


class VerifyEmailInputSerializer(StrictInput, serializers.Serializer):
    key = serializers.CharField(
        max_length=500,
        help_text="The key of the link in the email: its last part, `https://…/accounts/confirm-email/<key>/`.",
    )


class VerifyEmailAnswerSerializer(serializers.Serializer):
    email = serializers.EmailField()
    verified = serializers.BooleanField()


# --- running allauth's views ------------------------------------------------------------------------


def _run_headless(view: Callable, request: HttpRequest, body: dict) -> tuple[int, dict]:
    """Run one of allauth's headless views for app clients on `body`; its status and JSON answer."""
    inner = copy.copy(request)
    inner.META = {key: value for key, value in request.META.items() if key != "HTTP_X_SESSION_TOKEN"}
    inner.META["CONTENT_TYPE"] = "application/json"
    inner._body = json.dumps(body).encode()
    # allauth gives the headless request a session of its own and reads the user from it; an
    # anonymous start keeps it from reaching back to the caller's session cookie.
    inner.user = AnonymousUser()
    for cached in ("_cached_user", "_acached_user", "headers"):  # `headers` is read from META once
        inner.__dict__.pop(cached, None)
    try:
        response: HttpResponseBase = view(inner)
    except ImmediateHttpResponse as immediate:
        response = immediate.response
    try:
        answer = json.loads(response.content or b"{}")
    except ValueError:
        answer = {}
    return response.status_code, answer if isinstance(answer, dict) else {}


def _field_errors(answer: dict) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for problem in answer.get("errors", []):
        fields.setdefault(problem.get("param") or "non_field_errors", []).append(problem.get("message", ""))
    return fields


def _codes(answer: dict) -> set[str]:
    return {problem.get("code", "") for problem in answer.get("errors", [])}


def _refusal(request: HttpRequest, status_code: int, answer: dict, *, action: str) -> DomainError:
    if status_code == status.HTTP_429_TOO_MANY_REQUESTS:
        return TooManySignups(retry_after=retry_after(request, action=action))
    if status_code == status.HTTP_403_FORBIDDEN:
        return SignupClosed()
    return InvalidInput(fields=_field_errors(answer))


# --- views ---------------------------------------------------------------------------------------------

TOO_MANY = errors(
    "Too many sign-ups from this client's address (ACCOUNT_RATE_LIMITS, 20 a minute); the address is the "
    "one the trusted proxies saw.",
    error("too_many_requests", "Too many attempts from this address. Try again later."),
)
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    response=[429],
    description="Seconds until this address may try again.",
)


class SignupView(APIView):
    """Create a volunteer account; it can sign in once its email address is confirmed."""

    # No session, no CSRF: like the token endpoint, the request carries everything it needs.
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["accounts"],
        summary="Sign up",
        description=(
            "allauth's sign-up (its headless API): the account is a volunteer's, and an email with a link "
            "to confirm the address is sent. Post the link's key to `/api/v1/auth/email/verify/` (or open "
            "it), then get a token from `/api/v1/auth/token/`. An address that has an account already gets "
            "the same answer here, and an email saying so: nobody learns from this who has an account."
        ),
        request=SignupInputSerializer,
        parameters=[RETRY_AFTER],
        responses={
            202: SignupAnswerSerializer,
            400: errors(
                "The input breaks a rule (the password too short or too common, an unknown region); "
                "no account was made.",
                error(
                    "validation_error",
                    "Some fields are not valid.",
                    {"password": ["This password is too short. It must contain at least 8 characters."]},
                ),
            ),
            403: errors("Signing up is closed.", error("signup_closed", "Signing up is closed.")),
            429: TOO_MANY,
        },
        examples=[
            OpenApiExample(
                "A volunteer in Astana",
                request_only=True,
                value={
                    "email": "dana@example.kz",
                    "password": "kokterek-2026-taza",  # an example  # nosec B105
                    "display_name": "Dana",
                    "region": "KZ-71",
                    "language": "kk",
                },
            ),
            OpenApiExample(
                "Email sent", response_only=True, value={"email": "dana@example.kz", "verification_sent": True}
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        data = SignupInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        body = {
            "email": given["email"],
            "password": given["password"],
            "display_name": given["display_name"],
            "region": given.get("region") or "",
        }
        with translation.override(given.get("language") or translation.get_language()):
            status_code, answer = _run_headless(_signup, request._request, body)
            if answer.get("errors") or status_code not in (status.HTTP_200_OK, status.HTTP_401_UNAUTHORIZED):
                raise _refusal(request._request, status_code, answer, action="signup")
        answer = SignupAnswerSerializer({"email": given["email"].strip().lower(), "verification_sent": True})
        return Response(answer.data, status=status.HTTP_202_ACCEPTED)


class EmailVerifyView(APIView):
    """Confirm an email address with the key of the link allauth sent."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["accounts"],
        summary="Confirm the email address",
        description=(
            "The key is the last part of the link in the sign-up email. Once confirmed, the account gets a "
            "token from `/api/v1/auth/token/`; the key is spent (a second try is `invalid_or_expired_key`)."
        ),
        request=VerifyEmailInputSerializer,
        responses={
            200: VerifyEmailAnswerSerializer,
            400: errors(
                "The key names no address waiting to be confirmed (wrong, spent or expired): signing in on the "
                "site sends a new email.",
                error("invalid_or_expired_key", "This link is invalid or has expired.", {"key": ["…"]}),
                error("validation_error", "Some fields are not valid.", {"key": ["This field is required."]}),
            ),
            409: errors(
                "Another account confirmed this address first.",
                error("email_taken", "This email address is confirmed for another account already."),
            ),
        },
        examples=[
            OpenApiExample("The key from the link", request_only=True, value={"key": "MQ:1uq0Zk:8Qh0t0Y…"}),
            OpenApiExample("Confirmed", response_only=True, value={"email": "dana@example.kz", "verified": True}),
        ],
    )
    def post(self, request: Request) -> Response:
        data = VerifyEmailInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        key = data.validated_data["key"]
        confirmation = get_emailconfirmation_model().from_key(key)  # None once confirmed: allauth's rule
        status_code, answer = _run_headless(_verify_email, request._request, {"key": key})
        if answer.get("errors"):
            fields = _field_errors(answer)
            if "email_taken" in _codes(answer):
                raise EmailTaken(fields=fields)
            raise KeyInvalid(fields=fields)
        if status_code not in (status.HTTP_200_OK, status.HTTP_401_UNAUTHORIZED):
            raise _refusal(request._request, status_code, answer, action="confirm_email")
        if confirmation is None:  # confirmed by someone else between the two reads
            raise KeyInvalid(fields={"key": [str(_("This link is invalid or has expired."))]})
        email = confirmation.email_address.email
        return Response(VerifyEmailAnswerSerializer({"email": email, "verified": True}).data)
