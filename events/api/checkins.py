"""The check-in API: by pass (QR), roster, event code, the offline queue; check-out; undoing one.

Nothing here finds a person by email or volunteer id: a check-in needs the person's own pass, their
registered place, or the event code typed on their own phone (see events/services/checkins.py).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.idempotency import OPENAPI_PARAMETER as IDEMPOTENCY_KEY
from config.idempotency import idempotency_key
from events import selectors, services
from events.api import schema
from events.api.serializers import (
    CheckInOutcomeSerializer,
    CheckInSerializer,
    CheckInUndoInputSerializer,
    CheckInUndoSerializer,
    CheckOutInputSerializer,
    CodeCheckInInputSerializer,
    PassCheckInInputSerializer,
    RosterCheckInInputSerializer,
    UploadInputSerializer,
    UploadOutputSerializer,
)
from events.services import CheckInOutcome, UploadItem

CHECKIN_CONFLICTS = schema.errors(
    "The volunteer cannot be checked in now.",
    schema.error("not_registered", "The volunteer has no place at this event."),
    schema.error("registration_cancelled", "This registration was cancelled."),
    schema.error("outside_checkin_window", "Check-in is open only around the event's time."),
    schema.error("event_cancelled", "The event was cancelled."),
    schema.IDEMPOTENCY_CONFLICT,
)
CHECKIN_INVALID = schema.errors(
    "The pass, code or input is not valid; nothing was recorded.",
    schema.error("invalid_pass", "This pass is not valid.", {"token": ["This pass is not valid."]}),
    schema.error("pass_wrong_event", "This pass is for another event.", {"token": ["This pass is for another event."]}),
    schema.error("wrong_event_code", "The event code is not right.", {"code": ["This is not the event's code."]}),
    schema.error(
        "pass_code_mistyped",
        "This pass code is mistyped: check each character and type it again.",
        {"token": ["This pass code is mistyped: check each character and type it again."]},
    ),
    schema.error(
        "pass_code_unknown", "No pass of this event has this code.", {"token": ["No pass of this event has this code."]}
    ),
)
PASS_CODE_GUESSES = schema.errors(
    "Too many unknown short codes were typed by this organiser (10 a minute) or at this event (30 a minute); "
    "`Retry-After` says how many seconds to wait. A mistyped code (its check character fails) does not count.",
    schema.error("too_many_pass_codes", "Too many unknown pass codes were typed. Wait a little, then try again."),
)
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    response=[429],
    description="Seconds until short codes may be tried again.",
)
CHECKIN_RESPONSES = {
    201: CheckInOutcomeSerializer,
    200: CheckInOutcomeSerializer,
    400: CHECKIN_INVALID,
    403: schema.FORBIDDEN,
    404: schema.EVENT_NOT_FOUND,
    409: CHECKIN_CONFLICTS,
}
COUNTED_ONCE = (
    "Idempotent: a volunteer already checked in (or a `fact_id` / Idempotency-Key seen before) answers 200 "
    "with `recorded` false and the check-in counted first; a new check-in answers 201."
)


def _outcome_response(outcome: CheckInOutcome) -> Response:
    code = status.HTTP_201_CREATED if outcome.recorded else status.HTTP_200_OK
    return Response(CheckInOutcomeSerializer(outcome).data, status=code)


class CheckInListView(generics.GenericAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = CheckInSerializer

    @extend_schema(
        tags=["check-in"],
        summary="Who checked in, in order (organisers, coordinators)",
        parameters=[schema.EVENT_ID],
        responses={
            200: CheckInSerializer(many=True),
            403: schema.errors(
                "Only the event's organisers and its region's coordinators see who checked in.",
                schema.error("permission_denied", "Only the event's organisers and coordinators see check-ins."),
            ),
            404: schema.EVENT_NOT_FOUND,
        },
    )
    def get(self, request: Request, event_id: str) -> Response:
        page = self.paginate_queryset(selectors.checkin_list(user=request.user, event_id=event_id))
        names = selectors.volunteer_names([c.volunteer_id for c in page])
        return self.get_paginated_response(CheckInSerializer(page, many=True, context={"names": names}).data)


class PassCheckInView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["check-in"],
        summary="Check in by scanning the volunteer's QR pass or typing its short code (organisers)",
        description=(
            "Appends `VolunteerCheckedIn` (method `qr`). `token` is the QR code's text or the pass's "
            "8-character short code: a code whose check character fails is `pass_code_mistyped`, a "
            "well-formed code of no pass of this event `pass_code_unknown`; unknown codes are limited "
            f"per organiser and per event (429 `too_many_pass_codes` with `Retry-After`). {COUNTED_ONCE}"
        ),
        parameters=[schema.EVENT_ID, IDEMPOTENCY_KEY, RETRY_AFTER],
        request=PassCheckInInputSerializer,
        responses={**CHECKIN_RESPONSES, 429: PASS_CODE_GUESSES},
        examples=[schema.CHECKIN_EXAMPLE],
    )
    def post(self, request: Request, event_id: str) -> Response:
        data = PassCheckInInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outcome = services.checkin_from_pass(
            actor=request.user, event_id=event_id, **data.validated_data, idempotency_key=idempotency_key(request)
        )
        return _outcome_response(outcome)


class RosterCheckInView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["check-in"],
        summary="Check in by ticking a name on the roster (organisers)",
        description=f"Appends `VolunteerCheckedIn` (method `roster`). {COUNTED_ONCE}",
        parameters=[schema.EVENT_ID, IDEMPOTENCY_KEY],
        request=RosterCheckInInputSerializer,
        responses=CHECKIN_RESPONSES,
    )
    def post(self, request: Request, event_id: str) -> Response:
        data = RosterCheckInInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outcome = services.checkin_from_roster(
            actor=request.user, event_id=event_id, **data.validated_data, idempotency_key=idempotency_key(request)
        )
        return _outcome_response(outcome)


class CodeCheckInView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["check-in"],
        summary="Check myself in with the event code shown on site (volunteers, with or without a place)",
        description=(
            "Open during the event's hours. Appends `VolunteerCheckedIn` (method `event_code`); someone "
            "who came without a place is checked in without one (`registration_id` null). People without "
            f"an account or a phone are the result's head-count. {COUNTED_ONCE}"
        ),
        parameters=[schema.EVENT_ID, IDEMPOTENCY_KEY],
        request=CodeCheckInInputSerializer,
        responses=CHECKIN_RESPONSES,
    )
    def post(self, request: Request, event_id: str) -> Response:
        data = CodeCheckInInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outcome = services.checkin_with_code(
            actor=request.user, event_id=event_id, **data.validated_data, idempotency_key=idempotency_key(request)
        )
        return _outcome_response(outcome)


class CheckInUploadView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["check-in"],
        summary="Upload an offline queue of check-ins (organisers)",
        description=(
            "Each item carries the `fact_id` the phone gave it, so uploading the same queue again "
            "records nothing twice. Each item is answered on its own: `ok` (recorded now), "
            "`duplicate` (counted before) or `error` (with the error's code: `idempotency_conflict` "
            "when its `fact_id` was already used for another person's check-in). An item's `token` may be a "
            "pass's short code, as for a single check-in."
        ),
        parameters=[schema.EVENT_ID],
        request=UploadInputSerializer,
        responses={
            200: UploadOutputSerializer,
            400: schema.INVALID,
            403: schema.FORBIDDEN,
            404: schema.EVENT_NOT_FOUND,
        },
        examples=[schema.UPLOAD_EXAMPLE, schema.UPLOAD_ANSWER_EXAMPLE],
    )
    def post(self, request: Request, event_id: str) -> Response:
        data = UploadInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        items = [UploadItem(**item) for item in data.validated_data["items"]]
        answers = services.checkin_upload(actor=request.user, event_id=event_id, items=items)
        return Response(UploadOutputSerializer({"results": answers}).data)


CHECKOUT_NOT_FOUND = schema.errors(
    "No such event visible to you, or no check-in with this id at it that you may check out.",
    schema.error("event_not_found", "There is no such event."),
    schema.error("checkin_not_found", "There is no such check-in at this event."),
)


class CheckOutView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["check-in"],
        summary="Check out (yourself, or organisers by the check-in's id)",
        description=(
            "Appends `VolunteerCheckedOut`; the time since the check-in is volunteer hours. Those who "
            "never check out count until the event's end. A volunteer sends no `checkin_id`; the "
            "event's organisers send the check-in's `id`. Someone else's check-in answers 404 "
            "`checkin_not_found` to anyone who may not check it out."
        ),
        parameters=[schema.EVENT_ID, IDEMPOTENCY_KEY],
        request=CheckOutInputSerializer,
        responses={
            200: CheckInSerializer,
            400: schema.INVALID,
            403: schema.FORBIDDEN,
            404: CHECKOUT_NOT_FOUND,
            409: schema.errors(
                "The volunteer cannot be checked out now.",
                schema.error("not_checked_in", "The volunteer has not checked in."),
                schema.error("outside_checkin_window", "Check-in is open only around the event's time."),
                schema.error("event_cancelled", "The event was cancelled."),
                schema.IDEMPOTENCY_CONFLICT,
            ),
        },
    )
    def post(self, request: Request, event_id: str) -> Response:
        data = CheckOutInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        checkin = services.checkout_record(
            actor=request.user, event_id=event_id, **data.validated_data, idempotency_key=idempotency_key(request)
        )
        return Response(CheckInSerializer(checkin).data)


CHECKIN_ID = OpenApiParameter("checkin_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
UNDO_NOT_FOUND = schema.errors(
    "No such event visible to you, or no such check-in at it.",
    schema.error("event_not_found", "There is no such event."),
    schema.error("checkin_not_found", "There is no such check-in at this event."),
)
UNDO_CONFLICTS = schema.errors(
    "The check-in cannot be undone.",
    schema.error("checkin_already_undone", "This check-in has already been undone."),
    schema.IDEMPOTENCY_CONFLICT,
)


class CheckInUndoView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["check-in"],
        summary="Undo a wrong check-in, with the reason (organisers, the region's coordinators)",
        description=(
            "Appends `CheckInUndone`: the check-in stays in the ledger, and the event's count, the "
            "volunteer hours and the totals no longer include it; the person may be checked in again. "
            "Idempotent with an Idempotency-Key: a retry answers as the first time."
        ),
        parameters=[schema.EVENT_ID, CHECKIN_ID, IDEMPOTENCY_KEY],
        request=CheckInUndoInputSerializer,
        responses={
            200: CheckInUndoSerializer,
            400: schema.INVALID,
            403: schema.FORBIDDEN,
            404: UNDO_NOT_FOUND,
            409: UNDO_CONFLICTS,
        },
    )
    def post(self, request: Request, event_id: str, checkin_id: str) -> Response:
        data = CheckInUndoInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outcome = services.checkin_undo(
            actor=request.user,
            event_id=event_id,
            checkin_id=checkin_id,
            **data.validated_data,
            idempotency_key=idempotency_key(request),
        )
        return Response(CheckInUndoSerializer(outcome).data)
