"""The Idempotency-Key header of API writes: read and checked here, and handed by each view to its
service (`idempotency_key=idempotency_key(request)`), which turns the actor and the key into fact
ids through the ledger's keyed writes (ledger/keyed.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request

from config.errors import DomainError

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255

OPENAPI_PARAMETER = OpenApiParameter(
    name=HEADER,
    # The rule idempotency_key() applies, as a pattern a client can check before it sends.
    type={"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": "^[!-~]+$"},
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Any string of up to 255 visible ASCII characters, chosen by the client for this write "
        "(a UUID is a good choice). Sending the same key again returns the original outcome and "
        "records nothing new; the same key with a different request is refused with "
        "`idempotency_conflict`."
    ),
)


class InvalidIdempotencyKey(DomainError):
    code = "invalid_idempotency_key"
    default_message = _("The Idempotency-Key header is not valid.")


def idempotency_key(request: Request) -> str | None:
    """The request's Idempotency-Key, or None when it sends none."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 0 < len(key) <= MAX_KEY_LENGTH or not all(" " < ch <= "~" for ch in key):
        raise InvalidIdempotencyKey(fields={HEADER: [str(_("Use 1 to 255 visible ASCII characters, without spaces."))]})
    return key
