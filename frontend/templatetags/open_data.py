"""The open-data page's latest release, read where the page shows it (opendata.selectors)."""

from __future__ import annotations

from django import template

from opendata.models import Release
from opendata.selectors import release_list

register = template.Library()


@register.simple_tag
def latest_release() -> Release | None:
    return release_list().first()


@register.filter
def table_files(release: Release) -> list[dict]:
    """The release's CSV tables, in the package's order."""
    return [file for file in release.files if file["name"].endswith(".csv")]
