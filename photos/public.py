"""The public form of the photos' facts (ledger/public.py): a photo is public when its subject is,
and no form names a person or carries anything read from the file's EXIF.

- `PhotoAttached` is published when the fact says its subject was public at the attachment (an
  approved event's result, a confirmed dump's liquidation), with the subject, the role and the
  names of the public derivative and its thumbnail in the "photos_public" storage (the address the
  public reads them at is that storage's URL of the name). A report's photo waits with its report.
- `PhotoPublished` publishes a report's photo at the dump's confirmation, in the same shape.
- `PhotoHidden` of a published photo says that it was hidden, not why (a reason may name someone).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ledger.public import PublicView, public_form
from photos.facts import public_name, thumbnail_name

FIELDS = ("photo_id", "subject", "subject_id", "role", "file", "thumbnail")


def _form(data: dict) -> dict:
    return {
        "photo_id": data["photo_id"],
        "subject": data["subject"],
        "subject_id": data["subject_id"],
        "role": data["role"],
        "file": public_name(data["photo_id"]),
        "thumbnail": thumbnail_name(data["photo_id"]),
    }


@public_form("PhotoAttached", fields=FIELDS, when=_("when its subject was public: an approved event, a confirmed dump"))
def _attached(fact: PublicView) -> dict | None:
    return _form(fact.data) if fact.data.get("public") else None


@public_form("PhotoPublished", fields=FIELDS, reads=("PhotoAttached",), when=_("always: a report's photo confirmed"))
def _published(fact: PublicView) -> dict | None:
    attached = next((e.data for e in fact.earlier if e.type == "PhotoAttached"), None)
    return _form(attached) if attached else None


def _was_public(fact: PublicView) -> bool:
    return any(e.type == "PhotoPublished" or e.data.get("public") for e in fact.earlier)


@public_form(
    "PhotoHidden",
    fields=("photo_id",),
    reads=("PhotoAttached", "PhotoPublished"),
    when=_("when the photo was public; without the reason"),
)
def _hidden(fact: PublicView) -> dict | None:
    return {"photo_id": fact.data["photo_id"]} if _was_public(fact) else None
