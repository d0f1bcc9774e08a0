"""The maps' sources, all from the platform itself unless a setting names an online tile server.

- `map_sources()`: what a page's map is drawn on, for its data attributes (the bundled outline
  always; the PMTiles basemap's same-origin address, or the tile URL, when set).
- `@with_map`: a page that has a map allows the tile server's origin in its CSP's img-src, and only
  when `TAZA_MAP_TILE_URL` names one. No other page ever names it.
- `basemap`: the PMTiles archive operations supply (`TAZA_MAP_PMTILES`, platform/DEPLOY.md), served
  with HTTP ranges (RFC 9110 section 14): 206 with its Content-Range, 416 for a range outside the
  file, the whole file (200) without a range. Its address carries the file's version, so the answer
  is immutable: a new file is a new address on the next page. The address names no file: the one
  the setting names is the only one it ever serves.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterator
from functools import wraps
from stat import S_ISREG
from typing import BinaryIO
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

CHUNK = 64 * 1024
CONTENT_TYPE = "application/vnd.pmtiles"
IMMUTABLE = "public, max-age=31536000, immutable"
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def tile_origin() -> str:
    """The origin of the online tile server the settings name, or "" (the default: none)."""
    url = settings.TAZA_MAP_TILE_URL
    if not url:
        return ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def with_map(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A page with a map: its CSP allows the tile server's origin when a setting names one."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if map_sources()["tiles"]:
            response._csp_update = {"img-src": [tile_origin()]}
        return response

    return wrapped


def _basemap_version(path: str) -> tuple[str, os.stat_result] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    if not S_ISREG(stat.st_mode):
        return None  # a directory or a device is no archive
    digest = hashlib.sha256(f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ino}".encode()).hexdigest()
    return digest[:16], stat


def map_sources() -> dict[str, str]:
    """The data attributes of a map: the basemap (a PMTiles archive of the site's own, else the
    online tile URL, else none) and its attribution."""
    pmtiles = ""
    if settings.TAZA_MAP_PMTILES:
        found = _basemap_version(settings.TAZA_MAP_PMTILES)
        if found:
            pmtiles = reverse("map-basemap", args=[found[0]])
    tiles = "" if pmtiles else settings.TAZA_MAP_TILE_URL
    return {
        "pmtiles": pmtiles,
        "tiles": tiles,
        "attribution": settings.TAZA_MAP_ATTRIBUTION if pmtiles or tiles else "",
    }


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The (first, last) byte of a `Range: bytes=…` header within `size`; None to send the whole
    file (no header, another unit, or several ranges, which a server may ignore); ValueError for a
    range that is invalid or outside the file (416)."""
    if not header or not header.startswith("bytes=") or "," in header:
        return None
    match = RANGE.match(header.replace(" ", ""))
    if not match or match.group(1) == match.group(2) == "":
        raise ValueError(header)
    first, last = match.groups()
    if first == "":  # the last N bytes
        length = int(last)
        if length == 0 or size == 0:
            raise ValueError(header)
        return max(0, size - length), size - 1
    start = int(first)
    end = size - 1 if last == "" else min(int(last), size - 1)
    if start >= size or (last != "" and int(last) < start):
        raise ValueError(header)
    return start, end


def _read(file: BinaryIO, start: int, length: int) -> Iterator[bytes]:
    try:
        file.seek(start)
        while length > 0:
            chunk = file.read(min(CHUNK, length))
            if not chunk:
                break
            length -= len(chunk)
            yield chunk
    finally:
        file.close()


@require_safe
def basemap(request: HttpRequest, version: str) -> HttpResponseBase:
    """The PMTiles basemap, by byte ranges (the browser's pmtiles reader asks for the header, the
    directories and each tile). 404 without the setting, its file, or at an old version."""
    path = settings.TAZA_MAP_PMTILES
    found = _basemap_version(path) if path else None
    if found is None or found[0] != version:
        raise Http404()
    stat = found[1]
    size = stat.st_size
    etag = f'"{version}"'
    headers = {"ETag": etag, "Cache-Control": IMMUTABLE, "Accept-Ranges": "bytes"}

    # If-None-Match compares weakly (RFC 9110 13.1.2): W/"v" is the same tag; "*" is any.
    known = [tag.strip().removeprefix("W/") for tag in request.headers.get("If-None-Match", "").split(",")]
    if etag in known or "*" in known:
        return HttpResponse(status=304, headers=headers)
    wanted = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range")
    if if_range is not None and if_range.strip() != etag:
        wanted = ""  # changed since the client's copy: the whole file
    try:
        span = _byte_range(wanted, size)
    except ValueError:
        return HttpResponse(status=416, headers={**headers, "Content-Range": f"bytes */{size}"})

    start, end = span if span else (0, size - 1)
    length = end - start + 1 if size else 0
    headers["Content-Length"] = str(length)
    status = 200
    if span:
        status = 206
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    if request.method == "HEAD":
        return HttpResponse(status=status, content_type=CONTENT_TYPE, headers=headers)
    try:
        file = open(path, "rb")  # noqa: SIM115 - closed by _read when the answer is sent
    except OSError:
        raise Http404() from None
    return StreamingHttpResponse(_read(file, start, length), status=status, content_type=CONTENT_TYPE, headers=headers)
