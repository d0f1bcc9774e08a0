"""The events API: list and propose, read and edit, approve or reject, reschedule, cancel, roster,
and the changes to approved events that wait for the coordinator."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from config.idempotency import OPENAPI_PARAMETER as IDEMPOTENCY_KEY
from config.idempotency import idempotency_key
from events import selectors, services
from events.api import schema
from events.api.serializers import (
    ChangeApproveInputSerializer,
    ChangeRejectInputSerializer,
    EventEditInputSerializer,
    EventFilterSerializer,
    EventProposeInputSerializer,
    EventSerializer,
    PendingChangeFilterSerializer,
    PendingEventChangeSerializer,
    ReasonInputSerializer,
    RejectInputSerializer,
    RescheduleInputSerializer,
    RosterLineSerializer,
)
from events.errors import NotAllowed
from volunteers.roles import is_admin, is_coordinator

WRITE_ERRORS = {400: schema.INVALID, 403: schema.FORBIDDEN, 404: schema.EVENT_NOT_FOUND}
DECISION_CONFLICTS_EXAMPLES = (
    schema.error("event_not_pending", "Only a proposed event can be approved or rejected."),
    schema.error("event_started", "The event has already started."),
    schema.error("event_cancelled", "The event was cancelled."),
    schema.IDEMPOTENCY_CONFLICT,
)
DECISION_CONFLICTS = schema.errors("The event is not in a state that allows this.", *DECISION_CONFLICTS_EXAMPLES)
CHANGE_CONFLICTS = schema.errors(
    "The change is not the one waiting, or the event can no longer change.",
    schema.error("change_not_pending", "This change to the event is not waiting for a decision."),
    schema.error("event_started", "The event is over; its changes can no longer be decided."),
    schema.error("event_cancelled", "The event was cancelled."),
    schema.IDEMPOTENCY_CONFLICT,
)


def _event_response(request: Request, event, code: int = status.HTTP_200_OK) -> Response:
    event = selectors.event_get(user=request.user, event_id=event.id)  # with its region and organisation
    return Response(EventSerializer(event, context={"request": request}).data, status=code)


class EventListView(generics.GenericAPIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    serializer_class = EventSerializer

    @extend_schema(
        tags=["events"],
        summary="Events: upcoming ones soonest first, or past ones, or nearest first near a point",
        description=(
            "By default the events that have not ended yet, the soonest first, or with `campaign`, `date_from` "
            "or `date_to` every matching one, the earliest first (`when=past`: ended ones, "
            "the latest first; `when=all`: every one, the earliest first). Near a point (`lat`, `lon` "
            "and `radius_km`, given together), the nearest first. Approved events are public (and stay "
            "listed once cancelled, saying so). Organisers also see their organisation's proposals, "
            "coordinators their region's, admins everything."
        ),
        parameters=[EventFilterSerializer],
        responses=EventSerializer(many=True),
        examples=[schema.EVENT_EXAMPLE],
    )
    def get(self, request: Request) -> Response:
        filters = EventFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.event_list(user=request.user, **filters.validated_data))
        return self.get_paginated_response(EventSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(
        tags=["events"],
        summary="Propose an event (organisers)",
        description=(
            "Appends `EventProposed` for the organiser's organisation, in an open campaign that covers the "
            "kind and the day. It becomes public once a coordinator of the region approves it."
        ),
        parameters=[IDEMPOTENCY_KEY],
        request=EventProposeInputSerializer,
        responses={
            201: EventSerializer,
            **WRITE_ERRORS,
            400: schema.errors(
                "The input breaks a rule, or the campaign does not take this event; nothing was recorded.",
                schema.error("validation_error", "Some fields are not valid.", {"capacity": ["Give a whole number."]}),
                schema.error(
                    "campaign_not_accepting_events",
                    "The campaign does not accept this event.",
                    {"ends_at": ["The campaign ends on 2026-05-31: the event must end by then."]},
                ),
            ),
            404: schema.errors(
                "No such campaign.",
                schema.error("campaign_not_found", "There is no such campaign."),
            ),
            409: schema.errors(
                "The campaign is closed, or the key was used otherwise.",
                schema.error("campaign_closed", "The campaign is closed; it takes no more changes or events."),
                schema.IDEMPOTENCY_CONFLICT,
            ),
        },
        examples=[schema.PROPOSE_EXAMPLE, schema.EVENT_EXAMPLE],
    )
    def post(self, request: Request) -> Response:
        data = EventProposeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = services.event_propose(
            actor=request.user, **data.validated_data, idempotency_key=idempotency_key(request)
        )
        return _event_response(request, event, status.HTTP_201_CREATED)


class EventDetailView(APIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(
        tags=["events"],
        summary="An event",
        parameters=[schema.EVENT_ID],
        responses={200: EventSerializer, 404: schema.EVENT_NOT_FOUND},
        examples=[schema.EVENT_EXAMPLE],
    )
    def get(self, request: Request, event_id: str) -> Response:
        event = selectors.event_get(user=request.user, event_id=event_id)
        return Response(EventSerializer(event, context={"request": request}).data)

    @extend_schema(
        tags=["events"],
        summary="Edit what volunteers read (organisers)",
        description=(
            "A proposed event changes at once (`EventDetailsChanged`). Of an approved event, the capacity "
            "changes at once (`EventDetailsChanged`; more places promote the waitlist, `WaitlistPromoted`) "
            "and a new title, description, address, coordinates or what to bring waits for a coordinator "
            "of the region (`EventChangeProposed`, replacing a pending one; giving the approved values "
            "back withdraws it, `EventChangeWithdrawn`): until approved the public reads the event as "
            "approved. The answer is 202 while a change waits (see `pending_change`), else 200."
        ),
        parameters=[schema.EVENT_ID, IDEMPOTENCY_KEY],
        request=EventEditInputSerializer,
        responses={
            200: EventSerializer,
            202: EventSerializer,
            **WRITE_ERRORS,
            409: schema.errors(
                "The event is not in a state that allows this, or fewer places than are taken.",
                schema.error(
                    "capacity_below_registered",
                    "More volunteers are registered than the new capacity allows.",
                    {"capacity": ["12 volunteers are registered."]},
                ),
                *DECISION_CONFLICTS_EXAMPLES,
            ),
        },
    )
    def patch(self, request: Request, event_id: str) -> Response:
        data = EventEditInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = services.event_edit(
            actor=request.user, event_id=event_id, **data.validated_data, idempotency_key=idempotency_key(request)
        )
        waiting = selectors.event_pending_change(event=event) is not None
        return _event_response(request, event, status.HTTP_202_ACCEPTED if waiting else status.HTTP_200_OK)


def _action_schema(*, conflicts: dict, request: type[Serializer] | None, summary: str, description: str | None = None):
    """The schema of one action on one event (`EventActionView.post`): what differs is said here."""
    return extend_schema_view(
        post=extend_schema(
            tags=["events"],
            summary=summary,
            description=description,
            parameters=[schema.EVENT_ID, IDEMPOTENCY_KEY],
            request=request,
            responses={200: EventSerializer, **WRITE_ERRORS, 409: conflicts},
        )
    )


# One action on one event: its body checked by its input serializer, its service called, and the
# answer the event as it reads now. Each action states its own schema (`extend_schema_view`); a
# comment, not a docstring, because drf-spectacular would publish a docstring as the description.
class EventActionView(APIView):
    permission_classes = [permissions.IsAuthenticated]


@_action_schema(
    conflicts=DECISION_CONFLICTS,
    request=None,
    summary="Approve a proposed event (coordinators of its region)",
    description="Appends `EventApproved`: the event becomes public and open for registration.",
)
class EventApproveView(EventActionView):
    def post(self, request: Request, event_id: str) -> Response:
        event = services.event_approve(actor=request.user, event_id=event_id, idempotency_key=idempotency_key(request))
        return _event_response(request, event)


@_action_schema(
    conflicts=DECISION_CONFLICTS,
    request=RejectInputSerializer,
    summary="Reject a proposed event, saying why (coordinators of its region)",
)
class EventRejectView(EventActionView):
    def post(self, request: Request, event_id: str) -> Response:
        data = RejectInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = services.event_reject(
            actor=request.user, event_id=event_id, **data.validated_data, idempotency_key=idempotency_key(request)
        )
        return _event_response(request, event)


@_action_schema(
    conflicts=DECISION_CONFLICTS,
    request=RescheduleInputSerializer,
    summary="Move the event to a new time (organisers)",
    description="Appends `EventRescheduled`; registered and waiting volunteers are emailed.",
)
class EventRescheduleView(EventActionView):
    def post(self, request: Request, event_id: str) -> Response:
        data = RescheduleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = services.event_reschedule(
            actor=request.user, event_id=event_id, **data.validated_data, idempotency_key=idempotency_key(request)
        )
        return _event_response(request, event)


@_action_schema(
    conflicts=DECISION_CONFLICTS,
    request=ReasonInputSerializer,
    summary="Call the event off before it starts (organisers)",
    description=(
        "Appends `EventCancelled`; registered and waiting volunteers are emailed. Refused with "
        "`event_started` once the event has started: what happened stays counted."
    ),
)
class EventCancelView(EventActionView):
    def post(self, request: Request, event_id: str) -> Response:
        data = ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = services.event_cancel(
            actor=request.user, event_id=event_id, **data.validated_data, idempotency_key=idempotency_key(request)
        )
        return _event_response(request, event)


@_action_schema(
    conflicts=CHANGE_CONFLICTS,
    request=ChangeApproveInputSerializer,
    summary="Approve the pending change of an approved event (coordinators of its region)",
    description="Appends `EventChangeApproved`: the public reads the event as changed from now on.",
)
class EventChangeApproveView(EventActionView):
    def post(self, request: Request, event_id: str) -> Response:
        data = ChangeApproveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = services.event_change_approve(
            actor=request.user, event_id=event_id, **data.validated_data, idempotency_key=idempotency_key(request)
        )
        return _event_response(request, event)


@_action_schema(
    conflicts=CHANGE_CONFLICTS,
    request=ChangeRejectInputSerializer,
    summary="Reject the pending change of an approved event, saying why (coordinators of its region)",
    description="Appends `EventChangeRejected`; the event stays as approved and the organiser reads why.",
)
class EventChangeRejectView(EventActionView):
    def post(self, request: Request, event_id: str) -> Response:
        data = ChangeRejectInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = services.event_change_reject(
            actor=request.user, event_id=event_id, **data.validated_data, idempotency_key=idempotency_key(request)
        )
        return _event_response(request, event)


@_action_schema(
    conflicts=CHANGE_CONFLICTS,
    request=None,
    summary="Withdraw the pending change of an approved event (organisers)",
    description="Appends `EventChangeWithdrawn`; the event stays as approved.",
)
class EventChangeWithdrawView(EventActionView):
    def post(self, request: Request, event_id: str) -> Response:
        event = services.event_change_withdraw(
            actor=request.user, event_id=event_id, idempotency_key=idempotency_key(request)
        )
        return _event_response(request, event)


class PendingEventChangeListView(generics.GenericAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = PendingEventChangeSerializer

    @extend_schema(
        tags=["events"],
        summary="Changes to approved events waiting for approval, with their diff (coordinators, admins)",
        description=(
            "A coordinator sees their region's, an admin every region's (or one, with `region`); oldest "
            "first. Each names the event as the public reads it and, per field, old (approved) to new."
        ),
        parameters=[PendingChangeFilterSerializer],
        responses={200: PendingEventChangeSerializer(many=True), 403: schema.FORBIDDEN},
    )
    def get(self, request: Request) -> Response:
        if not (is_admin(request.user) or is_coordinator(request.user)):
            raise NotAllowed(_("Only coordinators and admins see the changes waiting for approval."))
        filters = PendingChangeFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        changes = selectors.event_changes_awaiting_approval(
            user=request.user, region_code=filters.validated_data.get("region"), limit=500
        )
        page = self.paginate_queryset(changes)
        return self.get_paginated_response(PendingEventChangeSerializer(page, many=True).data)


class EventRosterView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["check-in"],
        summary="The roster: who has a place or waits, and who checked in (organisers, coordinators)",
        parameters=[schema.EVENT_ID],
        responses={200: RosterLineSerializer(many=True), 403: schema.FORBIDDEN, 404: schema.EVENT_NOT_FOUND},
    )
    def get(self, request: Request, event_id: str) -> Response:
        lines = selectors.event_roster(user=request.user, event_id=event_id)
        return Response(RosterLineSerializer(lines, many=True).data)
