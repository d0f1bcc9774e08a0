"""A fact as read from the ledger: the type every reader, projection and service receives.

A module of its own so that readers (reading.py), projections and the store all import it, and none
of them each other.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ledger import facts as fact_types
from ledger.models import Fact


@dataclass(frozen=True)
class StoredFact:
    """A fact as read from the ledger. `data` is the stored JSON brought up to the current schema
    (cheap: what async projections fold); `fact` builds the typed dataclass on first use.
    `tx` is the PostgreSQL ordering key (None on SQLite, where position order is commit order)."""

    position: int
    fact_id: uuid.UUID
    stream: str
    version: int
    type: str
    schema_version: int
    data: dict
    meta: dict
    occurred_at: dt.datetime
    recorded_at: dt.datetime
    tx: int | None = None

    @cached_property
    def fact(self) -> Any:
        return fact_types.from_data(self.type, self.data)

    def __getattr__(self, name: str) -> Any:
        # Gap-safe readers leave `meta` as JSON text until it is first read: a catch-up builds a
        # million of these and folds seldom look at meta.
        if name == "meta" and "_meta_json" in self.__dict__:
            if self.__dict__["_meta_json"] is None:
                raise AttributeError("meta was not read with this fact: give the projection reads_meta = True")
            meta = self.__dict__["meta"] = json.loads(self.__dict__.pop("_meta_json"))
            return meta
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @classmethod
    def from_row(cls, row: Fact, tx: int | None = None) -> StoredFact:
        return cls(
            position=row.position,
            fact_id=row.fact_id if isinstance(row.fact_id, uuid.UUID) else uuid.UUID(str(row.fact_id)),
            stream=row.stream,
            version=row.version,
            type=row.type,
            schema_version=row.schema_version,
            data=fact_types.upcast(row.type, row.schema_version, row.data),
            meta=row.meta,
            occurred_at=row.occurred_at,
            recorded_at=row.recorded_at,
            tx=tx,
        )


_FIELDS = tuple(f for f in StoredFact.__dataclass_fields__)
_new_stored = object.__new__


def stored_fact(values: tuple) -> StoredFact:
    """Build a StoredFact from values in field order without the dataclass __init__: readers build
    a million of these per catch-up, and a frozen dataclass sets each field through a slow path."""
    obj = _new_stored(StoredFact)
    obj.__dict__.update(zip(_FIELDS, values, strict=True))
    return obj
