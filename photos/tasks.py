"""Thin Celery tasks of photos: each takes an id and calls one service; safe to run twice."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from photos.models import PhotoFile
from photos.processing import photo_files_publish, photo_process


@shared_task(name="photos.process_photo", acks_late=True)
def process_photo(photo_id: str) -> bool:
    """The public derivatives of one photo (photos.processing.photo_process)."""
    return photo_process(photo_id=photo_id) is not None


@shared_task(name="photos.process_waiting")
def process_waiting() -> int:
    """The safety net of beat: photos whose task was lost (a broker down at the upload) are made now;
    those uploaded in the last minute are left to their own task."""
    waiting = list(
        PhotoFile.objects.filter(processed_at__isnull=True, uploaded_at__lt=timezone.now() - dt.timedelta(minutes=1))
        .order_by("uploaded_at")
        .values_list("photo_id", flat=True)[:100]
    )
    for photo_id in waiting:
        photo_process(photo_id=photo_id)
    return len(waiting)


@shared_task(name="photos.publish_files", acks_late=True)
def publish_files(photo_id: str) -> bool:
    """A report's photo published with its dump: its files to the public storage."""
    return photo_files_publish(photo_id=photo_id)
