"""The photos API: upload (multipart), the public photos of a subject, one photo, the coordinator's
evidence (with the EXIF location and time) and moderation. Thin: input serializer, service or
selector, output serializer."""

from __future__ import annotations

import uuid

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, parsers, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.idempotency import OPENAPI_PARAMETER as IDEMPOTENCY_KEY
from config.idempotency import idempotency_key
from config.openapi import error, errors
from photos import selectors, services
from photos.api.serializers import (
    PhotoAnswerSerializer,
    PhotoEvidenceSerializer,
    PhotoFilterSerializer,
    PhotoHideInputSerializer,
    PhotoSerializer,
    PhotoUploadSerializer,
)
from photos.errors import NotPhotoCoordinator, PhotoNotFound
from photos.models import Photo, PhotoFile
from volunteers.roles import is_coordinator_of

PHOTO_ID = OpenApiParameter("photo_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
INVALID = errors(
    "The file or the request is not valid; nothing was stored or recorded.",
    error("photo_invalid", "The photo is not valid.", {"file": ["The file is not a JPEG, PNG or WebP image."]}),
    error("validation_error", "Some fields are not valid.", {"role": ['"side" is not a valid choice.']}),
)
TOO_LARGE = errors(
    "The file is larger than TAZA_PHOTO_MAX_BYTES; nothing was stored.",
    error(
        "photo_too_large", "The photo is larger than the platform takes.", {"file": ["A photo may be at most 12 MB."]}
    ),
)
FORBIDDEN = errors(
    "Signed in, but not one who may do this.",
    error("photo_not_allowed", "You may not attach a photo to this."),
    error("coordinator_required", "Only the coordinator of the photo's region may do this."),
)
NO_SUBJECT = errors(
    "No such dump or event, or not one you may see.",
    error("photo_subject_not_found", "There is no such dump or event to attach a photo to."),
)
NOT_FOUND = errors("No such photo, or not one you may see.", error("photo_not_found", "There is no such photo."))
LIMITED = errors(
    "Too many photos by you in the last hour or day; `Retry-After` says when to try again.",
    error("too_many_photos", "You have uploaded many photos recently; try again later."),
)
HIDDEN = errors(
    "The photo is hidden already; nothing was recorded.", error("photo_hidden", "The photo is hidden already.")
)


def answer(photo: Photo) -> Photo:
    """The photo with whether its public files are made, as the answers say."""
    photo.processed = PhotoFile.objects.filter(photo_id=photo.id, processed_at__isnull=False).exists()
    return photo


class PhotoListView(generics.GenericAPIView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    serializer_class = PhotoSerializer
    parser_classes = [parsers.MultiPartParser]

    @extend_schema(
        tags=["photos"],
        summary="Public photos, by subject",
        description="Photos of public subjects, not hidden, their public files made; oldest first.",
        parameters=[PhotoFilterSerializer],
        responses=PhotoSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = PhotoFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.public_photos(**filters.validated_data))
        return self.get_paginated_response(PhotoSerializer(page, many=True).data)

    @extend_schema(
        tags=["photos"],
        summary="Upload a photo of a dump's report, a dump's liquidation or an event's result (signed in)",
        description=(
            "multipart/form-data. Appends `PhotoAttached`; the original is kept private, and a task makes "
            "the public image and its thumbnail (upright, resized, every metadata stripped) and keeps the "
            "EXIF location and time for the region's coordinator. A refusal stores nothing."
        ),
        parameters=[IDEMPOTENCY_KEY],
        request={"multipart/form-data": PhotoUploadSerializer},
        responses={
            201: PhotoAnswerSerializer,
            400: INVALID,
            403: FORBIDDEN,
            404: NO_SUBJECT,
            413: TOO_LARGE,
            429: LIMITED,
        },
    )
    def post(self, request: Request) -> Response:
        data = PhotoUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        photo = services.photo_attach(
            actor=request.user, **data.validated_data, idempotency_key=idempotency_key(request)
        )
        return Response(PhotoAnswerSerializer(answer(photo)).data, status=status.HTTP_201_CREATED)


class PhotoDetailView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["photos"],
        summary="A public photo",
        parameters=[PHOTO_ID],
        responses={200: PhotoSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, photo_id: str) -> Response:
        photo = selectors.public_photos().filter(pk=_uuid(photo_id)).first()
        if photo is None:
            raise PhotoNotFound()
        return Response(PhotoSerializer(photo).data)


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise PhotoNotFound() from None


def _evidence(photo: Photo) -> dict:
    file = PhotoFile.objects.filter(pk=photo.id).first()
    return {
        "photo": answer(photo),
        "taken_at": file.taken_at if file else None,
        "latitude": file.latitude if file else None,
        "longitude": file.longitude if file else None,
        "digest": photo.digest,
        "dhash": photo.dhash,
        "hidden_reason": photo.hidden_reason,
    }


class PhotoEvidenceView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["photos"],
        summary="A photo as evidence, with its EXIF location and time (its region's coordinator)",
        parameters=[PHOTO_ID],
        responses={200: PhotoEvidenceSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request: Request, photo_id: str) -> Response:
        photo = Photo.objects.filter(pk=_uuid(photo_id)).first()
        if photo is None:
            raise PhotoNotFound()
        region = services.photo_region(photo)
        if region is None or not is_coordinator_of(request.user, region):
            raise NotPhotoCoordinator()
        return Response(PhotoEvidenceSerializer(_evidence(photo)).data)


class PhotoHideView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=["photos"],
        summary="Hide a photo by moderation, with a reason (its region's coordinator)",
        description=(
            "Appends `PhotoHidden`: the photo leaves every public page and answer; its public files are deleted."
        ),
        parameters=[PHOTO_ID, IDEMPOTENCY_KEY],
        request=PhotoHideInputSerializer,
        responses={200: PhotoAnswerSerializer, 400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND, 409: HIDDEN},
    )
    def post(self, request: Request, photo_id: str) -> Response:
        data = PhotoHideInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        photo = services.photo_hide(
            actor=request.user, photo_id=photo_id, **data.validated_data, idempotency_key=idempotency_key(request)
        )
        return Response(PhotoAnswerSerializer(answer(photo)).data)
