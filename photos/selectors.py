"""Reads of photos: a subject's public photos, the coordinator's evidence, and what the evidence
grade and the coordinator's signals take (events.selectors applies them)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.files.storage import storages
from django.db.models import Count, QuerySet

from ledger.facts import fact_types
from ledger.models import Fact
from photos.facts import (
    AFTER,
    BEFORE,
    DUMP_LIQUIDATION,
    DUMP_REPORT,
    RESULT,
    PhotoAttached,
    PhotoHidden,
    public_name,
    thumbnail_name,
)
from photos.images import hamming
from photos.models import Photo, PhotoFile


def public_photos(*, subject: str | None = None, subject_id: uuid.UUID | str | None = None) -> QuerySet[Photo]:
    """Photos the public sees: public, not hidden, their derivatives made (a photo still waiting for
    the task has no public file yet)."""
    processed = PhotoFile.objects.filter(processed_at__isnull=False).values("photo_id")
    photos = Photo.objects.filter(public=True, hidden=False, pk__in=processed)
    if subject is not None:
        photos = photos.filter(subject=subject)
    if subject_id is not None:
        photos = photos.filter(subject_id=subject_id)
    return photos.order_by("attached_at", "id")


def dump_photos(dump_id: uuid.UUID | str) -> dict[str, list[Photo]]:
    """A dump's public photos: the report's ("before") and the liquidation's ("after")."""
    photos = list(public_photos(subject_id=dump_id).filter(subject__in=(DUMP_REPORT, DUMP_LIQUIDATION)))
    return {BEFORE: [p for p in photos if p.role == BEFORE], AFTER: [p for p in photos if p.role == AFTER]}


def photo_urls(photo: Photo) -> dict[str, str]:
    """Where the public reads a photo's derivatives: the public storage's URL of their names."""
    storage = storages["photos_public"]
    return {"url": storage.url(public_name(photo.id)), "thumbnail_url": storage.url(thumbnail_name(photo.id))}


def after_photo_count(event_id: uuid.UUID | str) -> int:
    """The visible after-photos of an event's result: what the `with_photos` grade asks for."""
    return Photo.objects.filter(subject=RESULT, subject_id=event_id, role=AFTER, hidden=False).count()


def after_photo_counts(*, until_position: int | None = None) -> dict[str, int]:
    """Visible after-photos by event id (text), for the open-data release's grades. With
    `until_position`, as of that ledger position (the release's), read from the facts themselves:
    attached up to it and not hidden up to it."""
    if until_position is None:
        photos = Photo.objects.filter(subject=RESULT, role=AFTER, hidden=False)
        return {str(row["subject_id"]): row["n"] for row in photos.values("subject_id").annotate(n=Count("id"))}
    facts = Fact.objects.filter(
        type__in=fact_types(PhotoAttached, PhotoHidden), position__lte=until_position
    ).values_list("type", "data")
    events: dict[str, str] = {}
    hidden: set[str] = set()
    for kind, data in facts.iterator(chunk_size=2000):
        if kind == "PhotoHidden":
            hidden.add(data["photo_id"])
        elif data["subject"] == RESULT and data["role"] == AFTER:
            events[data["photo_id"]] = data["subject_id"]
    counts: dict[str, int] = {}
    for photo_id, event_id in events.items():
        if photo_id not in hidden:
            counts[event_id] = counts.get(event_id, 0) + 1
    return counts


@dataclass(frozen=True)
class Evidence:
    """A photo as the coordinator sees it: with what its EXIF said (never public)."""

    photo: Photo
    file: PhotoFile | None

    @property
    def taken_at(self):
        return self.file.taken_at if self.file else None

    @property
    def latitude(self) -> float | None:
        return self.file.latitude if self.file else None

    @property
    def longitude(self) -> float | None:
        return self.file.longitude if self.file else None

    @property
    def processed(self) -> bool:
        return bool(self.file and self.file.processed_at)

    @property
    def urls(self) -> dict[str, str]:
        return photo_urls(self.photo)


def evidence_of(*, subject: str, subject_id: uuid.UUID | str, hidden: bool = True) -> list[Evidence]:
    """A subject's photos with their EXIF evidence, hidden ones too unless `hidden` is False."""
    photos = Photo.objects.filter(subject=subject, subject_id=subject_id)
    if not hidden:
        photos = photos.filter(hidden=False)
    photos = list(photos.order_by("attached_at", "id"))
    files = {row.photo_id: row for row in PhotoFile.objects.filter(photo_id__in=[p.id for p in photos])}
    return [Evidence(photo, files.get(photo.id)) for photo in photos]


@dataclass(frozen=True)
class Twin:
    """A photo of another subject that looks the same (its dHash within the setting's distance)."""

    photo: Photo  # the subject's own photo
    other: Photo
    distance: int


def photo_twins(photos: Iterable[Photo], *, most: int) -> list[Twin]:
    """Photos of other results and dumps whose dHash is within `most` bits of one of `photos`.

    Compared in Python over every other photo's hash (16 hex digits a row): a country's evidence is
    some tens of thousands of photos, a millisecond's work a thousand, read only for the coordinator."""
    photos = list(photos)
    if not photos:
        return []
    subjects = {p.subject_id for p in photos}
    others = (
        Photo.objects.exclude(subject_id__in=subjects)
        .filter(hidden=False)
        .only("id", "subject", "subject_id", "role", "dhash")
    )
    found = []
    for other in others.order_by("attached_at", "id").iterator(chunk_size=2000):
        for photo in photos:
            distance = hamming(photo.dhash, other.dhash)
            if distance <= most:
                found.append(Twin(photo, other, distance))
    return found
