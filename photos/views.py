"""The derivatives of a photo, read from the "photos_public" storage: to the public, only the two
names a photo's id fixes and only of a photo the public may see; to its region's coordinator and
its uploader, a photo still waiting for its report's confirmation."""

from __future__ import annotations

import re
import uuid

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from photos.facts import public_name, thumbnail_name
from photos.models import Photo
from photos.processing import derivative_file
from photos.selectors import public_photos
from photos.services import photo_region
from photos.storage import public_storage
from volunteers.roles import is_coordinator_of

NAME = re.compile(r"^(?P<id>[0-9a-f-]{36})(?:-thumb)?\.jpg$")


@require_GET
def public_file(request: HttpRequest, name: str) -> FileResponse:
    match = NAME.match(name)
    if match is None:
        raise Http404()
    try:
        photo_id = uuid.UUID(match["id"])
    except ValueError:
        raise Http404() from None
    if not public_photos().filter(pk=photo_id).exists() or not public_storage().exists(name):
        raise Http404()
    response = FileResponse(public_storage().open(name, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def evidence_file(request: HttpRequest, photo_id: uuid.UUID, size: str) -> FileResponse:
    """A photo's derivative for those who judge it before it is public (a report waiting for the
    coordinator): its region's coordinator and its uploader. Never cached by a shared cache."""
    photo = Photo.objects.filter(pk=photo_id, hidden=False).first()
    if photo is None or not request.user.is_authenticated or size not in ("full", "thumbnail"):
        raise Http404()
    region = photo_region(photo)
    if photo.uploader_id != request.user.volunteer_id and not (region and is_coordinator_of(request.user, region)):
        raise Http404()
    storage, name = derivative_file(photo, public_name(photo.id) if size == "full" else thumbnail_name(photo.id))
    if not storage.exists(name):
        raise Http404()
    response = FileResponse(storage.open(name, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response
