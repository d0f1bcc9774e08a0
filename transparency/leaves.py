"""A fact's leaf: its public form as the feed serves it, as canonical JSON, then hashed.

The leaf data of a fact is `canonical_json(item)`, where `item` is the fact exactly as
`GET /api/v1/facts/` serves it (position, fact_id, stream, version, type, schema_version, data,
meta, occurred_at, recorded_at) without `leaf_index`, which points at the leaf and so cannot be in
it. `feed_item` builds that object straight from the feed's `FeedFact`, as the feed's serializer
renders it (tests/transparency checks the two are equal fact for fact): the DRF serializer is
ten times slower, and the log is built at catch-up speed. An auditor computes the same bytes from
the JSON it downloaded: parse each item, drop `leaf_index`, `canonical_json`, `leaf_hash`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
from django.utils import timezone

from ledger.selectors import FeedFact
from transparency.canonical import canonical_json, plain
from transparency.merkle import leaf_hash

NOT_IN_THE_LEAF = "leaf_index"


def _datetime(value: dt.datetime, zone: dt.tzinfo) -> str:
    # As DRF's DateTimeField renders it: in the current time zone, ISO 8601, UTC as "Z".
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def feed_item(fact: FeedFact, zone: dt.tzinfo | None = None) -> dict[str, Any]:
    zone = zone or timezone.get_current_timezone()
    return {
        "position": fact.position,
        "fact_id": str(fact.fact_id),
        "stream": fact.stream,
        "version": fact.version,
        "type": fact.type,
        "schema_version": fact.schema_version,
        "data": fact.data,
        "meta": fact.meta,
        "occurred_at": _datetime(fact.occurred_at, zone),
        "recorded_at": _datetime(fact.recorded_at, zone),
    }


def leaf_data(item: dict[str, Any]) -> bytes:
    """The bytes hashed into the log for a feed item (as served, or as `feed_item` builds it)."""
    return canonical_json({key: value for key, value in item.items() if key != NOT_IN_THE_LEAF})


def leaf_hashes(facts: list[FeedFact]) -> list[bytes]:
    """The leaf hash of each fact: `leaf_hash(leaf_data(feed_item(fact)))`, without the objects.

    The envelope is plain JSON by construction (integers, text, ASCII keys), so only `data` and
    `meta` are checked for what orjson would not write as JCS (canonical.py); a fact that has it
    goes the whole way through `canonical_json`. For the others orjson writes the item at once,
    key-sorted: the fact id as its text, each time in the feed's zone exactly as `_datetime` writes
    it (isoformat, a zero offset as "Z"; tests/transparency/test_log.py holds the two paths to the
    same bytes), which is a third of the time of building the item and checking it."""
    zone = timezone.get_current_timezone()
    dumps, option = orjson.dumps, orjson.OPT_SORT_KEYS | orjson.OPT_UTC_Z
    out = []
    append = out.append
    for fact in facts:
        data, meta = fact.data, fact.meta
        if plain(data) and plain(meta):
            body = dumps(
                {
                    "position": fact.position,
                    "fact_id": fact.fact_id,
                    "stream": fact.stream,
                    "version": fact.version,
                    "type": fact.type,
                    "schema_version": fact.schema_version,
                    "data": data,
                    "meta": meta,
                    "occurred_at": fact.occurred_at.astimezone(zone),
                    "recorded_at": fact.recorded_at.astimezone(zone),
                },
                option=option,
            )
        else:
            body = canonical_json(feed_item(fact, zone))
        append(leaf_hash(body))
    return out
