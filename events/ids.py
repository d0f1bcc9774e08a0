"""Ids that come from URLs and clients."""

import uuid

from config.errors import DomainError


def as_uuid(value: uuid.UUID | str, not_found: type[DomainError]) -> uuid.UUID:
    """An id from a URL or a client; a malformed one names nothing, so it is simply not found."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise not_found() from None
