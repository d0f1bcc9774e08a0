"""Writes of photos: attach (checked, stored, recorded, then queued for the task that makes the public
derivatives: photos/processing.py), publish a report's photos, hide by moderation.

A refusal stores nothing and appends nothing: the file is read and checked (photos/images.py)
before the transaction, the rate limit and the subject's rules inside it, and the original is
written to storage just before the append (and deleted if the append fails).
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.cleaning import Errors, text
from dumps.models import Dump
from events.models import Event
from events.rules import may_coordinate, may_log_result, may_organise
from ledger.ids import uuid7
from ledger.keyed import NAMESPACE, derived_id, fact_ids, replayed
from ledger.store import NO_STREAM, append
from photos import facts as f
from photos.errors import (
    NotPhotoCoordinator,
    PhotoAlreadyHidden,
    PhotoInvalid,
    PhotoNotAllowed,
    PhotoNotFound,
    PhotosLimited,
    PhotoSubjectNotFound,
)
from photos.images import Upload, read_upload, too_large
from photos.models import Photo, PhotoFile
from photos.processing import WAITING
from photos.storage import private_storage, public_storage
from photos.tasks import process_photo, publish_files
from volunteers.models import User
from volunteers.roles import is_coordinator_of

MAX_REASON = 2000


# --- who may attach a photo to what ---------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    kind: str  # facts.SUBJECTS
    id: uuid.UUID
    region: str
    public: bool  # the subject is public now: the photo is published with its attachment


def photo_subject(*, actor: User, subject: Any, subject_id: Any, role: Any) -> Subject:
    """The subject a person may attach a photo to in `role`, or a refusal:

    - `dump_report`, "before": the dump's reporter, while the report is open (reported or confirmed);
    - `dump_liquidation`, "after": the region's coordinator or the linked event's organisers, for a
      confirmed dump linked to an event;
    - `result`, "before" or "after": whoever may log the event's result (its organisers; the region's
      coordinator once the campaign is closed), for an approved event.
    """
    errors: Errors = {}
    if subject not in f.SUBJECTS:
        errors["subject"] = [_("Choose one of %(known)s.") % {"known": ", ".join(f.SUBJECTS)}]
    if role not in f.ROLES:
        errors["role"] = [_("Choose one of %(known)s.") % {"known": ", ".join(f.ROLES)}]
    elif subject in (f.DUMP_REPORT,) and role != f.BEFORE or subject == f.DUMP_LIQUIDATION and role != f.AFTER:
        errors["role"] = [_("A report's photo is a before-photo, a liquidation's an after-photo.")]
    try:
        key = uuid.UUID(str(subject_id))
    except ValueError:
        key = None
        errors["subject_id"] = [_("Give the id of a dump or an event.")]
    if errors:
        raise PhotoInvalid(fields=errors)
    if subject == f.RESULT:
        event = Event.objects.select_related("campaign").filter(pk=key).first()
        if event is None or not (event.was_approved or may_organise(actor, event) or may_coordinate(actor, event)):
            raise PhotoSubjectNotFound()
        if not may_log_result(actor, event):
            raise PhotoNotAllowed()
        if event.status != Event.Status.APPROVED:
            raise PhotoInvalid(fields={"subject_id": [_("Photos of a result are for an approved event.")]})
        return Subject(subject, event.id, event.region_id, True)
    dump = Dump.objects.filter(pk=key).first()
    if (
        dump is None
        or dump.hidden
        or not (dump.published or dump.reporter_id == actor.volunteer_id or is_coordinator_of(actor, dump.region_id))
    ):
        raise PhotoSubjectNotFound()
    if subject == f.DUMP_REPORT:
        if dump.reporter_id != actor.volunteer_id:
            raise PhotoNotAllowed()
        if not dump.is_open:
            raise PhotoInvalid(fields={"subject_id": [_("The dump is no longer open.")]})
        return Subject(subject, dump.id, dump.region_id, dump.published)
    linked = Event.objects.filter(pk=dump.event_id).first() if dump.event_id else None
    if not (is_coordinator_of(actor, dump.region_id) or (linked is not None and may_organise(actor, linked))):
        raise PhotoNotAllowed()
    if not dump.is_open or dump.status != Dump.Status.CONFIRMED or linked is None:
        raise PhotoInvalid(fields={"subject_id": [_("After-photos are for a confirmed dump linked to an event.")]})
    return Subject(subject, dump.id, dump.region_id, True)


# --- attaching ----------------------------------------------------------------------------------------


def photo_read(file: Any, *, field: str = "file") -> Upload:
    """An uploaded file (a Django `UploadedFile` or bytes) read and checked, or a refusal naming `field`."""
    if file is None or file == "":
        raise PhotoInvalid(fields={field: [_("Choose a photo.")]})
    if isinstance(file, bytes):
        return read_upload(file, field=field)
    if getattr(file, "size", 0) > settings.TAZA_PHOTO_MAX_BYTES:
        raise too_large(field)  # refused by its size, unread
    try:
        file.seek(0)
        content = file.read(settings.TAZA_PHOTO_MAX_BYTES + 1)
    except (AttributeError, OSError):
        raise PhotoInvalid(fields={field: [_("Choose a photo.")]}) from None
    return read_upload(content, field=field)


def photos_within_limits(actor: User, adding: int = 1) -> None:
    """TAZA_PHOTO_UPLOADS_PER_HOUR and _PER_DAY per person, counted from the photos recorded (the
    projection's rows, as dumps count reports): exact, the same on every web worker. 429 beyond,
    with the seconds until enough of the window's photos leave it."""
    now = timezone.now()
    waits = []
    for window, limit in (
        (dt.timedelta(hours=1), settings.TAZA_PHOTO_UPLOADS_PER_HOUR),
        (dt.timedelta(days=1), settings.TAZA_PHOTO_UPLOADS_PER_DAY),
    ):
        times = list(
            Photo.objects.filter(uploader_id=actor.volunteer_id, attached_at__gt=now - window)
            .order_by("-attached_at")
            .values_list("attached_at", flat=True)[:limit]
        )
        if len(times) + adding > limit:
            # the photo that must leave the window for `adding` more to fit
            leaving = times[max(limit - adding, 0)] if len(times) > max(limit - adding, 0) else now
            waits.append((leaving + window - now).total_seconds())
    if waits:
        raise PhotosLimited(retry_after=max(1, math.ceil(max(waits))))


def photo_attach(
    *,
    actor: User,
    subject: Any,
    subject_id: Any,
    role: Any,
    file: Any,
    idempotency_key: str | None = None,
) -> Photo:
    """Attach one photo to a subject (`photo_subject` says who may): checked, stored privately,
    recorded as `PhotoAttached`; its public derivatives are made by the task after the commit."""
    upload = photo_read(file)
    with transaction.atomic():
        target = photo_subject(actor=actor, subject=subject, subject_id=subject_id, role=role)
        (photo,) = photos_attach(
            actor=actor, subject=target, role=role, uploads=[upload], idempotency_key=idempotency_key
        )
        return photo


def photos_attach(
    *,
    actor: User,
    subject: Subject,
    role: str,
    uploads: Sequence[Upload],
    idempotency_key: str | None = None,
    photo_ids: Sequence[uuid.UUID] | None = None,
) -> list[Photo]:
    """Record checked uploads on a subject already checked, inside the caller's transaction (a dump's
    report appends its photos with it). Idempotent per key: a retry records nothing and answers the
    same photos. `photo_ids`: ids the caller minted (named in its own fact) instead of derived ones."""
    ids = list(photo_ids) if photo_ids is not None else photo_ids_for(actor, idempotency_key, len(uploads))
    pending = []
    for number, (photo_id, upload) in enumerate(zip(ids, uploads, strict=True)):
        fact = f.PhotoAttached(
            photo_id=photo_id,
            subject=subject.kind,
            subject_id=subject.id,
            role=role,
            uploader_id=actor.volunteer_id,
            digest=upload.digest,
            dhash=upload.dhash,
            width=upload.width,
            height=upload.height,
            public=subject.public,
        )
        key = None if idempotency_key is None else f"{idempotency_key}/photo-{number}"
        keyed = fact_ids(actor_id=actor.volunteer_id, key=key, count=1)
        if replayed(f.photo_stream(photo_id), [fact], keyed) is None:
            pending.append((fact, keyed, upload))
    if pending:
        photos_within_limits(actor, len(pending))
    stored: list[str] = []
    try:
        for fact, keyed, upload in pending:
            name = private_storage().save(f"{fact.photo_id}.{upload.extension}", ContentFile(upload.content))
            stored.append(name)
            PhotoFile.objects.create(
                photo_id=fact.photo_id, original=name, format=upload.format, bytes=len(upload.content)
            )
            append(
                f.photo_stream(fact.photo_id),
                [fact],
                expected_version=NO_STREAM,
                fact_ids=keyed,
                actor_id=str(actor.volunteer_id),
            )
    except BaseException:
        for name in stored:  # the transaction rolls back: no file may outlive it
            private_storage().delete(name)
        raise
    for fact, _keyed, _upload in pending:
        transaction.on_commit(lambda photo_id=str(fact.photo_id): _queue_processing(photo_id), robust=True)
    return list(Photo.objects.filter(pk__in=ids).order_by("attached_at", "id"))


def photo_ids_for(actor: User, idempotency_key: str | None, count: int) -> list[uuid.UUID]:
    """The ids of `count` new photos: derived from the key (a retry names the same photos) or new."""
    return [
        derived_id(actor_id=actor.volunteer_id, key=idempotency_key, purpose=f"photo_id:{n}") or uuid7()
        for n in range(count)
    ]


def _queue_processing(photo_id: str) -> None:
    process_photo.delay(photo_id)


# --- publishing and moderation ---------------------------------------------------------------------


def photos_publish(*, subject: str, subject_id: uuid.UUID) -> int:
    """Publish the photos of a subject that has become public (a dump's report at its confirmation),
    inside the caller's transaction. Each photo is published once: the fact's id is fixed by it."""
    waiting = Photo.objects.filter(subject=subject, subject_id=subject_id, public=False, hidden=False)
    count = 0
    for photo in waiting.select_for_update().order_by("attached_at", "id"):
        append(
            f.photo_stream(photo.id),
            [f.PhotoPublished(photo_id=photo.id)],
            expected_version=photo.version,
            fact_ids=[uuid.uuid5(NAMESPACE, f"photo-published:{photo.id}")],
        )
        transaction.on_commit(lambda photo_id=str(photo.id): publish_files.delay(photo_id), robust=True)
        count += 1
    return count


def photo_region(photo: Photo) -> str | None:
    """The region whose coordinator judges a photo: its dump's or its event's."""
    model = Event if photo.subject == f.RESULT else Dump
    return model.objects.filter(pk=photo.subject_id).values_list("region_id", flat=True).first()


def photo_hide(*, actor: User, photo_id: Any, reason: Any, idempotency_key: str | None = None) -> Photo:
    """Moderation: the coordinator of the photo's region hides it, with a reason. It leaves every
    public page and answer, and its public files are deleted once the fact is committed."""
    errors: Errors = {}
    reason = text(errors, "reason", reason, required=True, missing=_("Say why."), max_length=MAX_REASON)
    if errors:
        raise PhotoInvalid(fields=errors)
    try:
        key = uuid.UUID(str(photo_id))
    except ValueError:
        raise PhotoNotFound() from None
    with transaction.atomic():
        photo = Photo.objects.select_for_update().filter(pk=key).first()
        if photo is None:
            raise PhotoNotFound()
        fact = f.PhotoHidden(photo_id=photo.id, coordinator_id=actor.volunteer_id, reason=reason)
        ids = fact_ids(actor_id=actor.volunteer_id, key=idempotency_key, count=1)
        if replayed(f.photo_stream(photo.id), [fact], ids) is None:
            region = photo_region(photo)
            if region is None or not is_coordinator_of(actor, region):
                raise NotPhotoCoordinator()
            if photo.hidden:
                raise PhotoAlreadyHidden()
            append(
                f.photo_stream(photo.id),
                [fact],
                expected_version=photo.version,
                fact_ids=ids,
                actor_id=str(actor.volunteer_id),
            )
            transaction.on_commit(lambda: _delete_public_files(photo.id), robust=True)
            photo.refresh_from_db()
        return photo


def _delete_public_files(photo_id: uuid.UUID) -> None:
    for name in (f.public_name(photo_id), f.thumbnail_name(photo_id)):
        public_storage().delete(name)
        private_storage().delete(WAITING + name)
