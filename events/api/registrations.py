"""The registrations API: register, my registrations, cancel, the QR pass; deleting one's account."""

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.idempotency import OPENAPI_PARAMETER as IDEMPOTENCY_KEY
from config.idempotency import idempotency_key
from events import selectors, services
from events.api import schema
from events.api.serializers import (
    AccountDeleteInputSerializer,
    PassSerializer,
    RegistrationFilterSerializer,
    RegistrationSerializer,
)
from events.errors import InvalidInput, RegistrationNotFound
from events.models import Registration
from events.passes import pass_code, pass_svg, pass_token

REGISTRATION_NOT_FOUND = schema.errors(
    "No such registration of yours.", schema.error("registration_not_found", "There is no such registration.")
)
REGISTRATION_CONFLICTS = schema.errors(
    "The event does not take this registration now.",
    schema.error("already_registered", "You are already registered for this event."),
    schema.error("event_started", "The event has already started."),
    schema.error("event_cancelled", "The event was cancelled."),
    schema.error("event_not_public", "The event has not been approved."),
    schema.error("event_full", "The event and its waitlist are full."),
    schema.error("registration_cancelled", "This registration was cancelled."),
    schema.IDEMPOTENCY_CONFLICT,
)


class EventRegistrationView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["registrations"],
        summary="Register for an event (yourself)",
        description=(
            "Appends `VolunteerRegistered`: a place while there are places, else a place on the waitlist "
            "(`status` = `waitlisted`), promoted in order when a place frees up."
        ),
        parameters=[schema.EVENT_ID, IDEMPOTENCY_KEY],
        request=None,
        responses={
            201: RegistrationSerializer,
            403: schema.FORBIDDEN,
            404: schema.EVENT_NOT_FOUND,
            409: REGISTRATION_CONFLICTS,
        },
        examples=[schema.REGISTRATION_EXAMPLE],
    )
    def post(self, request: Request, event_id: str) -> Response:
        registration = services.registration_create(
            actor=request.user, event_id=event_id, idempotency_key=idempotency_key(request)
        )
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)


class RegistrationListView(generics.GenericAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = RegistrationSerializer

    @extend_schema(
        tags=["registrations"],
        summary="My registrations, soonest event first",
        parameters=[RegistrationFilterSerializer],
        responses=RegistrationSerializer(many=True),
        examples=[schema.REGISTRATION_EXAMPLE],
    )
    def get(self, request: Request) -> Response:
        filters = RegistrationFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.registration_list(user=request.user, **filters.validated_data))
        return self.get_paginated_response(RegistrationSerializer(page, many=True).data)


class RegistrationDetailView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["registrations"],
        summary="One of my registrations",
        parameters=[schema.REGISTRATION_ID],
        responses={200: RegistrationSerializer, 404: REGISTRATION_NOT_FOUND},
    )
    def get(self, request: Request, registration_id: str) -> Response:
        registration = selectors.registration_get(user=request.user, registration_id=registration_id)
        return Response(RegistrationSerializer(registration).data)


class RegistrationCancelView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["registrations"],
        summary="Give my place back",
        description=(
            "Appends `RegistrationCancelled` and, when a place frees up, `WaitlistPromoted` for the first "
            "waiting volunteer, who is emailed."
        ),
        parameters=[schema.REGISTRATION_ID, IDEMPOTENCY_KEY],
        request=None,
        responses={
            200: RegistrationSerializer,
            403: schema.FORBIDDEN,
            404: REGISTRATION_NOT_FOUND,
            409: REGISTRATION_CONFLICTS,
        },
    )
    def post(self, request: Request, registration_id: str) -> Response:
        registration = services.registration_cancel(
            actor=request.user, registration_id=registration_id, idempotency_key=idempotency_key(request)
        )
        return Response(RegistrationSerializer(registration).data)


def _live_registration(request: Request, registration_id: str) -> Registration:
    registration = selectors.registration_get(user=request.user, registration_id=registration_id)
    if registration.status == Registration.Status.CANCELLED:
        raise RegistrationNotFound()
    return registration


class RegistrationPassView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["registrations"],
        summary="My pass: the signed token the QR code carries, and the short code to read out",
        parameters=[schema.REGISTRATION_ID],
        responses={200: PassSerializer, 404: REGISTRATION_NOT_FOUND},
    )
    def get(self, request: Request, registration_id: str) -> Response:
        registration = _live_registration(request, registration_id)
        return Response(
            {
                "registration_id": registration.id,
                "event_id": registration.event_id,
                "token": pass_token(registration),
                "code": pass_code(registration.id),
                "svg_url": reverse("events-api:registration-pass-svg", kwargs={"registration_id": registration.id}),
            }
        )


class RegistrationPassSvgView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["registrations"],
        summary="My pass as a QR code (SVG)",
        parameters=[schema.REGISTRATION_ID],
        responses={
            (200, "image/svg+xml"): OpenApiResponse(OpenApiTypes.STR, description="The QR code."),
            404: REGISTRATION_NOT_FOUND,
        },
    )
    def get(self, request: Request, registration_id: str) -> HttpResponse:
        registration = _live_registration(request, registration_id)
        response = HttpResponse(pass_svg(pass_token(registration)), content_type="image/svg+xml")
        response["Cache-Control"] = "private, no-store"
        return response


class AccountDeleteView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["account"],
        summary="Delete my account",
        description=(
            "The account and personal data are deleted; places at events that have not started are given "
            "back (the waitlist moves up), except where the volunteer is already checked in: attendance "
            "stays. The ledger and every total stay as they were: facts name volunteers "
            "only by an opaque id, and rosters then say “deleted volunteer”."
        ),
        request=AccountDeleteInputSerializer,
        responses={204: None, 400: schema.INVALID, 403: schema.FORBIDDEN},
    )
    def post(self, request: Request) -> Response:
        data = AccountDeleteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not data.validated_data["confirm"]:
            raise InvalidInput(fields={"confirm": ["Confirm with true: the account cannot be brought back."]})
        services.volunteer_delete(actor=request.user, volunteer=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
