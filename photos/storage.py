"""The two storages of photos (the STORAGES aliases, config/settings/base.py): the originals, kept
private with their EXIF, and the public derivatives."""

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    """Originals, with their EXIF: never served to the public."""
    return storages["photos"]


def public_storage() -> Storage:
    """The derivatives the public reads: resized, re-encoded, no metadata."""
    return storages["photos_public"]
