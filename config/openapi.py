"""OpenAPI schema hooks: what every endpoint shares, said once instead of at every view."""

from __future__ import annotations

from django.utils import translation
from drf_spectacular.views import SpectacularAPIView

NOT_SIGNED_IN = {
    "description": "Not signed in: send `Authorization: Token <key>` (or a session cookie). Nothing was recorded.",
    "headers": {"WWW-Authenticate": {"schema": {"type": "string", "example": "Token"}}},
    "content": {
        "application/json": {
            "schema": {"$ref": "#/components/schemas/Error"},
            "examples": {
                "not_authenticated": {
                    "value": {
                        "error": {
                            "code": "not_authenticated",
                            "message": "Authentication credentials were not provided.",
                            "fields": {},
                        }
                    }
                }
            },
        }
    },
}


def document_not_signed_in(result: dict, generator, request, public) -> dict:
    """A 401 on every operation that needs an account (its security has no anonymous `{}`)."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            security = operation.get("security")
            if security and {} not in security:
                operation["responses"].setdefault("401", NOT_SIGNED_IN)
    return result


UNAVAILABLE = {
    "description": (
        "The platform cannot reach its database right now: nothing was recorded. Retry after "
        "`Retry-After` seconds, with the same `Idempotency-Key` for a keyed write."
    ),
    "headers": {"Retry-After": {"schema": {"type": "integer", "example": 5}}},
    "content": {
        "application/json": {
            "schema": {"$ref": "#/components/schemas/Error"},
            "examples": {
                "unavailable": {
                    "value": {
                        "error": {
                            "code": "unavailable",
                            "message": "The platform cannot reach its database right now. Try again in a few seconds.",
                            "fields": {},
                        }
                    }
                }
            },
        }
    },
}


def document_unavailable(result: dict, generator, request, public) -> dict:
    """A 503 on every operation: any of them can meet a database outage (config/unavailable.py)."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            operation["responses"].setdefault("503", UNAVAILABLE)
    return result


class SchemaView(SpectacularAPIView):
    """The schema in English unless `?lang=kk|ru|en` asks otherwise.

    Left to the request's language it followed the site's default (Kazakh) for any client that
    sends no Accept-Language, so a code generator run on a server got Kazakh field descriptions;
    a schema is a contract and reads the same for every client.
    """

    def _get_schema_response(self, request):
        # drf-spectacular's get() has already applied `?lang=` when there is one.
        if request.GET.get("lang"):
            return super()._get_schema_response(request)
        with translation.override("en"):
            return super()._get_schema_response(request)
