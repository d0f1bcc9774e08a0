"""OpenAPI schema hooks: what every endpoint shares, said once instead of at every view."""

from __future__ import annotations

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
