"""Keyed writes: a retried request returns the original outcome and appends nothing.

The client picks a key per intended write (the API's Idempotency-Key, config/idempotency.py) and
sends it again on every retry. A service derives its fact ids, and the id of anything it creates,
from the actor's id and the key with uuid5, so a retry produces the same ids, which the ledger
already holds. Domain-free: the actor is an id, whoever it names.

Two formulas, fixed for ever (changing either would make every retry after a deploy look new):

- from the actor and the key (`fact_ids`, `first_fact_id`, `derived_id`), in NAMESPACE:
  `uuid5(NAMESPACE, f"{actor_id}:{key}")` for the first fact, `…:{key}:{i}` for the i-th,
  `…:{key}:{purpose}` for a created thing ("campaign_id");
- from the first fact's id (`following_ids`), when what a write appends depends on the state it
  meets (a place or the waitlist, who is promoted): `uuid5(first_id, str(i))` for the i-th.

How a write uses them, in its transaction:

    ids = fact_ids(actor_id=actor_id, key=key, count=len(facts))
    if replayed(stream, facts, ids) is not None:
        return <the thing as it is now>            # nothing appended
    <check the current state, then append(stream, facts, fact_ids=ids, …)>

`replayed` is asked before the checks of current state on purpose: a retry of "close the campaign"
must answer like the first request, not "the campaign is closed". The ledger's own fact id check in
`append` still covers two copies of a request that race each other.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from ledger.facts import to_data, upcast
from ledger.models import Fact
from ledger.store import IdempotencyConflict
from ledger.stored import StoredFact

NAMESPACE = uuid.UUID("5f0c1c2e-6a8b-4f57-9f43-7a1d2c6b9e10")


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


def first_fact_id(*, actor_id: uuid.UUID | str | None, key: str | None) -> uuid.UUID | None:
    """The id of the first fact a keyed write appends; `following_ids` gives the rest."""
    if actor_id is None or key is None:
        return None
    return fact_ids(actor_id=actor_id, key=key, count=1)[0]


def following_ids(first_id: uuid.UUID | None, count: int) -> list[uuid.UUID] | None:
    """The ids of a write of `count` facts whose first id is `first_id` (stable, so a racing copy
    of the request collides in the ledger)."""
    if first_id is None:
        return None
    return [first_id, *(uuid.uuid5(first_id, str(i)) for i in range(1, count))]


def reused_key() -> IdempotencyConflict:
    """The refusal of a key sent again with a different request: never the first answer, which
    would tell the client that what it sent now was recorded."""
    return IdempotencyConflict(_("This Idempotency-Key was used for a different request."))


def replayed(stream: str, facts: Sequence[Any], ids: Sequence[uuid.UUID] | None) -> list[StoredFact] | None:
    """If the facts with these ids are stored already, they (as `StoredFact`s); else None.

    Raises `IdempotencyConflict` when the key was used for a different request: other facts,
    another stream, or another number of facts.
    """
    if not ids:
        return None
    rows = {row.fact_id: row for row in Fact.objects.filter(fact_id__in=list(ids))}
    if not rows:
        return None
    if len(rows) != len(ids) or len(facts) != len(ids):
        raise reused_key()
    for fact_id, fact in zip(ids, facts, strict=True):
        row = rows[fact_id]
        if (
            row.stream != stream
            or row.type != type(fact).fact_type
            or upcast(row.type, row.schema_version, row.data) != to_data(fact)
        ):
            raise reused_key()
    return [StoredFact.from_row(rows[fact_id]) for fact_id in ids]


def earlier_facts(
    stream: str | Callable[[str, dict], bool], first_id: uuid.UUID | None, types: frozenset[str]
) -> list[StoredFact] | None:
    """The facts a keyed request stored before, or None: its retry answers with what they made.

    Unlike `replayed`, this does not rebuild the facts to compare them: what such a write appends
    depends on the state it meets, so the first id, its stream and its type identify the request.
    `stream` is the request's stream, or, for a write whose stream depends on the state it met
    (whose attendance), a test of the stored fact's stream and data.
    """
    if first_id is None:
        return None
    row = Fact.objects.filter(fact_id=first_id).first()
    if row is None:
        return None
    same_stream = stream(row.stream, row.data) if callable(stream) else row.stream == stream
    if not same_stream or row.type not in types:
        raise reused_key()
    return [StoredFact.from_row(row)]


def request_facts(first: StoredFact) -> list[StoredFact]:
    """Every fact of the keyed request whose first fact is `first`, in order.

    One request is one append: its facts hold consecutive versions of the stream and the ids
    `following_ids` derived from the first, so the run of those ids from `first` on is the request.
    """
    facts = [first]
    rows = Fact.objects.filter(stream=first.stream, version__gt=first.version).order_by("version")
    for index, row in enumerate(rows.iterator(chunk_size=100), start=1):
        if row.version != first.version + index or row.fact_id != uuid.uuid5(first.fact_id, str(index)):
            break
        facts.append(StoredFact.from_row(row))
    return facts
