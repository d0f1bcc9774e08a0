"""Organisations and their members: anyone reads the organisations; admins, and coordinators in their
region, add them; volunteers join and leave for themselves; admins move anyone, organisers included.

Members are shown only to those who answer for the organisation (its organisers, its region's
coordinator, admins), by the name they chose to show organisers; the volunteer id, which is the
same everywhere and names them in the ledger, only to admins, who need it to move or remove them.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.languages import WrittenTextField, written_schema
from config.openapi import error, errors
from config.strict import QueryInput, StrictInput, described
from reference.regions import REGION_CODES
from volunteers import services
from volunteers.models import Organisation, User
from volunteers.roles import is_admin, is_organiser
from volunteers.selectors import organisation_get, organisation_list, organisation_members

ORGANISATION_ID = OpenApiParameter("organisation_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
VOLUNTEER_ID = OpenApiParameter("volunteer_id", OpenApiTypes.UUID, OpenApiParameter.PATH)


# --- serializers ------------------------------------------------------------------------------------


class OrganisationSerializer(serializers.ModelSerializer):
    name = serializers.CharField(help_text="In the language of the request, else the first written (kk, ru, en).")
    name_by_language = serializers.DictField(
        source="written_names",
        child=serializers.CharField(),
        help_text="The languages written (kk, ru, en), only those.",
    )
    region = serializers.CharField(source="region_id", help_text="ISO 3166-2 code of its region.")
    region_name = serializers.CharField(source="region.name", help_text="In the language of the request.")

    class Meta:
        model = Organisation
        fields = ["id", "name", "name_by_language", "kind", "region", "region_name", "created_at"]
        read_only_fields = fields


class OrganisationInputSerializer(StrictInput, serializers.Serializer):
    name = described(
        WrittenTextField(
            one_at_least=True,
            help_text="Written in kk, ru or en, one at least; unique in its region in each language, in any case.",
        ),
        written_schema(max_length=200, required=True),
    )
    kind = serializers.ChoiceField(choices=Organisation.Kind.choices)
    region = serializers.ChoiceField(choices=REGION_CODES, help_text="ISO 3166-2 code, e.g. `KZ-71` (Astana).")


class OrganisationFilterSerializer(QueryInput, serializers.Serializer):
    region = serializers.ChoiceField(
        choices=REGION_CODES, required=False, help_text="Only this region's (ISO 3166-2 code)."
    )
    kind = serializers.ChoiceField(choices=Organisation.Kind.choices, required=False)


class MemberSerializer(serializers.Serializer):
    volunteer_id = serializers.SerializerMethodField(
        help_text="Admins only (null for others): the id the volunteer is known by everywhere."
    )
    display_name = serializers.CharField()
    is_organiser = serializers.SerializerMethodField(help_text="Acts for the organisation: runs its events.")

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_volunteer_id(self, member: User) -> str | None:
        return str(member.volunteer_id) if is_admin(self.context["request"].user) else None

    def get_is_organiser(self, member: User) -> bool:
        acts = getattr(member, "acts_for_it", None)
        return bool(acts) if acts is not None else is_organiser(member)


class MemberInputSerializer(StrictInput, serializers.Serializer):
    volunteer_id = serializers.UUIDField(
        required=False, help_text="Whom an admin adds; leave it out to join yourself (volunteers)."
    )


# --- schema pieces ------------------------------------------------------------------------------------

ORGANISATION_EXAMPLE = OpenApiExample(
    "A university eco-club in Astana",
    response_only=True,
    value={
        "id": "0c1f5a7e-9d55-4e0c-8f0e-35a1d2b7c001",
        "name": "ENU Eco-club",
        "name_by_language": {"kk": "ЕҰУ экоклубы", "ru": "Экоклуб ЕНУ", "en": "ENU Eco-club"},
        "kind": "university",
        "region": "KZ-71",
        "region_name": "Astana",
        "created_at": "2026-03-02T10:00:00+05:00",
    },
)
MEMBERS_EXAMPLE = OpenApiExample(
    "As an admin sees them",
    response_only=True,
    value={
        "count": 2,
        "next": None,
        "previous": None,
        "results": [
            {"volunteer_id": "018f4e2a-7b3c-7d1e-9f00-2a4b6c8d0e1f", "display_name": "Arman", "is_organiser": True},
            {"volunteer_id": "018f4e2a-7b3c-7d1e-9f00-2a4b6c8d0e20", "display_name": "Aigerim", "is_organiser": False},
        ],
    },
)
NOT_FOUND = errors("No such organisation.", error("organisation_not_found", "There is no such organisation."))
MEMBER_NOT_FOUND = errors(
    "No such organisation or volunteer, or the volunteer is not its member.",
    error("organisation_not_found", "There is no such organisation."),
    error("volunteer_not_found", "There is no such volunteer."),
    error("member_not_found", "The volunteer is not a member of this organisation."),
)


# --- views ---------------------------------------------------------------------------------------------


class OrganisationListView(generics.GenericAPIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    serializer_class = OrganisationSerializer

    @extend_schema(
        tags=["organisations"],
        summary="Organisations, by name",
        description="Schools, university eco-clubs, NGOs, companies and akimat departments that organisers act for.",
        parameters=[OrganisationFilterSerializer],
        responses=OrganisationSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = OrganisationFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        page = self.paginate_queryset(organisation_list(**filters.validated_data))
        return self.get_paginated_response(OrganisationSerializer(page, many=True).data)

    @extend_schema(
        tags=["organisations"],
        summary="Add an organisation (admins; coordinators in their region)",
        description=(
            "Events are shown under their organisation's name, so organisations are added by someone who "
            "answers for the region: an admin anywhere, a coordinator in the region they coordinate."
        ),
        request=OrganisationInputSerializer,
        responses={
            201: OrganisationSerializer,
            400: errors(
                "The input breaks a rule; nothing was added.",
                error("validation_error", "Some fields are not valid.", {"region": ["There is no such region."]}),
            ),
            403: errors(
                "Neither an admin nor the coordinator of the organisation's region.",
                error("permission_denied", "Only an admin, or the coordinator of its region, adds an organisation."),
            ),
            409: errors(
                "The region has an organisation of this name already (in any case).",
                error(
                    "organisation_exists",
                    "The region already has an organisation of this name.",
                    {"name": ["The region already has an organisation of this name."]},
                ),
            ),
        },
        examples=[
            OpenApiExample(
                "A school in Abai Region",
                request_only=True,
                value={"name": "Semey school No. 12", "kind": "school", "region": "KZ-10"},
            ),
            OpenApiExample(
                "A club named in two languages",
                request_only=True,
                value={
                    "name": {"kk": "«Жасыл Семей» клубы", "ru": "Клуб «Зелёный Семей»"},
                    "kind": "ngo",
                    "region": "KZ-10",
                },
            ),
            ORGANISATION_EXAMPLE,
        ],
    )
    def post(self, request: Request) -> Response:
        data = OrganisationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = services.organisation_create(actor=request.user, **data.validated_data)
        return Response(OrganisationSerializer(organisation).data, status=status.HTTP_201_CREATED)


class OrganisationDetailView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["organisations"],
        summary="An organisation",
        parameters=[ORGANISATION_ID],
        responses={200: OrganisationSerializer, 404: NOT_FOUND},
        examples=[ORGANISATION_EXAMPLE],
    )
    def get(self, request: Request, organisation_id: str) -> Response:
        return Response(OrganisationSerializer(organisation_get(organisation_id=organisation_id)).data)


class OrganisationMemberListView(generics.GenericAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = MemberSerializer

    @extend_schema(
        tags=["organisations"],
        summary="Its members (its organisers, its region's coordinator, admins)",
        description="Organisers first, then by name. Only admins are shown the volunteers' ids.",
        parameters=[ORGANISATION_ID],
        responses={
            200: MemberSerializer(many=True),
            403: errors(
                "Not one of those who answer for the organisation.",
                error(
                    "permission_denied",
                    "Only the organisation's organisers, its region's coordinator and admins see its members.",
                ),
            ),
            404: NOT_FOUND,
        },
        examples=[MEMBERS_EXAMPLE],
    )
    def get(self, request: Request, organisation_id: str) -> Response:
        organisation = organisation_get(organisation_id=organisation_id)
        page = self.paginate_queryset(organisation_members(user=request.user, organisation=organisation))
        return self.get_paginated_response(MemberSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(
        tags=["organisations"],
        summary="Join it (volunteers), or add a member (admins)",
        description=(
            "A member of one organisation at a time: joining moves the volunteer out of any other. Volunteers "
            "join for themselves, as on their profile page. An organiser runs every event of their "
            "organisation, so only an admin moves an organiser to one."
        ),
        parameters=[ORGANISATION_ID],
        request=MemberInputSerializer,
        responses={
            200: MemberSerializer,
            400: errors(
                "The input is not valid; nobody was moved.",
                error("validation_error", "Some fields are not valid.", {"volunteer_id": ["Must be a valid UUID."]}),
            ),
            403: errors(
                "Adding someone else (admins only), or an organiser joining by themselves.",
                error("admin_required", "Volunteers join an organisation only for themselves; an admin adds others."),
                error(
                    "organiser_moved_by_admin",
                    "Organisers act for their organisation: only an admin moves them to another one.",
                ),
            ),
            404: errors(
                "No such organisation, or (for an admin) no such volunteer.",
                error("organisation_not_found", "There is no such organisation."),
                error("volunteer_not_found", "There is no such volunteer."),
            ),
        },
        examples=[
            OpenApiExample("Join it", request_only=True, value={}),
            OpenApiExample(
                "An admin adds an organiser",
                request_only=True,
                value={"volunteer_id": "018f4e2a-7b3c-7d1e-9f00-2a4b6c8d0e1f"},
            ),
        ],
    )
    def post(self, request: Request, organisation_id: str) -> Response:
        data = MemberInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member = services.organisation_member_add(
            actor=request.user, organisation_id=organisation_id, volunteer_id=data.validated_data.get("volunteer_id")
        )
        return Response(MemberSerializer(member, context={"request": request}).data)


class OrganisationMemberView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["organisations"],
        summary="Leave it (members), or remove a member (admins)",
        description="An organiser who leaves no longer acts for the organisation's events.",
        parameters=[ORGANISATION_ID, VOLUNTEER_ID],
        request=None,
        responses={
            204: None,
            403: errors(
                "Removing someone else, and not an admin.",
                error("admin_required", "Members leave an organisation by themselves; only an admin removes others."),
            ),
            404: MEMBER_NOT_FOUND,
        },
    )
    def delete(self, request: Request, organisation_id: str, volunteer_id: str) -> Response:
        services.organisation_member_remove(
            actor=request.user, organisation_id=organisation_id, volunteer_id=volunteer_id
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
