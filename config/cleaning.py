"""Cleaning what a request gives before a service builds a fact of it: texts, decimal figures, the
plain decimal text facts store, and ids from URLs and clients.

A service cleans every field before it refuses, putting each problem into one `Errors` mapping
(field -> messages), so one answer names all of them. Messages are translated when the problem is
found, in the request's language. Domain-free, so every app can use it (config imports no app).
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from config.errors import DomainError

Errors = dict[str, list[str]]

MAX_TEXT = 5000  # the longest free text (a description, a reason) a fact keeps


def text(
    errors: Errors,
    name: str,
    value: Any,
    *,
    required: bool = False,
    missing: str | None = None,
    max_length: int = MAX_TEXT,
) -> str:
    """`value` stripped ("" for None); a problem goes into `errors[name]`.

    Not a text: "Give a text."; empty when `required`: `missing` (by default "This field is
    required."); longer than `max_length` once stripped: "At most N characters."
    """
    cleaned = value.strip() if isinstance(value, str) else ""
    if value is not None and not isinstance(value, str):
        errors[name] = [_("Give a text.")]
    elif required and not cleaned:
        errors[name] = [missing or _("This field is required.")]
    elif len(cleaned) > max_length:
        errors[name] = [_("At most %(n)d characters.") % {"n": max_length}]
    return cleaned


def number(value: Any) -> Decimal | None:
    """`value` (a number or its text) as a finite Decimal, or None when it is none: True, None,
    "abc", "NaN" and "Infinity" are not numbers. The caller says "Give a number." and checks bounds."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        parsed = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return parsed if parsed.is_finite() else None


def plain(value: Decimal) -> str:
    """The decimal as facts store it: no exponent, no trailing zeros ("1200", "0.5", "2.25")."""
    # normalize() alone would write 1200 as 1.2E+3; the "f" format keeps it plain.
    return format(value.normalize(), "f")


def as_uuid(value: uuid.UUID | str, not_found: type[DomainError]) -> uuid.UUID:
    """An id from a URL or a client; a malformed one names nothing, so it is simply not found."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise not_found() from None
