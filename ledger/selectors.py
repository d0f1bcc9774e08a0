"""Reads of the ledger: the public fact feed and the state of the projections."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import connection

from config.errors import DomainError
from ledger import reading
from ledger.models import Checkpoint, Fact
from ledger.projections import InlineProjection, all_projections

# What of a fact's meta the public may see: where it came from and how facts relate. Who did it
# (actor_id) is an account, and accounts stay out of public view.
PUBLIC_META = ("source", "correlation_id", "causation_id")
FEED_MAX_LIMIT = 1000


class UnknownPosition(DomainError):
    code = "unknown_position"
    default_message = "No fact has this position."


@dataclass(frozen=True)
class FeedFact:
    position: int
    fact_id: uuid.UUID
    stream: str
    version: int
    type: str
    schema_version: int
    data: dict  # as stored, at its schema_version: the feed mirrors the ledger, it does not upcast
    meta: dict
    occurred_at: dt.datetime
    recorded_at: dt.datetime


def fact_feed(
    *,
    after: int = 0,
    until: int | None = None,
    limit: int = 100,
    stream: str | None = None,
    type_name: str | None = None,
) -> list[FeedFact]:
    """Facts in ledger order after the fact at position `after` (0: from the start), up to and
    including the one at `until`, of one stream or type if given.

    Ledger order is the order projections read, (tx, position) on PostgreSQL, and the feed shows
    only facts under the horizon (reading.py). Positions are unique but, across transactions that
    commit out of order, not always increasing: a mirror that asks for `after=<position of the
    last fact it has>` gets every fact exactly once, where a reader asking for "positions above
    N" could miss a fact committed late with a lower position.
    """
    where: list[str] = []
    params: list[Any] = []
    postgres = reading.is_postgres()
    for value, op, name in ((after, ">", "after"), (until, "<=", "until")):
        if not value:
            continue
        anchor = _anchor(value, name)
        if postgres:
            where.append(f"(tx, position) {op} (%s::xid8, %s)")
            params += [anchor, value]
        else:
            where.append(f"position {op} %s")
            params.append(value)
    if postgres:
        where.append("tx < %s::text::xid8")
        params.append(reading.horizon())
    if stream is not None:
        where.append("stream = %s")
        params.append(stream)
    if type_name is not None:
        where.append("type = %s")
        params.append(type_name)
    order = "tx, position" if postgres else "position"
    sql = (
        "SELECT position, fact_id, stream, version, type, schema_version, data, meta, occurred_at, recorded_at "
        f"FROM ledger_fact WHERE {' AND '.join(where) or 'true'} ORDER BY {order} LIMIT %s"
    )
    params.append(min(limit, FEED_MAX_LIMIT))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    facts = []
    for position, fid, stream_, version, type_, schema_version, data, meta, occurred, recorded in rows:
        meta = json.loads(meta)
        facts.append(
            FeedFact(
                position=position,
                fact_id=fid if isinstance(fid, uuid.UUID) else uuid.UUID(fid),
                stream=stream_,
                version=version,
                type=type_,
                schema_version=schema_version,
                data=json.loads(data),
                meta={key: meta.get(key) for key in PUBLIC_META},
                occurred_at=_aware(occurred),
                recorded_at=_aware(recorded),
            )
        )
    return facts


def _anchor(position: int, name: str) -> str | None:
    """The tx of the fact at `position` (as text, PostgreSQL), or refuse an unknown position."""
    if reading.is_postgres():
        with connection.cursor() as cursor:
            cursor.execute("SELECT tx::text FROM ledger_fact WHERE position = %s", [position])
            row = cursor.fetchone()
        if row is None:
            raise UnknownPosition(fields={name: [f"No fact has position {position}."]})
        return row[0]
    if not Fact.objects.filter(position=position).exists():
        raise UnknownPosition(fields={name: [f"No fact has position {position}."]})
    return None


def _aware(value: dt.datetime | str) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


# --- projections ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectionStatus:
    name: str
    kind: str  # "inline" (always current, in the append's transaction) or "async"
    checkpoint: reading.Checkpoint | None  # (tx, position) folded so far; None for inline ones
    behind: int | None  # facts visible after the checkpoint (of any type); None for inline ones
    updated_at: dt.datetime | None


@dataclass(frozen=True)
class LedgerHead:
    facts: int
    last: reading.Checkpoint  # the last visible fact in ledger order
    horizon: int | None  # PostgreSQL: facts of transactions from this id on are not read yet
    held_back: bool  # committed facts wait above the horizon
    holders: list[reading.Holder]  # the transactions that hold it, oldest first, when held back


def ledger_head() -> LedgerHead:
    horizon = reading.horizon()
    held_back = reading.held_back(horizon)
    return LedgerHead(
        facts=Fact.objects.count(),
        last=reading.head(),
        horizon=horizon,
        held_back=held_back,
        holders=reading.holders() if held_back else [],
    )


def projection_statuses() -> list[ProjectionStatus]:
    checkpoints = {c.name: c for c in Checkpoint.objects.all()}
    statuses = []
    for name, projection in sorted(all_projections().items()):
        if isinstance(projection, InlineProjection):
            statuses.append(ProjectionStatus(name, "inline", None, None, None))
            continue
        row = checkpoints.get(name)
        checkpoint = (row.tx, row.position) if row else reading.START
        statuses.append(
            ProjectionStatus(
                name, "async", checkpoint, reading.count_after(checkpoint), row.updated_at if row else None
            )
        )
    return statuses
