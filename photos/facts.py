"""Fact types of photos as evidence. Stream: `photo-<photo_id>`, everything about one photo.

A photo is attached to a subject by a signed-in person: a dump's report (its reporter), a dump's
liquidation (the after-photo: the region's coordinator or the linked event's organiser), or an
event's result (before and after: its organisers). The file itself is never in the ledger: the
fact names it by its content digest and its perceptual hash; the original is kept private in the
"photos" storage, and the public derivative (resized, stripped of every metadata) is made by a
task under a name fixed by the photo's id (`public_name`, `thumbnail_name`).

Facts name people only by their opaque volunteer ids (`uploader_id`, `coordinator_id`); the public
forms (public.py) carry none of them, nor anything read from the photo's EXIF.
"""

import uuid
from dataclasses import dataclass

from ledger.facts import fact_type

DUMP_REPORT = "dump_report"
DUMP_LIQUIDATION = "dump_liquidation"
RESULT = "result"
SUBJECTS = (DUMP_REPORT, DUMP_LIQUIDATION, RESULT)
BEFORE = "before"
AFTER = "after"
ROLES = (BEFORE, AFTER)


def photo_stream(photo_id: uuid.UUID | str) -> str:
    return f"photo-{photo_id}"


def public_name(photo_id: uuid.UUID | str) -> str:
    """The public derivative's name in the "photos_public" storage: fixed by the id, so the feed can
    name it when the photo is attached, before the task has made it."""
    return f"{photo_id}.jpg"


def thumbnail_name(photo_id: uuid.UUID | str) -> str:
    return f"{photo_id}-thumb.jpg"


@fact_type("PhotoAttached")
@dataclass(frozen=True)
class PhotoAttached:
    photo_id: uuid.UUID
    subject: str  # SUBJECTS
    subject_id: uuid.UUID  # the dump_id (a report, a liquidation) or the event_id (a result)
    role: str  # ROLES: a report's photo is "before", a liquidation's "after"
    uploader_id: uuid.UUID  # never public
    digest: str  # sha256 of the file as uploaded
    dhash: str  # 64-bit difference hash, 16 hex digits (photos/images.py)
    width: int  # of the original, after its EXIF orientation
    height: int
    # Whether the subject was public when the photo was attached: this alone settles the fact's
    # public form (a report's photo waits for the dump's confirmation: `PhotoPublished`).
    public: bool


@fact_type("PhotoPublished")
@dataclass(frozen=True)
class PhotoPublished:
    """A report's photo made public with the dump's confirmation (appended by dumps' `dump_confirm`)."""

    photo_id: uuid.UUID


@fact_type("PhotoHidden")
@dataclass(frozen=True)
class PhotoHidden:
    """Moderation: the coordinator hides a photo, with a reason; its public files are deleted."""

    photo_id: uuid.UUID
    coordinator_id: uuid.UUID
    reason: str
