"""While the database is unreachable: a 503 with Retry-After, never a 500 (JSON for the API, a static page).

A request that finds PostgreSQL down, or loses it mid-query, fails with the driver's
OperationalError or InterfaceError (Django's wrappers, or psycopg's own where code talks to the
driver directly). Without this, Django answers its bare HTML "Server Error (500)" to API clients and
people alike: the wrong shape, the wrong status, and nothing telling a client that trying again is
right. Nothing was committed by a request that failed this way, so a retry (with the same
Idempotency-Key for a keyed write) is always safe.

Two ways in, one answer:

- `DatabaseUnavailableMiddleware.process_exception`: the view, and everything it calls (DRF's
  authentication, the lazy `request.user`, the session read), raises;
- `server_error` (`handler500` in config/urls.py): a middleware raises, e.g. SessionMiddleware
  saving the session after the view; Django turns that into a 500 inside the middleware chain, where
  no middleware's `except` can see it, and calls the handler with the exception still in hand.

The page needs no database: a plain template rendered without a request (so no context processor
reads the session or the user), in the language of the language cookie or Accept-Language.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext
from django.views import defaults

from config.errors import error_body

logger = logging.getLogger(__name__)

# A restart of PostgreSQL or a fail-over takes seconds; clients should not hammer it meanwhile.
RETRY_AFTER_SECONDS = 5

_OUTAGES: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)
try:  # the driver's own, for code that reaches psycopg without Django's wrapper
    import psycopg

    _OUTAGES += (psycopg.OperationalError, psycopg.InterfaceError)
except ImportError:  # pragma: no cover  (SQLite-only installs)
    pass


def is_database_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, _OUTAGES)


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 for a request that could not reach the database: JSON under /api/, a page elsewhere."""
    # From the cookie or Accept-Language only: the session and the account are in the database.
    language = translation.get_language_from_request(request)
    with translation.override(language):
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse(
                error_body(
                    "unavailable",
                    gettext("The platform cannot reach its database right now. Try again in a few seconds."),
                ),
                status=503,
            )
        else:
            html = loader.get_template("unavailable.html").render({"LANGUAGE_CODE": language})
            response = HttpResponse(html, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response["Content-Language"] = language
    return response


class DatabaseUnavailableMiddleware:
    """Answers a database outage raised by a view with `unavailable_response`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_outage(exception):
            return None
        logger.warning("database unavailable: %s %s: %r", request.method, request.path, exception)
        return unavailable_response(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a database outage raised outside a view (a middleware) is a 503 too."""
    exception = sys.exc_info()[1]
    if is_database_outage(exception):
        logger.warning("database unavailable: %s %s: %r", request.method, request.path, exception)
        return unavailable_response(request)
    return defaults.server_error(request)
