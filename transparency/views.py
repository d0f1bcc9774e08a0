"""The log for log tooling, as C2SP tlog-tiles serves it: `/log/checkpoint` and `/log/tile/…`.

Plain HTTP, not the JSON API: a mirror, witness or auditor built for tlog-tiles (Go's
golang.org/x/mod/sumdb/tlog, the transparency-dev tools) reads the latest checkpoint as text and
fetches the hashes it needs tile by tile. Full tiles never change and are cached for ever; a
partial tile is served at any width up to what is stored (its first W hashes are what it was at
width W), and the latest checkpoint for a minute.
"""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from transparency import log
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


@require_safe
def tile(request: HttpRequest, level: int, path: str) -> HttpResponse:
    match = _TILE.match(path)
    if match is None or level > _MAX_LEVEL:
        return _text("Not a tile: tile/<L>/<N>[.p/<W>] (C2SP tlog-tiles).\n", 404, max_age=3600)
    groups = match["number"].replace("x", "").split("/")
    if len(groups) > 1 and groups[0] == "000":
        return _text("Not a tile: no leading zero groups.\n", 404, max_age=3600)
    number = int("".join(groups))
    if number >= 2**62:
        return _text("No such tile.\n", 404, max_age=3600)
    width = int(match["width"]) if match["width"] else TILE_WIDTH
    if not 1 <= width <= TILE_WIDTH or (match["width"] and width == TILE_WIDTH):
        return _text("A partial tile has a width from 1 to 255.\n", 404, max_age=3600)
    data = log.load_tiles([(level, number)]).get((level, number), b"")
    if len(data) < width * 32:
        return _text("No such tile yet.\n", 404, max_age=5)
    response = HttpResponse(data[: width * 32], content_type="application/octet-stream")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
