"""The processing task's body: a photo's public derivatives made from its original, and its EXIF
location and time kept on its private row (photos/images.py does the work on the bytes)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from photos import facts as f
from photos.images import derivatives
from photos.models import Photo, PhotoFile
from photos.storage import private_storage, public_storage


def photo_process(*, photo_id: Any) -> PhotoFile | None:
    """Make a photo's public derivatives and keep its EXIF location and time on its private row.

    Safe to run twice, or twice at once: a processed photo is left alone, and the files written
    are the same bytes under the same names. A hidden photo gets no public file."""
    try:
        key = uuid.UUID(str(photo_id))
    except ValueError:
        return None
    record = PhotoFile.objects.filter(pk=key).first()
    if record is None or record.processed_at is not None:
        return record
    with private_storage().open(record.original, "rb") as original:
        made = derivatives(original.read())
    photo = Photo.objects.filter(pk=key).first()
    if photo is not None and not photo.hidden:
        _put(f.public_name(key), made.public)
        _put(f.thumbnail_name(key), made.thumbnail)
    PhotoFile.objects.filter(pk=key, processed_at__isnull=True).update(
        processed_at=timezone.now(),
        public_width=made.width,
        public_height=made.height,
        taken_at=made.taken_at,
        latitude=made.latitude,
        longitude=made.longitude,
    )
    record.refresh_from_db()
    return record


def _put(name: str, content: bytes) -> None:
    storage = public_storage()
    if storage.exists(name):
        storage.delete(name)
    storage.save(name, ContentFile(content))
