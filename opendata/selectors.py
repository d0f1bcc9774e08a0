"""Reads of the open data: the errata log and the releases made."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from config.errors import NotFound
from opendata.models import Erratum, Release


def errata_list(*, region: str | None = None, campaign_id: str | None = None, kind: str | None = None) -> QuerySet:
    """The errata, newest first, of a region, a campaign or a kind if given."""
    rows = Erratum.objects.order_by("-position")
    if region:
        rows = rows.filter(region=region)
    if campaign_id:
        rows = rows.filter(campaign_id=campaign_id)
    if kind:
        rows = rows.filter(kind=kind)
    return rows


def release_list() -> QuerySet:
    return Release.objects.order_by("-made_at")


def release_get(*, name: str) -> Release:
    release = Release.objects.filter(name=name).first()
    if release is None:
        raise NotFound(_("No open-data release with this name."))
    return release


def release_file(*, release: Release, file_name: str) -> dict:
    for file in release.files:
        if file["name"] == file_name:
            return file
    raise NotFound(_("The release has no file of this name."))
