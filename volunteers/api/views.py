from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.openapi import error, errors
from volunteers.api.serializers import MeSerializer, TokenRequestSerializer, TokenSerializer
from volunteers.services import auth_token_issue


class TokenCreateView(APIView):
    """Exchange the email and password of a verified account for an API token."""

    # No session authentication, hence no CSRF check: the credentials are the whole proof.
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["accounts"],
        summary="Get an API token",
        description=(
            "The same token comes back on every call until it is deleted. Accounts whose email "
            "address is not confirmed get `403 email_not_verified`; repeated failures get `429`."
        ),
        request=TokenRequestSerializer,
        parameters=[
            OpenApiParameter(
                "Retry-After",
                OpenApiTypes.INT,
                OpenApiParameter.HEADER,
                response=[429],
                description="Seconds until this address or account may try again.",
            )
        ],
        responses={
            200: TokenSerializer,
            400: errors(
                "Wrong email or password, or a field missing.",
                error("invalid_credentials", "The email address and/or password are not correct."),
                error("validation_error", "Some fields are not valid.", {"password": ["This field is required."]}),
            ),
            403: errors(
                "The account's email address is not confirmed.",
                error(
                    "email_not_verified",
                    "Confirm your email address first: follow the link in the email we sent you.",
                ),
            ),
            429: errors(
                "Too many failed sign-ins from this client's address (10 a minute) or for this account (5 in 5 "
                "minutes); the address is the one the trusted proxies saw (TAZA_TRUSTED_PROXY_COUNT).",
                error("too_many_attempts", "Too many failed sign-in attempts. Try again later."),
            ),
        },
        examples=[
            OpenApiExample("Token", value={"token": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"}, response_only=True)  # nosec B105
        ],
    )
    def post(self, request: Request) -> Response:
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token = auth_token_issue(
            request=request._request,
            email=data.validated_data["email"],
            password=data.validated_data["password"],
        )
        return Response(TokenSerializer({"token": token.key}).data)


class MeView(APIView):
    """The caller's own account."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(tags=["accounts"], summary="My profile and roles", responses={200: MeSerializer})
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)
