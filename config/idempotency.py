"""Idempotency-Key on writes: a retried request returns the original outcome and appends nothing.

The client picks a key per intended write and sends it again on every retry. The service derives
its fact ids (and the id of anything it creates) from the actor and the key with uuid5, so a retry
produces the same ids, which the ledger already holds. How a write uses it:

    # view: read and check the header (perform() does it, with the actor and the validated body)
    key = idempotency_key(request)

    # service, in its transaction
    ids = fact_ids(actor_id=actor.volunteer_id, key=key, count=len(facts))
    event_id = derived_id(actor_id=actor.volunteer_id, key=key, purpose="event_id") or uuid7()
    if replayed(stream, facts, ids) is not None:
        return <the thing as it is now>            # nothing appended
    <check the current state, then ledger.store.append(stream, facts, fact_ids=ids, …)>

`replayed` is asked before the checks of current state on purpose: a retry of "close the campaign"
must answer like the first request, not "the campaign is closed". The ledger's own fact id check in
`append` still covers two copies of a request that race each other.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request
from rest_framework.serializers import Serializer

from config.errors import DomainError

if TYPE_CHECKING:
    from ledger.store import StoredFact

T = TypeVar("T")
HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
# Fixed for ever: changing it would make every retry after a deploy look like a new request.
NAMESPACE = uuid.UUID("5f0c1c2e-6a8b-4f57-9f43-7a1d2c6b9e10")

OPENAPI_PARAMETER = OpenApiParameter(
    name=HEADER,
    type=OpenApiTypes.STR,
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


def derived_id(*, actor_id: uuid.UUID | str, key: str | None, purpose: str) -> uuid.UUID | None:
    """A stable id for something a keyed write creates (`purpose` names it: "campaign_id")."""
    if key is None:
        return None
    return uuid.uuid5(NAMESPACE, f"{actor_id}:{key}:{purpose}")


def fact_ids(*, actor_id: uuid.UUID | str, key: str | None, count: int) -> list[uuid.UUID] | None:
    """The fact ids of a keyed write of `count` facts, or None (the ledger then picks random ones).

    Keys are per actor: two volunteers who happen to choose the same key do not collide.
    """
    if key is None:
        return None
    first = uuid.uuid5(NAMESPACE, f"{actor_id}:{key}")
    return [first, *(uuid.uuid5(NAMESPACE, f"{actor_id}:{key}:{i}") for i in range(1, count))]


def replayed(stream: str, facts: Sequence[Any], ids: Sequence[uuid.UUID] | None) -> list[StoredFact] | None:
    """If the facts with these ids are stored already, they (as `StoredFact`s); else None.

    Raises `IdempotencyConflict` when the key was used for a different request: other facts,
    another stream, or another number of facts.
    """
    if not ids:
        return None
    # Imported here: the ledger imports config.errors, and config must not need the ledger to load.
    from ledger.facts import to_data, upcast
    from ledger.models import Fact
    from ledger.store import IdempotencyConflict, StoredFact

    rows = {row.fact_id: row for row in Fact.objects.filter(fact_id__in=list(ids))}
    if not rows:
        return None
    reused = IdempotencyConflict(_("This Idempotency-Key was used for a different request."))
    if len(rows) != len(ids) or len(facts) != len(ids):
        raise reused
    for fact_id, fact in zip(ids, facts, strict=True):
        row = rows[fact_id]
        if (
            row.stream != stream
            or row.type != type(fact).fact_type
            or upcast(row.type, row.schema_version, row.data) != to_data(fact)
        ):
            raise reused
    return [StoredFact.from_row(rows[fact_id]) for fact_id in ids]


def perform(request: Request, service: Callable[..., T], body: type[Serializer] | None = None, **arguments: Any) -> T:
    """Call a write service the way every API view does: the signed-in user as the actor, the
    request body validated by the serializer `body` (a 400 with field messages when it is not),
    the request's Idempotency-Key, source "api", plus `arguments` (ids from the URL)."""
    if body is not None:
        data = body(data=request.data)
        data.is_valid(raise_exception=True)
        arguments.update(data.validated_data)
    return service(actor=request.user, **arguments, idempotency_key=idempotency_key(request), source="api")
