"""Accounts as an admin finds them, and the roles an admin gives and takes.

Each grant and revoke is a fact (`RoleGranted`, `RoleRevoked` on the volunteer's stream, with the
admin as actor: volunteers/facts.py), so who was given which power, by whom and when, is kept for
good; a grant that changes nothing records nothing. The volunteer role is every account's.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.openapi import error, errors
from config.strict import QueryInput, StrictInput
from reference.regions import REGION_CODES
from volunteers import services
from volunteers.api.serializers import MeSerializer
from volunteers.errors import AdminRequired
from volunteers.facts import POWERS
from volunteers.roles import Role, is_admin
from volunteers.selectors import volunteer_get, volunteer_list

VOLUNTEER_ID = OpenApiParameter("volunteer_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
ROLE = OpenApiParameter("role", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(POWERS))


class VolunteerAccountSerializer(MeSerializer):
    """An account as an admin sees it, to give it a role or move it."""

    class Meta(MeSerializer.Meta):
        fields = [
            "volunteer_id",
            "email",
            "display_name",
            "region",
            "organisation",
            "coordinator_region",
            "roles",
            "is_active",
        ]
        read_only_fields = fields


class VolunteerFilterSerializer(QueryInput, serializers.Serializer):
    email = serializers.EmailField(required=False, help_text="The account with this email address (any case).")
    role = serializers.ChoiceField(choices=[role.value for role in Role], required=False)


class RoleGrantInputSerializer(StrictInput, serializers.Serializer):
    role = serializers.ChoiceField(choices=list(POWERS))
    region = serializers.ChoiceField(
        choices=REGION_CODES,
        required=False,
        allow_null=True,
        help_text="For the coordinator role, and only for it: the region coordinated (ISO 3166-2 code).",
    )


ADMINS_ONLY = errors("Signed in, but not an admin.", error("admin_required", "Only an admin may do this."))
VOLUNTEER_NOT_FOUND = errors(
    "No account has this volunteer id.", error("volunteer_not_found", "There is no such volunteer.")
)
ACCOUNT_EXAMPLE = OpenApiExample(
    "A coordinator of Abai Region",
    response_only=True,
    value={
        "volunteer_id": "018f4e2a-7b3c-7d1e-9f00-2a4b6c8d0e1f",
        "email": "saule@example.kz",
        "display_name": "Saule",
        "region": "KZ-10",
        "organisation": None,
        "coordinator_region": "KZ-10",
        "roles": ["volunteer", "coordinator"],
        "is_active": True,
    },
)


def _admin_only(request: Request) -> None:
    if not is_admin(request.user):
        raise AdminRequired()


class VolunteerListView(generics.GenericAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = VolunteerAccountSerializer

    @extend_schema(
        tags=["roles"],
        summary="Accounts, by email (admins)",
        description="Find the account to give a role to: `?email=` names one, `?role=` lists a role's holders.",
        parameters=[VolunteerFilterSerializer],
        responses={200: VolunteerAccountSerializer(many=True), 403: ADMINS_ONLY},
    )
    def get(self, request: Request) -> Response:
        _admin_only(request)
        filters = VolunteerFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        page = self.paginate_queryset(volunteer_list(**filters.validated_data))
        return self.get_paginated_response(VolunteerAccountSerializer(page, many=True).data)


class VolunteerDetailView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["roles"],
        summary="An account (admins)",
        parameters=[VOLUNTEER_ID],
        responses={200: VolunteerAccountSerializer, 403: ADMINS_ONLY, 404: VOLUNTEER_NOT_FOUND},
        examples=[ACCOUNT_EXAMPLE],
    )
    def get(self, request: Request, volunteer_id: str) -> Response:
        _admin_only(request)
        return Response(VolunteerAccountSerializer(volunteer_get(volunteer_id=volunteer_id)).data)


class RoleGrantView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["roles"],
        summary="Give a role (admins)",
        description=(
            "Appends `RoleGranted` to the volunteer's stream. The coordinator role needs `region`, and "
            "given again it moves there (a coordinator coordinates one region); an admin also opens the "
            "Django admin. Giving a role held already records nothing and answers the account as it is."
        ),
        parameters=[VOLUNTEER_ID],
        request=RoleGrantInputSerializer,
        responses={
            200: VolunteerAccountSerializer,
            400: errors(
                "The input breaks a rule; nothing was recorded.",
                error(
                    "validation_error",
                    "Some fields are not valid.",
                    {"region": ["A coordinator needs the one region they coordinate."]},
                ),
            ),
            403: ADMINS_ONLY,
            404: VOLUNTEER_NOT_FOUND,
        },
        examples=[
            OpenApiExample(
                "Coordinator of Abai Region", request_only=True, value={"role": "coordinator", "region": "KZ-10"}
            ),
            OpenApiExample("Organiser", request_only=True, value={"role": "organiser"}),
            ACCOUNT_EXAMPLE,
        ],
    )
    def post(self, request: Request, volunteer_id: str) -> Response:
        _admin_only(request)
        data = RoleGrantInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        volunteer = services.volunteer_role_grant(actor=request.user, volunteer_id=volunteer_id, **data.validated_data)
        return Response(VolunteerAccountSerializer(volunteer).data)


class RoleRevokeView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["roles"],
        summary="Take a role (admins)",
        description=(
            "Appends `RoleRevoked`. A coordinator loses their region, an admin the Django admin (unless a "
            "superuser). The volunteer role is every account's, and an admin's own admin role is another "
            "admin's to take."
        ),
        parameters=[VOLUNTEER_ID, ROLE],
        request=None,
        responses={
            200: VolunteerAccountSerializer,
            400: errors(
                "The volunteer role, which every account keeps.",
                error(
                    "validation_error",
                    "Some fields are not valid.",
                    {"role": ["Every account is a volunteer; deactivate the account instead."]},
                ),
            ),
            403: ADMINS_ONLY,
            404: errors(
                "No such account, or it does not hold the role.",
                error("volunteer_not_found", "There is no such volunteer."),
                error("role_not_held", "The volunteer does not hold this role."),
            ),
            409: errors(
                "An admin taking their own admin role.",
                error("own_admin_role", "You cannot take your own admin role; another admin must."),
            ),
        },
    )
    def delete(self, request: Request, volunteer_id: str, role: str) -> Response:
        _admin_only(request)
        volunteer = services.volunteer_role_revoke(actor=request.user, volunteer_id=volunteer_id, role=role)
        return Response(VolunteerAccountSerializer(volunteer).data)
