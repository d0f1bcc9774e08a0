"""The survival checks API: a planting event's checks, and recording one (organisers, coordinators)."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.idempotency import OPENAPI_PARAMETER as IDEMPOTENCY_KEY
from config.idempotency import idempotency_key
from events import selectors, services
from events.api import schema
from events.api.serializers import SurvivalCheckInputSerializer, SurvivalCheckSerializer

SURVIVAL_INVALID = schema.errors(
    "The count is not valid; nothing was recorded.",
    schema.error(
        "validation_error", "Some fields are not valid.", {"alive.elm": ["41 alive is more than the 40 planted."]}
    ),
    schema.error(
        "survival_check_too_early",
        "A survival check counts trees at least 3 months after the planting.",
        {"counted_on": ["The first check is due 3 months after the planting, on 2026-07-18."]},
    ),
)
SURVIVAL_CONFLICTS = schema.errors(
    "The event takes no survival check.",
    schema.error("not_tree_planting", "Survival checks are recorded for tree-planting events only."),
    schema.error("no_verified_trees", "The event has no verified result with trees planted yet."),
    schema.error("event_not_public", "The event has not been approved."),
    schema.IDEMPOTENCY_CONFLICT,
)
CHECK_EXAMPLE = {
    "event_id": schema.EVENT_EXAMPLE_ID,
    "version": 14,
    "label": "year",
    "counted_on": "2027-04-20",
    "alive": {"elm": 31, "pine": 9},
    "planted": {"elm": 40, "pine": 10},
    "alive_total": 40,
    "planted_total": 50,
    "survival_rate": "0.8000",
    "counted_as": "organiser",
    "note": "Watered twice in July.",
    "current": True,
    "recorded_at": "2027-04-20T15:02:11+05:00",
}


class SurvivalCheckListView(APIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(
        tags=["results"],
        summary="The survival checks of a tree-planting event, oldest first (corrected ones too)",
        parameters=[schema.EVENT_ID],
        responses={200: SurvivalCheckSerializer(many=True), 404: schema.EVENT_NOT_FOUND},
        examples=[OpenApiExample("A year's check", value=[CHECK_EXAMPLE], response_only=True)],
    )
    def get(self, request: Request, event_id: str) -> Response:
        checks = selectors.survival_checks(user=request.user, event_id=event_id)
        return Response(SurvivalCheckSerializer(checks, many=True).data)

    @extend_schema(
        tags=["results"],
        summary="Record a survival check: trees alive per species (the event's organisers, its region's coordinators)",
        description=(
            "Appends `SurvivalChecked` to the event's stream. Only for a tree-planting event whose result was "
            "verified with trees. The label comes from `counted_on`: a season (3 months after the event), a year "
            "(12), three years (36); a count before 3 months is refused with 400 `survival_check_too_early`. A "
            "later check of the same label is a correction: a new fact that supersedes the earlier (`current` "
            "false), never an edit. Alive may not exceed planted for any species (`validation_error`, by "
            "`alive.<species>`)."
        ),
        parameters=[schema.EVENT_ID, IDEMPOTENCY_KEY],
        request=SurvivalCheckInputSerializer,
        responses={
            201: SurvivalCheckSerializer,
            400: SURVIVAL_INVALID,
            403: schema.FORBIDDEN,
            404: schema.EVENT_NOT_FOUND,
            409: SURVIVAL_CONFLICTS,
        },
        examples=[
            OpenApiExample(
                "A year's count",
                value={"counted_on": "2027-04-20", "alive": {"elm": 31, "pine": 9}, "note": "Watered twice in July."},
                request_only=True,
            ),
            OpenApiExample("Recorded", value=CHECK_EXAMPLE, response_only=True),
        ],
    )
    def post(self, request: Request, event_id: str) -> Response:
        data = SurvivalCheckInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        check = services.survival_check_record(
            actor=request.user, event_id=event_id, **data.validated_data, idempotency_key=idempotency_key(request)
        )
        return Response(SurvivalCheckSerializer(check).data, status=status.HTTP_201_CREATED)
