"""How stats answers go on the wire: CSV downloads, and answers rendered once and sent many times."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from rest_framework.renderers import BaseRenderer

from config.csv_safety import csv_text

# A browser or proxy may reuse an answer for this long: the same lag as a web process's memory of
# the position (STATS_POSITION_TTL, 1 s by default), so figures are never more than ~2 s behind.
MAX_AGE_SECONDS = 1
# What an answer depends on besides its URL: the format (Accept), and the language of names
# (Accept-Language, or the language cookie that LocaleMiddleware reads first).
VARY = ("Accept", "Accept-Language", "Cookie")


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        context = renderer_context or {}
        if isinstance(data, dict) and "error" in data:
            error = data["error"] if isinstance(data["error"], dict) else {}
            rows = [{"code": error.get("code", ""), "message": error.get("message", "")}]
        elif isinstance(data, dict) and {"as_of_position", "as_of_time", "data"} <= data.keys():
            freshness = {"as_of_position": data["as_of_position"], "as_of_time": data["as_of_time"]}
            if "checkpoint" in data:  # asked for as of a checkpoint of the log: its tree size and root
                freshness.update({f"checkpoint_{key}": value for key, value in data["checkpoint"].items()})
            rows = [{**row, **freshness} for row in context["view"].csv_rows(data["data"])]
        else:
            # Any other body (a framework's own answer, such as a 406 detail) as one row of its
            # top-level values: whatever reaches this renderer is written, never a 500.
            body = data if isinstance(data, dict) else {"value": data}
            rows = [{str(key): value if isinstance(value, str | int | float) else "" for key, value in body.items()}]
        return csv_text(rows).encode(self.charset)


@dataclass(frozen=True)
class RenderedAnswer:
    """One answer as sent: rendered once per ledger position, then served from a process's memory.

    Conditional GETs are answered by the ETag alone: `If-None-Match` with the current ETag gets a
    304. Last-Modified (when the totals reached the position) is sent for information, but
    `If-Modified-Since` is not honoured: with its one-second resolution, two folds within the same
    second would leave a client revalidating the older answer for good.
    """

    body: bytes
    content_type: str
    etag: str
    last_modified: str
    disposition: str | None = None

    @classmethod
    def of(cls, body: bytes, *, content_type: str, as_of_time: float | None, filename: str | None) -> RenderedAnswer:
        return cls(
            body=body,
            content_type=content_type,
            etag=f'"{hashlib.blake2b(body, digest_size=12).hexdigest()}"',
            last_modified=http_date(as_of_time) if as_of_time is not None else "",
            disposition=f'attachment; filename="{filename}"' if filename else None,
        )

    def response(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(self.body, content_type=self.content_type)
        response["ETag"] = self.etag
        if self.last_modified:
            response["Last-Modified"] = self.last_modified
        if self.disposition:
            response["Content-Disposition"] = self.disposition
        response["Cache-Control"] = f"public, max-age={MAX_AGE_SECONDS}"
        patch_vary_headers(response, VARY)
        return get_conditional_response(request, etag=self.etag, response=response)
