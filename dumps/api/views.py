"""The dumps API: the public list, page, duplicates near a point, liquidation rates and imports;
a signed-in person's report; the coordinator's and organiser's decisions. Thin: input serializer,
service or selector, output serializer."""

from __future__ import annotations

from django.db.models import Count, Max, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.idempotency import OPENAPI_PARAMETER as IDEMPOTENCY_KEY
from config.idempotency import idempotency_key
from config.openapi import error, errors
from dumps import selectors, services
from dumps.api.serializers import (
    DumpDetailSerializer,
    DumpFilterSerializer,
    DumpLinkInputSerializer,
    DumpLiquidateInputSerializer,
    DumpMergeInputSerializer,
    DumpReasonInputSerializer,
    DumpReportAnswerSerializer,
    DumpReportInputSerializer,
    DumpRequiredReasonInputSerializer,
    DumpSerializer,
    ImportSourceSerializer,
    NearbyFilterSerializer,
    RatesSerializer,
)
from dumps.models import Dump

DUMP_ID = OpenApiParameter("dump_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
NOT_FOUND = errors("No such dump, or not one you may see.", error("dump_not_found", "There is no such dump."))
INVALID = errors(
    "The input breaks a rule; nothing was recorded.",
    error("dump_invalid", "The dump report is not valid.", {"latitude": ["The point is not in Kazakhstan."]}),
    error("validation_error", "Some fields are not valid.", {"size": ['"big" is not a valid choice.']}),
)
FORBIDDEN = errors(
    "Signed in, but not the one who may decide this.",
    error("coordinator_required", "Only the coordinator of the dump's region may decide on it."),
    error("organiser_required", "Only the event's organiser may link it to a dump."),
)
NOT_OPEN = errors(
    "The dump's state does not allow this (e.g. confirming a dismissed one); nothing was recorded.",
    error("dump_not_open", "The dump is not in a state that allows this."),
)
LIMITED = errors(
    "Too many reports by you in the last hour or day; `Retry-After` says when to try again.",
    error("too_many_reports", "You have reported many dumps recently; try again later."),
)
DECISION_ERRORS = {400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND, 409: NOT_OPEN}


def _same_place(dump: Dump) -> list[dict]:
    near = selectors.dump_candidates(latitude=dump.latitude, longitude=dump.longitude, exclude=dump.id)
    return [{"dump": other, "distance_m": round(metres, 1)} for other, metres in near if other.published]


class DumpListView(generics.GenericAPIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    serializer_class = DumpSerializer

    @extend_schema(
        tags=["dumps"],
        summary="Public dumps, newest first, by region and status",
        description="Public: confirmed reports and monitoring's dumps, not hidden by moderation.",
        parameters=[DumpFilterSerializer],
        responses=DumpSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = DumpFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.dump_list(**filters.validated_data))
        return self.get_paginated_response(DumpSerializer(page, many=True).data)

    @extend_schema(
        tags=["dumps"],
        summary="Report a dump (signed in)",
        description=(
            "Appends `DumpReported`. The dump is public once the region's coordinator confirms it; the "
            "answer names the open public dumps within `TAZA_DUMP_SAME_PLACE_METRES` (perhaps the same)."
        ),
        parameters=[IDEMPOTENCY_KEY],
        request=DumpReportInputSerializer,
        responses={201: DumpReportAnswerSerializer, 400: INVALID, 429: LIMITED},
    )
    def post(self, request: Request) -> Response:
        data = DumpReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        dump = services.dump_report(actor=request.user, **data.validated_data, idempotency_key=idempotency_key(request))
        answer = {"dump": dump, "same_place": _same_place(dump)}
        return Response(DumpReportAnswerSerializer(answer).data, status=status.HTTP_201_CREATED)


class DumpNearbyView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["dumps"],
        summary="Open public dumps near a point (before reporting one)",
        parameters=[NearbyFilterSerializer],
        responses={200: DumpReportAnswerSerializer().fields["same_place"], 400: INVALID},
    )
    def get(self, request: Request) -> Response:
        point = NearbyFilterSerializer(data=request.query_params)
        point.is_valid(raise_exception=True)
        near = selectors.dump_candidates(**point.validated_data)
        found = [{"dump": dump, "distance_m": round(metres, 1)} for dump, metres in near if dump.published]
        return Response(DumpReportAnswerSerializer().fields["same_place"].to_representation(found))


class DumpDetailView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["dumps"],
        summary="A dump with its history",
        description="Public dumps to everyone; an unconfirmed report to its reporter and its region's coordinator.",
        parameters=[DUMP_ID],
        responses={200: DumpDetailSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, dump_id: str) -> Response:
        return Response(DumpDetailSerializer(selectors.dump_get(dump_id=dump_id, user=request.user)).data)


def decision(name: str, service, body, summary: str, description: str) -> type[APIView]:
    """The view of one decision on a dump: `body` in, `service`, the dump out."""

    @extend_schema(
        tags=["dumps"],
        summary=summary,
        description=description,
        parameters=[DUMP_ID, IDEMPOTENCY_KEY],
        request=body,
        responses={200: DumpDetailSerializer, **DECISION_ERRORS},
    )
    def post(self, request: Request, dump_id: str) -> Response:
        data = body(data=request.data)
        data.is_valid(raise_exception=True)
        dump = service(
            actor=request.user, dump_id=dump_id, **data.validated_data, idempotency_key=idempotency_key(request)
        )
        return Response(DumpDetailSerializer(dump).data)

    return type(name, (APIView,), {"permission_classes": [permissions.IsAuthenticated], "post": post})


DumpConfirmView = decision(
    "DumpConfirmView",
    services.dump_confirm,
    DumpReasonInputSerializer,
    "Confirm a reported dump (its region's coordinator)",
    "Appends `DumpConfirmed`: the dump becomes public, counted as found.",
)
DumpDismissView = decision(
    "DumpDismissView",
    services.dump_dismiss,
    DumpRequiredReasonInputSerializer,
    "Dismiss a report or a false detection, with a reason (its region's coordinator)",
    "Appends `DumpDismissed`.",
)
DumpMergeView = decision(
    "DumpMergeView",
    services.dump_merge,
    DumpMergeInputSerializer,
    "Merge a report into a known open dump (its region's coordinator)",
    "Appends `DumpMerged` on the report's stream.",
)
DumpLinkView = decision(
    "DumpLinkView",
    services.dump_link,
    DumpLinkInputSerializer,
    "Link an approved clean-up event to a confirmed dump (the event's organiser)",
    "Appends `DumpLinked`.",
)
DumpLiquidateView = decision(
    "DumpLiquidateView",
    services.dump_liquidate,
    DumpLiquidateInputSerializer,
    "Record a dump liquidated by its linked event (its region's coordinator)",
    "Appends `DumpLiquidated`, naming the linked event's verified result and the after-photos given; "
    "refused until the result is verified.",
)
DumpReopenView = decision(
    "DumpReopenView",
    services.dump_reopen,
    DumpRequiredReasonInputSerializer,
    "Reopen a liquidated dump that came back, with a reason (its region's coordinator)",
    "Appends `DumpReopened`: open again, found and not liquidated.",
)
DumpHideView = decision(
    "DumpHideView",
    services.dump_hide,
    DumpRequiredReasonInputSerializer,
    "Hide a dump by moderation, with a reason (its region's coordinator)",
    "Appends `DumpHidden`: it leaves the public list, pages and rates.",
)


class DumpRatesView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["dumps"],
        summary="The liquidation rate, nationally and by region",
        description="rate = liquidated / found, where found = confirmed or imported, not dismissed nor hidden.",
        responses={200: RatesSerializer},
    )
    def get(self, request: Request) -> Response:
        national, regions = selectors.liquidation_rates()
        return Response(RatesSerializer({"national": national, "regions": regions}).data)


class DumpImportListView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["dumps"],
        summary="What has been imported from monitoring, by source",
        description="Rows are imported by `manage.py dumps_import FILE --source NAME` (idempotent by source and id).",
        responses={200: ImportSourceSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        sources = (
            selectors.public_dumps()
            .filter(origin="monitoring")
            .values("source")
            .annotate(
                dumps=Count("id"),
                liquidated=Count("id", filter=Q(status=Dump.Status.LIQUIDATED)),
                last_imported_at=Max("reported_at"),
            )
            .order_by("source")
        )
        return Response(ImportSourceSerializer(sources, many=True).data)
