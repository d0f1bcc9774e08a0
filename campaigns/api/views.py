"""The campaigns API: regions, campaigns and their targets. Reads are public; writes are admins'."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns import services
from campaigns.api.serializers import (
    CampaignCloseInputSerializer,
    CampaignDetailSerializer,
    CampaignFilterSerializer,
    CampaignLaunchInputSerializer,
    CampaignSerializer,
    CampaignTargetRevisionSerializer,
    CampaignTargetSerializer,
    CampaignTargetsSetInputSerializer,
    CountrySerializer,
    RegionSerializer,
    TargetHistoryFilterSerializer,
)
from campaigns.selectors import campaign_get, campaign_list, campaign_target_history, campaign_targets
from config.idempotency import OPENAPI_PARAMETER as IDEMPOTENCY_KEY
from config.idempotency import idempotency_key
from config.openapi import error, errors
from reference.selectors import country_list, region_list


@extend_schema(
    tags=["regions"],
    summary="The regions of the countries served (Kazakhstan's 20 by default)",
    description=(
        "Every first-level division of the countries this instance serves, each with its country. "
        "Names come in the language of `Accept-Language` (kk, ru, en), in all three and in the country's "
        "own language (`name_local`)."
    ),
    examples=[
        OpenApiExample(
            "Abai Region",
            value={
                "code": "KZ-10",
                "kind": "region",
                "name": "Абай облысы",
                "name_kk": "Абай облысы",
                "name_ru": "Абайская область",
                "name_en": "Abai Region",
                "centre_en": "Semey",
                "population": 600000,
                "country": "KZ",
                "name_local": "Абай облысы",
                "centre_local": "Семей",
                "centre_ru": "Семей",
            },
            response_only=True,
        )
    ],
)
class RegionListView(generics.ListAPIView):
    serializer_class = RegionSerializer
    permission_classes = [permissions.AllowAny]
    pagination_class = None

    def get_queryset(self):
        return region_list()


@extend_schema(
    tags=["regions"],
    summary="The countries served (Kazakhstan by default)",
    description=(
        "Each country this instance serves: its names (in the language of `Accept-Language`, in kk, ru and "
        "en, and in its own language), the time zone its events are held in, its population with the "
        "figure's source and year, and how many regions it has."
    ),
    examples=[
        OpenApiExample(
            "Kazakhstan",
            value={
                "code": "KZ",
                "name": "Kazakhstan",
                "name_local": "Қазақстан",
                "name_kk": "Қазақстан",
                "name_ru": "Казахстан",
                "name_en": "Kazakhstan",
                "time_zone": "Asia/Almaty",
                "population": 20033842,
                "population_year": 2024,
                "population_source": "Bureau of National Statistics, 1 January 2024",
                "region_count": 20,
            },
            response_only=True,
        )
    ],
)
class CountryListView(generics.ListAPIView):
    serializer_class = CountrySerializer
    permission_classes = [permissions.AllowAny]
    pagination_class = None

    def get_queryset(self):
        return country_list()


# --- OpenAPI examples -------------------------------------------------------------------------------

CAMPAIGN_ID_PARAMETER = OpenApiParameter("campaign_id", OpenApiTypes.UUID, OpenApiParameter.PATH)

CAMPAIGN_ID = "8d3f6a52-2b1e-5c43-9a8e-0f4c1e7b2d90"
DETAIL_EXAMPLE = OpenApiExample(
    "Spring 2026",
    response_only=True,
    value={
        "id": CAMPAIGN_ID,
        "name": "Таза Қазақстан — 2026 көктемі",
        "name_kk": "Таза Қазақстан — 2026 көктемі",
        "name_ru": "Таза Казахстан — весна 2026",
        "name_en": "Taza Kazakhstan — Spring 2026",
        "description": "Көктемгі сенбіліктер мен ағаш отырғызу.",
        "description_kk": "Көктемгі сенбіліктер мен ағаш отырғызу.",
        "description_ru": "Весенние субботники и посадка деревьев.",
        "description_en": "Spring clean-ups and tree planting.",
        "starts_on": "2026-03-21",
        "ends_on": "2026-05-31",
        "event_kinds": ["cleanup", "tree_planting", "area_cleanup"],
        "status": "open",
        "version": 2,
        "launched_at": "2026-03-01T09:00:00+05:00",
        "closed_at": None,
        "targets": [
            {"region": "KZ-10", "region_name": "Абай облысы", "metric": "trees", "value": "60000.000", "revision": 2},
            {
                "region": "KZ-10",
                "region_name": "Абай облысы",
                "metric": "waste_kg",
                "value": "1800000.000",
                "revision": 2,
            },
        ],
    },
)
LAUNCH_EXAMPLE = OpenApiExample(
    "Launch with targets",
    request_only=True,
    value={
        "name": {
            "kk": "Таза Қазақстан — 2026 көктемі",
            "ru": "Таза Казахстан — весна 2026",
            "en": "Taza Kazakhstan — Spring 2026",
        },
        "description": {"en": "Spring clean-ups and tree planting."},
        "starts_on": "2026-03-21",
        "ends_on": "2026-05-31",
        "event_kinds": ["cleanup", "tree_planting", "area_cleanup"],
        "targets": [
            {"region": "KZ-10", "metric": "trees", "value": "60000"},
            {"region": "KZ-10", "metric": "waste_kg", "value": "1800000"},
        ],
    },
)
REVISION_EXAMPLE = OpenApiExample(
    "Raise a target",
    request_only=True,
    value={
        "targets": [{"region": "KZ-10", "metric": "trees", "value": "75000"}],
        "reason": "The akimat added 15 000 seedlings.",
        "expected_version": 2,
    },
)
HISTORY_EXAMPLE = OpenApiExample(
    "Two revisions of one target",
    response_only=True,
    value={
        "count": 2,
        "next": None,
        "previous": None,
        "results": [
            {
                "revision": 2,
                "region": "KZ-10",
                "region_name": "Абай облысы",
                "metric": "trees",
                "value": "60000.000",
                "reason": "",
                "set_at": "2026-03-01T09:00:00+05:00",
            },
            {
                "revision": 3,
                "region": "KZ-10",
                "region_name": "Абай облысы",
                "metric": "trees",
                "value": "75000.000",
                "reason": "The akimat added 15 000 seedlings.",
                "set_at": "2026-04-02T10:30:00+05:00",
            },
        ],
    },
)


INVALID = errors(
    "The input breaks a rule; nothing was recorded.",
    error(
        "campaign_invalid",
        "The campaign is not valid.",
        {"name.kk": ["Give the name in Kazakh."], "targets.0.value": ["A target cannot be negative."]},
    ),
    error("validation_error", "Some fields are not valid.", {"starts_on": ["Date has wrong format."]}),
)
FORBIDDEN = errors(
    "Signed in, but not an admin.", error("admin_required", "Only an admin may launch, revise or close campaigns.")
)
NOT_FOUND = errors(
    "No such campaign.", error("campaign_not_found", "There is no such campaign.", {"campaign_id": ["…"]})
)
CONFLICT = errors(
    "The campaign is closed, changed since you read it, or the Idempotency-Key was used otherwise.",
    error("campaign_closed", "The campaign is closed; it takes no more changes or events."),
    error("version_conflict", "The campaign changed since you read it (now version 3); reload and try again."),
    error("idempotency_conflict", "This Idempotency-Key was used for a different request."),
)
WRITE_ERRORS = {400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}


# --- campaigns --------------------------------------------------------------------------------------


class CampaignListView(generics.GenericAPIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    serializer_class = CampaignSerializer

    @extend_schema(
        tags=["campaigns"],
        summary="Campaigns, newest first",
        parameters=[CampaignFilterSerializer],
        responses=CampaignSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = CampaignFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        page = self.paginate_queryset(campaign_list(**filters.validated_data))
        return self.get_paginated_response(CampaignSerializer(page, many=True).data)

    @extend_schema(
        tags=["campaigns"],
        summary="Launch a campaign (admins)",
        description="Appends `CampaignLaunched` and, with targets, `CampaignTargetsSet`.",
        parameters=[IDEMPOTENCY_KEY],
        request=CampaignLaunchInputSerializer,
        responses={201: CampaignDetailSerializer, **WRITE_ERRORS},
        examples=[LAUNCH_EXAMPLE, DETAIL_EXAMPLE],
    )
    def post(self, request: Request) -> Response:
        data = CampaignLaunchInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = services.campaign_launch(
            actor=request.user, **data.validated_data, idempotency_key=idempotency_key(request)
        )
        return Response(CampaignDetailSerializer(campaign).data, status=status.HTTP_201_CREATED)


class CampaignDetailView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["campaigns"],
        summary="A campaign with its targets in force",
        parameters=[CAMPAIGN_ID_PARAMETER],
        responses={200: CampaignDetailSerializer, 404: NOT_FOUND},
        examples=[DETAIL_EXAMPLE],
    )
    def get(self, request: Request, campaign_id: str) -> Response:
        return Response(CampaignDetailSerializer(campaign_get(campaign_id=campaign_id)).data)


class CampaignTargetsView(APIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(
        tags=["campaigns"],
        summary="The targets in force",
        parameters=[CAMPAIGN_ID_PARAMETER],
        responses={200: CampaignTargetSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, campaign_id: str) -> Response:
        campaign = campaign_get(campaign_id=campaign_id)
        return Response(CampaignTargetSerializer(campaign_targets(campaign_id=campaign.id), many=True).data)

    @extend_schema(
        tags=["campaigns"],
        summary="Revise targets (admins)",
        description=(
            "Appends `CampaignTargetsSet`: the regions and metrics named get the new values, the others "
            "keep theirs, and the history keeps every revision."
        ),
        parameters=[CAMPAIGN_ID_PARAMETER, IDEMPOTENCY_KEY],
        request=CampaignTargetsSetInputSerializer,
        responses={200: CampaignDetailSerializer, **WRITE_ERRORS},
        examples=[REVISION_EXAMPLE, DETAIL_EXAMPLE],
    )
    def post(self, request: Request, campaign_id: str) -> Response:
        data = CampaignTargetsSetInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = services.campaign_targets_set(
            actor=request.user, campaign_id=campaign_id, **data.validated_data, idempotency_key=idempotency_key(request)
        )
        return Response(CampaignDetailSerializer(campaign).data)


class CampaignTargetHistoryView(generics.GenericAPIView):
    permission_classes = [permissions.AllowAny]
    serializer_class = CampaignTargetRevisionSerializer

    @extend_schema(
        tags=["campaigns"],
        summary="Every target ever set, oldest revision first",
        parameters=[CAMPAIGN_ID_PARAMETER, TargetHistoryFilterSerializer],
        responses={200: CampaignTargetRevisionSerializer(many=True), 404: NOT_FOUND},
        examples=[HISTORY_EXAMPLE],
    )
    def get(self, request: Request, campaign_id: str) -> Response:
        campaign = campaign_get(campaign_id=campaign_id)
        filters = TargetHistoryFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        page = self.paginate_queryset(campaign_target_history(campaign_id=campaign.id, **filters.validated_data))
        return self.get_paginated_response(CampaignTargetRevisionSerializer(page, many=True).data)


class CampaignCloseView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["campaigns"],
        summary="Close a campaign (admins)",
        description="Appends `CampaignClosed`; the campaign then refuses target revisions and new events.",
        parameters=[CAMPAIGN_ID_PARAMETER, IDEMPOTENCY_KEY],
        request=CampaignCloseInputSerializer,
        responses={200: CampaignDetailSerializer, **WRITE_ERRORS},
        examples=[DETAIL_EXAMPLE],
    )
    def post(self, request: Request, campaign_id: str) -> Response:
        data = CampaignCloseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        campaign = services.campaign_close(
            actor=request.user, campaign_id=campaign_id, **data.validated_data, idempotency_key=idempotency_key(request)
        )
        return Response(CampaignDetailSerializer(campaign).data)
