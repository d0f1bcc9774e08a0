"""Fact types of illegal dumps. Stream: `dump-<dump_id>`, everything about one dump site.

A dump enters the ledger one of two ways: a signed-in person reports it (`DumpReported`), or a
file of the state's space monitoring is imported (`DumpImported`, keyed by the source and the
source's own id: the dump's id is derived from them, so every row of one source names one stream,
and a changed row is one more `DumpImported` on it). Then the region's coordinator confirms or
dismisses it, or merges a report into a dump already known; an organiser links a clean-up event;
the coordinator records it liquidated with the event's verified result; it may be reopened when it
comes back, and hidden by moderation.

Facts name people only by their opaque volunteer ids (`reporter_id`, `coordinator_id`,
`organiser_id`); the public forms (public.py) carry none of them.
"""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from events.facts import WASTE_KINDS
from ledger.facts import fact_type

# The rough size is an area band, not a volume: a person standing beside a dump can pace out
# its extent but cannot guess its depth, space monitoring measures area (its files carry m²),
# and three bands are what a coordinator needs to plan one event or several.
SIZES = ("under_10_m2", "10_100_m2", "over_100_m2")
ORIGINS = ("report", "monitoring")
DUMP_WASTE_KINDS = WASTE_KINDS


def dump_stream(dump_id: uuid.UUID | str) -> str:
    return f"dump-{dump_id}"


def size_of_area(area_m2: float | None) -> str:
    """The size band of an area measured in m² (monitoring's rows); no area reads as the smallest."""
    if area_m2 is None or area_m2 < 10:
        return "under_10_m2"
    if area_m2 <= 100:
        return "10_100_m2"
    return "over_100_m2"


@fact_type("DumpReported")
@dataclass(frozen=True)
class DumpReported:
    dump_id: uuid.UUID
    reporter_id: uuid.UUID  # the reporter's volunteer_id: never public
    region: str  # ISO 3166-2 code
    latitude: float
    longitude: float
    size: str  # SIZES
    waste_kinds: list[str]  # events.facts.WASTE_KINDS, at least one
    note: str = ""
    # The photos of the report, once photos exist (issue 17, "Photos as evidence"): ids only.
    photo_ids: list[str] = field(default_factory=list)


@fact_type("DumpImported")
@dataclass(frozen=True)
class DumpImported:
    """One row of a monitoring source, as it read when imported; a later, changed row is another."""

    dump_id: uuid.UUID  # uuid5 of (source, source_id): services.imported_dump_id
    source: str
    source_id: str
    region: str
    latitude: float
    longitude: float
    size: str
    area_m2: str | None  # plain decimal text, as the source measured it
    detected_on: dt.date | None
    row_digest: str  # sha256 of the row as cleaned: the same row again is the same fact


@fact_type("DumpConfirmed")
@dataclass(frozen=True)
class DumpConfirmed:
    dump_id: uuid.UUID
    coordinator_id: uuid.UUID
    reason: str = ""


@fact_type("DumpDismissed")
@dataclass(frozen=True)
class DumpDismissed:
    dump_id: uuid.UUID
    coordinator_id: uuid.UUID
    reason: str


@fact_type("DumpMerged")
@dataclass(frozen=True)
class DumpMerged:
    """A report found to be a dump already known: on the report's stream, naming the known one."""

    dump_id: uuid.UUID
    into_dump_id: uuid.UUID
    coordinator_id: uuid.UUID
    reason: str = ""


@fact_type("DumpLinked")
@dataclass(frozen=True)
class DumpLinked:
    dump_id: uuid.UUID
    event_id: uuid.UUID
    organiser_id: uuid.UUID


@fact_type("DumpLiquidated")
@dataclass(frozen=True)
class DumpLiquidated:
    """Cleared by the linked event, whose verified result (at `result_version`) says what was removed."""

    dump_id: uuid.UUID
    event_id: uuid.UUID
    result_version: int
    coordinator_id: uuid.UUID
    reason: str = ""
    photo_ids: list[str] = field(default_factory=list)  # the after-photos, once photos exist


@fact_type("DumpReopened")
@dataclass(frozen=True)
class DumpReopened:
    dump_id: uuid.UUID
    coordinator_id: uuid.UUID
    reason: str


@fact_type("DumpHidden")
@dataclass(frozen=True)
class DumpHidden:
    dump_id: uuid.UUID
    coordinator_id: uuid.UUID
    reason: str
