"""The open data's public API: the errata log, the releases and their files, the DCAT catalogue."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.openapi import error, errors
from opendata import selectors
from opendata.api.serializers import ErrataQuery, ErratumSerializer, ReleaseSerializer
from opendata.catalog import dcat_catalog
from opendata.release import storage

_RELEASE_NOT_FOUND = errors(
    "No release of this name, or no file of this name in it.",
    error("not_found", "No open-data release with this name."),
)
_QUERY_REFUSED = errors(
    "A query parameter is not valid.",
    error("validation_error", "Some fields are not valid.", {"kind": ['"typo" is not a valid choice.']}),
)
RELEASE_NAME = OpenApiParameter(
    "name", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=r"^taza-[0-9]{4}-[0-9]{2}-[0-9]{2}$"
)
FILE_NAME = OpenApiParameter("file_name", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=r"^[a-z_]+\.(csv|json|zip)$")


class ErrataView(generics.GenericAPIView):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    serializer_class = ErratumSerializer

    @extend_schema(
        tags=["open data"],
        operation_id="open_data_errata",
        summary="The errata log: every published figure changed after the fact, newest first",
        description=(
            "Every correction of a result, adjustment and rejection by a coordinator, and undone check-in of a "
            "public event, with its reason and the figures before and after (`after` null: the event counts "
            "nowhere). The reason of an undone check-in is not published: it is about a person. Derived from "
            "the fact feed (`position` is the fact's)."
        ),
        parameters=[ErrataQuery],
        responses={200: ErratumSerializer(many=True), 400: _QUERY_REFUSED},
    )
    def get(self, request: Request) -> Response:
        query = ErrataQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        campaign = params.get("campaign")
        rows = selectors.errata_list(
            region=params.get("region"), campaign_id=str(campaign) if campaign else None, kind=params.get("kind")
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ErratumSerializer(page, many=True).data)


class ReleaseListView(generics.GenericAPIView):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    serializer_class = ReleaseSerializer

    @extend_schema(
        tags=["open data"],
        operation_id="open_data_releases",
        summary="The open-data releases, newest first",
        description="One a day, each a Frictionless Data Package (`datapackage.json`, CSV tables, a zip of all).",
        responses={200: ReleaseSerializer(many=True), 400: _QUERY_REFUSED},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.release_list())
        return self.get_paginated_response(ReleaseSerializer(page, many=True, context={"request": request}).data)


class ReleaseDetailView(APIView):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["open data"],
        operation_id="open_data_release",
        summary="One release: its ledger position, checkpoint, licence and files",
        parameters=[RELEASE_NAME],
        responses={200: ReleaseSerializer, 404: _RELEASE_NOT_FOUND},
    )
    def get(self, request: Request, name: str) -> Response:
        release = selectors.release_get(name=name)
        return Response(ReleaseSerializer(release, context={"request": request}).data)


class ReleaseFileView(APIView):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["open data"],
        operation_id="open_data_release_file",
        summary="A file of a release: datapackage.json, a table's CSV, or datapackage.zip",
        parameters=[RELEASE_NAME, FILE_NAME],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="The file as published."),
            (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT),
            404: _RELEASE_NOT_FOUND,
        },
    )
    def get(self, request: Request, name: str, file_name: str) -> HttpResponse:
        release = selectors.release_get(name=name)
        file = selectors.release_file(release=release, file_name=file_name)
        if file["mediatype"] == "application/json":
            # datapackage.json is small and read by programs: sent whole, to be looked at in the browser.
            with storage().open(file["path"], "rb") as stored:
                response = HttpResponse(stored.read(), content_type="application/json")
        else:
            response = FileResponse(
                storage().open(file["path"], "rb"),
                content_type=file["mediatype"] + ("; charset=utf-8" if file["mediatype"] == "text/csv" else ""),
                as_attachment=True,
                filename=f"{release.name}-{file_name}",
            )
        response["ETag"] = f'"{file["sha256"]}"'
        response["Cache-Control"] = "public, max-age=86400, immutable"
        return response


@require_GET
def catalog(request: HttpRequest) -> JsonResponse:
    """The DCAT-AP catalogue, at a stable URL: /open-data/catalog.jsonld."""
    response = JsonResponse(
        dcat_catalog(), content_type="application/ld+json", json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "public, max-age=300"
    return response
