"""OpenAPI schema hooks: what every endpoint shares, said once instead of at every view."""

from __future__ import annotations

import copy

from django.utils import translation
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from drf_spectacular.views import SpectacularAPIView

from config.errors import ErrorSerializer  # the one error component of the schema
from config.strict import SAYS_SOMETHING


def error(code: str, message: str, fields: dict | None = None) -> OpenApiExample:
    """An example of the error shape, named by its code, for a view's `responses`."""
    return OpenApiExample(code, value={"error": {"code": code, "message": message, "fields": fields or {}}})


def errors(description: str, *examples: OpenApiExample) -> OpenApiResponse:
    """A documented error response: when it happens, and an example of each code it may carry."""
    return OpenApiResponse(ErrorSerializer, description=description, examples=list(examples))


def _error_example(code: str, message: str) -> dict:
    return {"value": {"error": {"code": code, "message": message, "fields": {}}}}


def _error_response(description: str, *examples: tuple[str, str], headers: dict | None = None) -> dict:
    response = {
        "description": description,
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/Error"},
                "examples": {code: _error_example(code, message) for code, message in examples},
            }
        },
    }
    if headers:
        response["headers"] = headers
    return response


def _add(operation: dict, status: str, answer: dict) -> None:
    """Document `answer` under `status`, merging its examples into an error answer documented there."""
    responses = operation["responses"]
    documented = responses.get(status)
    if documented is None:
        responses[status] = copy.deepcopy(answer)
        return
    media = documented.setdefault("content", {}).setdefault("application/json", {})
    if media.setdefault("schema", answer["content"]["application/json"]["schema"]) != {
        "$ref": "#/components/schemas/Error"
    }:
        return  # not an error answer: nothing to merge into
    examples = media.setdefault("examples", {})
    for code, example in answer["content"]["application/json"]["examples"].items():
        examples.setdefault(code, copy.deepcopy(example))
    for name, header in answer.get("headers", {}).items():
        documented.setdefault("headers", {}).setdefault(name, header)


NOT_SIGNED_IN = _error_response(
    "Not signed in: send `Authorization: Token <key>` (or a session cookie). Nothing was recorded.",
    ("not_authenticated", "Authentication credentials were not provided."),
    headers={"WWW-Authenticate": {"schema": {"type": "string", "example": "Token"}}},
)
BAD_TOKEN = _error_response(
    "The `Authorization` header names no valid token (sending none is fine where no account is needed).",
    ("authentication_failed", "Invalid token."),
    headers={"WWW-Authenticate": {"schema": {"type": "string", "example": "Token"}}},
)
UNREADABLE = _error_response(
    "The body is not valid JSON (or nests deeper than the API reads). Nothing was recorded.",
    ("parse_error", "JSON parse error - Expecting value: line 1 column 1 (char 0)"),
)
TOO_LARGE = _error_response(
    "The body is larger than the API accepts (`DATA_UPLOAD_MAX_MEMORY_SIZE`). Nothing was recorded.",
    ("request_too_large", "The request body is larger than the API accepts."),
)
WRONG_MEDIA = _error_response(
    "The body is not JSON (or a form): send `Content-Type: application/json`. Nothing was recorded.",
    ("unsupported_media_type", 'Unsupported media type "text/plain" in request.'),
)
BAD_QUERY = _error_response(
    "A query parameter is not valid (`limit` from 1 to 500, `offset` from 0, the filters as documented).",
    ("validation_error", "Some fields are not valid."),
)
BAD_KEY = _error_response(
    "The Idempotency-Key header is not 1 to 255 visible ASCII characters. Nothing was recorded.",
    ("invalid_idempotency_key", "The Idempotency-Key header is not valid."),
)
KEY_REUSED = _error_response(
    "The Idempotency-Key was used before for a different request. Nothing was recorded.",
    ("idempotency_conflict", "This Idempotency-Key was used for a different request."),
)
UNAVAILABLE = _error_response(
    "The platform cannot reach its database right now: nothing was recorded. Retry after "
    "`Retry-After` seconds, with the same `Idempotency-Key` for a keyed write.",
    ("unavailable", "The platform cannot reach its database right now. Try again in a few seconds."),
    headers={"Retry-After": {"schema": {"type": "integer", "example": 5}}},
)


def document_shared_answers(result: dict, generator, request, public) -> dict:
    """What every operation of a kind can answer, said once instead of at every view.

    - every operation: 401 `authentication_failed` for a bad token (DRF checks a token that is sent,
      even where none is needed), 503 `unavailable` (a database outage: config/unavailable.py);
    - needing an account (no anonymous `{}` in its security): 401 `not_authenticated`;
    - with a body: 400 `parse_error`, 413 `request_too_large`, 415 `unsupported_media_type`;
    - a paged list (`limit`, `offset`): 400 `validation_error` for a bad page or filter;
    - taking an Idempotency-Key: 400 `invalid_idempotency_key`, 409 `idempotency_conflict`.
    """
    # The `.csv`/`.json` suffix twins of the stats answers are a convenience for browsers and
    # spreadsheets; the contract is `?format=csv`, said once (a path `format` beside a query one
    # documented two ways to say the same and confused client generators).
    result["paths"] = {path: item for path, item in result.get("paths", {}).items() if "{format}" not in path}
    _no_nul_in_input_text(result.get("components", {}).get("schemas", {}))
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            security = operation.get("security")
            if security and {} not in security:
                _add(operation, "401", NOT_SIGNED_IN)
            _add(operation, "401", BAD_TOKEN)
            if "requestBody" in operation:
                _add(operation, "400", UNREADABLE)
                _add(operation, "413", TOO_LARGE)
                _add(operation, "415", WRONG_MEDIA)
            parameters = {(p.get("in"), p.get("name")) for p in operation.get("parameters", [])}
            if ("query", "limit") in parameters:
                _add(operation, "400", BAD_QUERY)
            if ("header", "Idempotency-Key") in parameters:
                _add(operation, "400", BAD_KEY)
                _add(operation, "409", KEY_REUSED)
            _add(operation, "503", UNAVAILABLE)
    return result


def _no_nul_in_input_text(schemas: dict) -> None:
    """Text a client sends may not hold a NUL character (DRF refuses it: PostgreSQL cannot store
    it); say so on every plain string of the request bodies."""

    def walk(node) -> None:
        if isinstance(node, dict):
            if node.get("type") == "string" and not {"format", "pattern", "enum"} & node.keys():
                # A required text (minLength 1) is trimmed and must then say something.
                node["pattern"] = SAYS_SOMETHING if node.get("minLength", 0) >= 1 else "^[^\\u0000]*$"
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for name, schema in schemas.items():
        if name.endswith("Request"):
            walk(schema)


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
