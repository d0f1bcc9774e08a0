"""The inline projection of photo streams: the `Photo` row of each photo.

Inline, because the rate limit, the moderation and the evidence grade read the rows in the same
transaction as the append that changes them.
"""

from __future__ import annotations

import uuid

from ledger.projections import InlineProjection, handler, register
from ledger.stored import StoredFact
from photos.facts import PhotoAttached, PhotoHidden, PhotoPublished
from photos.models import Photo


def _row(data: dict):
    return Photo.objects.filter(pk=uuid.UUID(data["photo_id"]))


@register
class PhotoProjection(InlineProjection):
    name = "photos.photo"
    models = (Photo,)

    @handler(PhotoAttached)
    def _attached(self, fact: StoredFact, data: dict) -> None:
        Photo.objects.create(
            id=uuid.UUID(data["photo_id"]),
            subject=data["subject"],
            subject_id=uuid.UUID(data["subject_id"]),
            role=data["role"],
            uploader_id=uuid.UUID(data["uploader_id"]),
            digest=data["digest"],
            dhash=data["dhash"],
            width=data["width"],
            height=data["height"],
            public=data["public"],
            attached_at=fact.occurred_at,
            version=fact.version,
        )

    @handler(PhotoPublished)
    def _published(self, fact: StoredFact, data: dict) -> None:
        _row(data).update(public=True, version=fact.version)

    @handler(PhotoHidden)
    def _hidden(self, fact: StoredFact, data: dict) -> None:
        _row(data).update(hidden=True, hidden_reason=data["reason"], version=fact.version)
