"""The public derivative of a photo, read from the "photos_public" storage: only the two names a
photo's id fixes, only of a photo the public may see."""

from __future__ import annotations

import re
import uuid

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from photos.selectors import public_photos
from photos.storage import public_storage

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
