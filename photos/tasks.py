"""Thin Celery tasks of photos: each takes an id and calls one service; safe to run twice."""

from celery import shared_task

from photos.models import PhotoFile
from photos.services import photo_process


@shared_task(name="photos.process_photo", acks_late=True)
def process_photo(photo_id: str) -> bool:
    """The public derivatives of one photo (photos.services.photo_process)."""
    return photo_process(photo_id=photo_id) is not None


@shared_task(name="photos.process_waiting")
def process_waiting() -> int:
    """The safety net of beat: photos whose task was lost (a broker down at the upload) are made now."""
    waiting = list(PhotoFile.objects.filter(processed_at__isnull=True).values_list("photo_id", flat=True)[:100])
    for photo_id in waiting:
        photo_process(photo_id=photo_id)
    return len(waiting)
