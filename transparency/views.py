"""The log for log tooling, as C2SP tlog-tiles serves it: `/log/checkpoint` and `/log/tile/…`.

Plain HTTP, not the JSON API: a mirror, witness or auditor built for tlog-tiles (Go's
golang.org/x/mod/sumdb/tlog, the transparency-dev tools) reads the latest checkpoint as text,
fetches the hashes it needs tile by tile, and the entries (each leaf's data) bundle by bundle.
Full tiles and bundles never change and are cached for ever; a partial one is served at any width
up to what is stored (its first W hashes are what it was at width W), and the latest checkpoint
for a minute.
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.utils.text import compress_string
from django.views.decorators.http import require_safe

from transparency import log, selectors
from transparency.models import Checkpoint
from transparency.tiles import TILE_WIDTH

# tile/<L>/<N>[.p/<W>], N in groups of three digits, all but the last prefixed with x.
_TILE = re.compile(r"^(?P<number>(?:x\d{3}/)*\d{3})(?:\.p/(?P<width>\d{1,3}))?$")
_MAX_LEVEL = 63


def _text(body: str, status: int = 200, *, max_age: int = 60) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response


@require_safe
def checkpoint(request: HttpRequest) -> HttpResponse:
    latest = Checkpoint.objects.order_by("-size").first()
    if latest is None:
        return _text("No checkpoint has been published yet.\n", 404, max_age=5)
    return _text(latest.cosigned_note)


def _number_and_width(path: str) -> tuple[int, int] | HttpResponse:
    """A tile's or bundle's `<N>[.p/<W>]`: its number and width, or the 404 that says why not."""
    match = _TILE.match(path)
    if match is None:
        return _text(
            "Not a tile: tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>] (C2SP tlog-tiles).\n", 404, max_age=3600
        )
    groups = match["number"].replace("x", "").split("/")
    if len(groups) > 1 and groups[0] == "000":
        return _text("Not a tile: no leading zero groups.\n", 404, max_age=3600)
    number = int("".join(groups))
    if number >= 2**62:
        return _text("No such tile.\n", 404, max_age=3600)
    width = int(match["width"]) if match["width"] else TILE_WIDTH
    if not 1 <= width <= TILE_WIDTH or (match["width"] and width == TILE_WIDTH):
        return _text("A partial tile has a width from 1 to 255.\n", 404, max_age=3600)
    return number, width


def _immutable(data: bytes, request: HttpRequest, *, compress: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    if compress:
        # Public data only (no secret to guess at, so no BREACH): gzip when the client takes it.
        response["Vary"] = "Accept-Encoding"
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            response.content = compress_string(data)
            response["Content-Encoding"] = "gzip"
    return response


@require_safe
def tile(request: HttpRequest, level: int, path: str) -> HttpResponse:
    if level > _MAX_LEVEL:
        return _text("Not a tile: tile/<L>/<N>[.p/<W>] (C2SP tlog-tiles).\n", 404, max_age=3600)
    parsed = _number_and_width(path)
    if isinstance(parsed, HttpResponse):
        return parsed
    number, width = parsed
    data = log.load_tiles([(level, number)]).get((level, number), b"")
    if len(data) < width * 32:
        return _text("No such tile yet.\n", 404, max_age=5)
    return _immutable(data[: width * 32], request)


@require_safe
def entries(request: HttpRequest, path: str) -> HttpResponse:
    """`tile/entries/<N>[.p/<W>]`: the data of leaves [256·N, 256·N + W), each prefixed with its
    length (big-endian uint16), each hashing to its hash in level-0 tile N."""
    parsed = _number_and_width(path)
    if isinstance(parsed, HttpResponse):
        return parsed
    number, width = parsed
    try:
        bundle = selectors.entry_bundle(number * TILE_WIDTH, width)
    except selectors.EntryTooLarge as error:
        return _text(f"This bundle cannot be served: {error}, more than 65 535; read it from /api/v1/facts/.\n", 404)
    except selectors.EntryNotServed as error:
        return _text(f"This bundle cannot be served as it was logged: {error}.\n", 404, max_age=5)
    if bundle is None:
        return _text("No such bundle yet.\n", 404, max_age=5)
    return _immutable(bundle, request, compress=True)
