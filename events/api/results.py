"""The results API: the result in force with its history, logging (and correcting), verification."""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.idempotency import OPENAPI_PARAMETER as IDEMPOTENCY_KEY
from config.idempotency import idempotency_key
from events import selectors, services
from events.api import schema
from events.api.serializers import ResultLogInputSerializer, ResultSerializer, ResultVerifyInputSerializer
from events.errors import NoResult

RESULT_INVALID = schema.errors(
    "The figures are not valid; nothing was recorded.",
    schema.error("validation_error", "Some fields are not valid.", {"waste_kg.plastic": ["Cannot be negative."]}),
    schema.error(
        "implausible_result",
        "Some figures are above the plausible limits; explain them in the justification.",
        {"waste_kg": ["50000 is more than 500 per participant for 1 participants."], "justification": ["…"]},
    ),
    schema.error("correction_reason_required", "A correction of a result needs a reason."),
)
RESULT_CONFLICTS = schema.errors(
    "The result cannot take this now.",
    schema.error("event_not_started", "The event has not started yet."),
    schema.error("no_result", "No result has been logged for this event."),
    schema.error("result_outdated", "The result was corrected since; verify the latest version."),
    schema.error("result_already_verified", "This version of the result has already been verified."),
    schema.error(
        "campaign_closed",
        "The campaign is closed: only a coordinator of the event's region may correct its result, with a reason.",
    ),
    schema.IDEMPOTENCY_CONFLICT,
)
RESULT_WRITE = {400: RESULT_INVALID, 403: schema.FORBIDDEN, 404: schema.EVENT_NOT_FOUND, 409: RESULT_CONFLICTS}


def _result_response(request: Request, event_id: str, code: int = status.HTTP_200_OK) -> Response:
    result = selectors.result_get(user=request.user, event_id=event_id)
    if result is None:
        raise NoResult()
    return Response(ResultSerializer(result, context={"request": request}).data, status=code)


class ResultView(APIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(
        tags=["results"],
        summary="The result of an event: figures verified or awaiting, every report and verification",
        parameters=[schema.EVENT_ID],
        responses={200: ResultSerializer, 404: schema.EVENT_NOT_FOUND, 409: RESULT_CONFLICTS},
        examples=[schema.RESULT_EXAMPLE],
    )
    def get(self, request: Request, event_id: str) -> Response:
        return _result_response(request, event_id)

    @extend_schema(
        tags=["results"],
        summary="Log the result, or correct it with a reason (organisers; coordinators once the campaign closed)",
        description=(
            "Appends `ResultLogged` with the full figures. A correction is a new report: nothing is "
            "overwritten, and every figure awaits verification again; until the coordinator judges it, "
            "the figures verified before it (if any) are the ones that count, in the totals too, and a "
            "rejected correction leaves them standing. Once the campaign is closed only a coordinator of "
            "the event's region logs or corrects the result, always with `correction_reason`; organisers "
            "get 409 `campaign_closed`."
        ),
        parameters=[schema.EVENT_ID, IDEMPOTENCY_KEY],
        request=ResultLogInputSerializer,
        responses={201: ResultSerializer, **RESULT_WRITE},
        examples=[schema.RESULT_LOG_EXAMPLE, schema.RESULT_EXAMPLE],
    )
    def post(self, request: Request, event_id: str) -> Response:
        data = ResultLogInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.result_log(
            actor=request.user, event_id=event_id, **data.validated_data, idempotency_key=idempotency_key(request)
        )
        return _result_response(request, event_id, status.HTTP_201_CREATED)


class ResultVerifyView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["results"],
        summary="Accept, adjust (with a reason and figures) or reject the latest result (coordinators)",
        description=(
            "Appends `ResultVerified` for the `result_version` judged. Adjusting names only what "
            "changes: `waste_kg` by kind and `tree_species` by species; every kind, species and figure "
            "left out keeps the organiser's figure."
        ),
        parameters=[schema.EVENT_ID, IDEMPOTENCY_KEY],
        request=ResultVerifyInputSerializer,
        responses={200: ResultSerializer, **RESULT_WRITE},
        examples=[schema.RESULT_ADJUST_EXAMPLE, schema.RESULT_EXAMPLE],
    )
    def post(self, request: Request, event_id: str) -> Response:
        data = ResultVerifyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.result_verify(
            actor=request.user, event_id=event_id, **data.validated_data, idempotency_key=idempotency_key(request)
        )
        return _result_response(request, event_id)
