"""One JSON error format for the whole API: a stable `code`, a human `message`, per-field `fields`.

    {"error": {"code": "validation_error", "message": "…", "fields": {"capacity": ["…"]}}}

Domain errors raised by services subclass `DomainError`; they carry their own stable code and
HTTP status, so a service never needs to know about HTTP and a view never needs to translate.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class DomainError(Exception):
    """A rule of the domain said no. Subclasses set `code` and `status_code`."""

    code = "domain_error"
    status_code = status.HTTP_400_BAD_REQUEST
    default_message = _("The request breaks a rule of the platform.")

    def __init__(self, message: str | None = None, *, fields: dict[str, list[str]] | None = None):
        self.message = str(message or self.default_message)
        self.fields = fields or {}
        # HTTP headers the answer carries (Retry-After of a 429).
        self.headers: dict[str, str] = {}
        super().__init__(self.message)


class NotFound(DomainError):
    code = "not_found"
    status_code = status.HTTP_404_NOT_FOUND
    default_message = _("Not found.")


class Forbidden(DomainError):
    code = "permission_denied"
    status_code = status.HTTP_403_FORBIDDEN
    default_message = _("You may not do this.")


class Conflict(DomainError):
    code = "conflict"
    status_code = status.HTTP_409_CONFLICT
    default_message = _("The request conflicts with the current state.")


def _field_messages(detail: Any) -> dict[str, list[str]]:
    """Flatten DRF's nested error detail into {"field": [messages]}, dotted for nesting."""
    out: dict[str, list[str]] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, sub in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), sub)
        elif isinstance(value, list):
            if all(not isinstance(v, (dict, list)) for v in value):
                out.setdefault(prefix or "non_field_errors", []).extend(str(v) for v in value)
            else:
                for index, sub in enumerate(value):
                    walk(f"{prefix}.{index}" if prefix else str(index), sub)
        else:
            out.setdefault(prefix or "non_field_errors", []).append(str(value))

    walk("", detail)
    return out


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


class RequestTooLarge(DomainError):
    code = "request_too_large"
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_message = _("The request body is larger than the API accepts.")


class BadRequest(DomainError):
    code = "bad_request"
    default_message = _("The request could not be read.")


def _from_suspicious(exc: SuspiciousOperation) -> DomainError:
    """Django refuses oversized or malformed bodies with a SuspiciousOperation, which outside DRF
    becomes a bare HTML 400; an API client gets the JSON shape, and 413 where the size is why."""
    if isinstance(exc, (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)):
        return RequestTooLarge()
    return BadRequest()


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, SuspiciousOperation):
        exc = _from_suspicious(exc)
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.message, exc.fields), status=exc.status_code, headers=exc.headers)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(fields)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = error_body("validation_error", str(_("Some fields are not valid.")), _field_messages(exc.detail))
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        if isinstance(code, (list, dict)):
            code = getattr(exc, "default_code", "error")
        body = error_body(str(code), str(detail))
    response.data = body
    return response


# --- the error format in the OpenAPI schema ---------------------------------------------------------


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, for programs: `campaign_invalid`, `admin_required`, …")
    message = serializers.CharField(help_text="For people, in the language of the request.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text='Messages per field, dotted for nested input: `{"targets.0.value": ["…"]}`.',
    )


class ErrorSerializer(serializers.Serializer):
    """The project's one error format (`error_body`), for the OpenAPI schema."""

    error = ErrorDetailSerializer()


def page_not_found(request, exception=None):
    """handler404: under /api/ a JSON 404 in the error format (an id a path converter refused, a
    path that is no operation), elsewhere the site's page."""
    from django.http import JsonResponse
    from django.views import defaults

    if request.path.startswith("/api/"):
        body = error_body("not_found", str(_("There is no such resource.")))
        return JsonResponse(body, status=404)
    return defaults.page_not_found(request, exception)
