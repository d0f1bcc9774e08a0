"""Reads of the ledger: the public fact feed and the state of the projections."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import orjson
from django.db import connection

from config.errors import DomainError
from ledger import facts as fact_types
from ledger import public, reading
from ledger.models import Fact, ProjectionCheckpoint
from ledger.projections import InlineProjection, all_projections
from ledger.stored import StoredFact

# What of a fact's meta the public may see: where it came from. Who did it (actor_id) is an
# account, and accounts stay out of public view; correlation and causation ids are left out too,
# because one request that touches several events (an erasure cancelling a person's places) would
# tie those events' facts together.
PUBLIC_META = ("source",)
FEED_MAX_LIMIT = 1000
# Rows read per page at most, public or withheld, so a long run of withheld facts cannot make one
# request read the whole ledger; the page then ends early and `next` points on.
FEED_MAX_SCAN = 10 * FEED_MAX_LIMIT


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
    data: dict  # the public form (ledger/public.py) of the data as stored, at its schema_version
    meta: dict
    occurred_at: dt.datetime
    recorded_at: dt.datetime
    leaf_index: int | None = None  # its place in the transparency log, once the log has taken it in


# How the feed finds the leaf index of its facts (positions → leaf indexes): the transparency log
# (transparency/, issue 16) sits above the ledger and registers it at start, so the feed shows each
# fact's leaf without the ledger importing the log. Nothing registered: no leaf indexes.
LeafIndexes = Callable[[list[int]], dict[int, int]]
_leaf_indexes: list[LeafIndexes] = []


def register_leaf_indexes(lookup: LeafIndexes) -> None:
    _leaf_indexes[:] = [lookup]


@dataclass(frozen=True)
class FeedPage:
    facts: list[FeedFact]
    next_after: int  # the last position read, public or withheld: where the next page starts
    more: bool  # the page ended before the end of what was asked for


def fact_feed(
    *,
    after: int = 0,
    until: int | None = None,
    limit: int = 100,
    stream: str | None = None,
    type_name: str | None = None,
) -> FeedPage:
    """The public forms of the facts in ledger order after the fact at position `after` (0: from
    the start), up to and including the one at `until`, of one stream or type if given.

    Ledger order is the order projections read, (tx, position) on PostgreSQL, and the feed shows
    only facts under the horizon (reading.py). Positions are unique but, across transactions that
    commit out of order, not always increasing: a mirror that asks for `after=<next_after>` gets
    every fact exactly once, where a reader asking for "positions above N" could miss a fact
    committed late with a lower position.

    Withheld facts (ledger/public.py) are skipped; whether a fact is withheld is settled when it is
    appended, so skipping never reorders what was served. `next_after` is the last position read,
    withheld or not, so the next page does not read the withheld ones again; but with a `stream` or
    `type` filter it is the last position *shown* (or `after`), because moving past a withheld fact
    there would tell that the stream (a proposed event) or that kind of fact exists at a position:
    a filtered read shows exactly what an unknown stream or type would, unless a whole scan
    (FEED_MAX_SCAN rows) held nothing to show, where moving on is the only way forward.
    """
    limit = min(limit, FEED_MAX_LIMIT)
    filtered = stream is not None or type_name is not None
    if type_name is not None and not getattr(public.form_of(type_name), "fields", ()):
        return FeedPage([], after, more=False)  # a type never shown: nothing to read
    facts: list[FeedFact] = []
    read, last_read, last_shown = 0, after, after
    while True:
        rows = _feed_rows(after=last_read, until=until, limit=limit, stream=stream, type_name=type_name)
        read += len(rows)
        for row, fact in zip(rows, _public_forms(rows), strict=True):
            last_read = row[0]
            if fact is not None:
                facts.append(fact)
                last_shown = last_read
                if len(facts) == limit:
                    return _page(facts, last_shown, more=True)
        if len(rows) < limit:
            return _page(facts, last_shown if filtered else last_read, more=False)
        if read >= FEED_MAX_SCAN:
            return _page(facts, last_read, more=True)


def _page(facts: list[FeedFact], next_after: int, *, more: bool) -> FeedPage:
    if facts and _leaf_indexes:
        leaves = _leaf_indexes[0]([fact.position for fact in facts])
        facts = [replace(fact, leaf_index=leaves.get(fact.position)) for fact in facts]
    return FeedPage(facts, next_after, more=more)


def public_forms_of(facts: Sequence[StoredFact]) -> list[FeedFact | None]:
    """The public form of each fact exactly as the feed serves it (None: withheld), for a reader
    that holds the facts already: the transparency log's projection hashes the batches the runner
    read for it, with their meta (`reads_meta`). A fact that was read upcast is formed from its
    data as stored, read again (forms see the stored data: ledger/public.py); one query a batch."""
    current = fact_types.current_versions()
    stale = [fact.position for fact in facts if fact.schema_version != current.get(fact.type)]
    stored: dict[int, dict] = {}
    if stale:
        with connection.cursor() as cursor:
            cursor.execute(
                # Only placeholders are interpolated; values are bound parameters.
                f"SELECT position, data FROM ledger_fact WHERE position IN ({', '.join(['%s'] * len(stale))})",  # nosec B608
                stale,
            )
            stored = {position: json.loads(data) for position, data in cursor.fetchall()}
    rows = [
        (
            fact.position,
            fact.fact_id,
            fact.stream,
            fact.version,
            fact.type,
            fact.schema_version,
            stored.get(fact.position, fact.data),
            _meta_of(fact) if public.form_of(fact.type) is not None else {},
            fact.occurred_at,
            fact.recorded_at,
        )
        for fact in facts
    ]
    return _public_forms(rows)


def _meta_of(fact: StoredFact) -> dict:
    # A gap-safe reader leaves meta as JSON text until it is read (stored.py); orjson decodes it in
    # a third of json's time, and the log reads the meta of every public fact.
    text = fact.__dict__.get("_meta_json")
    return orjson.loads(text) if isinstance(text, str) else fact.meta


def _feed_rows(*, after: int, until: int | None, limit: int, stream: str | None, type_name: str | None) -> list:
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
        # Only module constants are interpolated; values are bound parameters.
        f"FROM ledger_fact WHERE {' AND '.join(where) or 'true'} ORDER BY {order} LIMIT %s"  # nosec B608
    )
    params.append(limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _public_forms(rows: list) -> list[FeedFact | None]:
    """The public form of each row, or None for a withheld one (data and meta as JSON text, or
    decoded)."""
    declared = [public.form_of(row[4]) for row in rows]
    earlier = _earlier_facts(
        {(row[2], row[3]): form.reads for row, form in zip(rows, declared, strict=True) if form and form.reads}
    )
    facts = []
    for row, form in zip(rows, declared, strict=True):
        if form is None:
            facts.append(None)  # no declared form: withheld (a new type cannot leak by default)
            continue
        position, fid, stream_, version, type_, schema_version, data, meta, occurred, recorded = row
        view = _frozen(
            public.PublicView,
            stream=stream_,
            version=version,
            type=type_,
            schema_version=schema_version,
            data=data if isinstance(data, dict) else json.loads(data),
            earlier=tuple(e for e in earlier.get(stream_, ()) if e.version < version and e.type in form.reads)
            if form.reads
            else (),
        )
        shown = form.form(view)
        if shown is None:
            facts.append(None)
            continue
        # Exactly the declared fields, in their declared order: a form cannot publish a key its
        # declaration (and so the feed's description) does not name, and the order does not hang
        # on how the database returns JSON.
        shown = {name: shown[name] for name in form.fields}
        meta = meta if isinstance(meta, dict) else json.loads(meta)
        facts.append(
            _frozen(
                FeedFact,
                position=position,
                fact_id=fid if isinstance(fid, uuid.UUID) else uuid.UUID(fid),
                stream=stream_,
                version=version,
                type=type_,
                schema_version=schema_version,
                data=shown,
                meta={key: meta.get(key) for key in PUBLIC_META},
                occurred_at=_aware(occurred),
                recorded_at=_aware(recorded),
                leaf_index=None,
            )
        )
    return facts


def _frozen(cls: type, **fields: Any) -> Any:
    """An instance of a frozen dataclass made without its __init__, which sets each field through a
    slow path (as stored.stored_fact does): the transparency log forms every public fact."""
    instance = object.__new__(cls)
    instance.__dict__.update(fields)
    return instance


def _earlier_facts(wanted: dict[tuple[str, int], frozenset[str]]) -> dict[str, list[public.Earlier]]:
    """Per stream, the facts of the types some form of this page reads, below the page's versions
    of that stream, in version order (one query for the page)."""
    if not wanted:
        return {}
    below: dict[str, int] = {}
    types: set[str] = set()
    for (stream_, version), reads in wanted.items():
        below[stream_] = max(below.get(stream_, 0), version)
        types |= reads
    streams = sorted(below)
    sql = (
        "SELECT stream, version, type, data FROM ledger_fact "
        # Only module constants are interpolated; values are bound parameters.
        f"WHERE stream IN ({', '.join(['%s'] * len(streams))}) AND type IN ({', '.join(['%s'] * len(types))}) "  # nosec B608
        "AND version < %s ORDER BY stream, version"
    )
    out: dict[str, list[public.Earlier]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*streams, *sorted(types), max(below.values())])
        for stream_, version, type_, data in cursor.fetchall():
            if version < below[stream_]:
                out.setdefault(stream_, []).append(public.Earlier(version, type_, json.loads(data)))
    return out


@dataclass(frozen=True)
class PublishedType:
    type: str
    fields: tuple[str, ...]  # empty: never published
    when: str  # when it is published, or why never (in the active language)


def published_types() -> list[PublishedType]:
    """What the feed publishes of each fact type, from the declared public forms: the feed's
    description and the open-data page both say this, so neither can drift from the data."""
    return [
        PublishedType(name, declared.fields, str(declared.when))
        for name, declared in sorted(public.declared_forms().items())
    ]


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
    checkpoint: reading.Position | None  # (tx, position) folded so far; None for inline ones
    behind: int | None  # facts visible after the checkpoint (of any type); None for inline ones
    updated_at: dt.datetime | None


@dataclass(frozen=True)
class LedgerHead:
    facts: int
    last: reading.Position  # the last visible fact in ledger order
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
    checkpoints = {c.name: c for c in ProjectionCheckpoint.objects.all()}
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
