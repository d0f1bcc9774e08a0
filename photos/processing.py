"""The processing task's body: a photo's public derivatives made from its original, and its EXIF
location and time kept on its private row (photos/images.py does the work on the bytes)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.utils import timezone

from photos import facts as f
from photos.images import Derivatives, derivatives
from photos.models import Photo, PhotoFile
from photos.storage import private_storage, public_storage

WAITING = "derivatives/"  # where a photo not yet public keeps its derivatives, in the private storage


def derivative_file(photo: Photo, name: str) -> tuple[Storage, str]:
    """Where a derivative of `photo` is: the public storage once the photo is public, else the
    private one (a report's photos wait there for its confirmation: a bucket's public prefix must
    never hold a photo the public may not see yet)."""
    return (public_storage(), name) if photo.public else (private_storage(), WAITING + name)


def photo_process(*, photo_id: Any) -> PhotoFile | None:
    """Make a photo's derivatives and keep its EXIF location and time on its private row.

    Safe to run twice, or twice at once: a processed photo is left alone, and the files written
    are the same bytes under the same names. A hidden photo gets no file."""
    try:
        key = uuid.UUID(str(photo_id))
    except ValueError:
        return None
    record = PhotoFile.objects.filter(pk=key).first()
    if record is None or record.processed_at is not None:
        return record
    made = _made(record)
    photo = Photo.objects.filter(pk=key).first()
    if photo is not None and not photo.hidden:
        _write(photo, made)
        photo.refresh_from_db()
        if photo.public and not (public_storage().exists(f.public_name(key))):
            _write(photo, made)  # published while it was made: the public files too
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


def photo_files_publish(*, photo_id: Any) -> bool:
    """Move a just published photo's derivatives to the public storage (made again from the
    original: the same bytes), and delete the waiting ones. Safe to run twice; a photo not yet
    processed is left to its task, which will write it public."""
    photo = Photo.objects.filter(pk=photo_id).first()
    record = PhotoFile.objects.filter(pk=photo_id).first()
    if photo is None or record is None or not photo.public or photo.hidden or record.processed_at is None:
        return False
    _write(photo, _made(record))
    for name in (f.public_name(photo.id), f.thumbnail_name(photo.id)):
        private_storage().delete(WAITING + name)
    return True


def _made(record: PhotoFile) -> Derivatives:
    with private_storage().open(record.original, "rb") as original:
        return derivatives(original.read())


def _write(photo: Photo, made: Derivatives) -> None:
    for name, content in ((f.public_name(photo.id), made.public), (f.thumbnail_name(photo.id), made.thumbnail)):
        storage, where = derivative_file(photo, name)
        if storage.exists(where):
            storage.delete(where)
        storage.save(where, ContentFile(content))
