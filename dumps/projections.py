"""The inline projection of dump streams: the `Dump` row of each dump.

Inline, because every decision on a dump (confirm, merge, link, liquidate, a report's rate limit,
the duplicates offered) reads the row's status and version in the same transaction as its append.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.db.models import F

from dumps.facts import (
    DumpConfirmed,
    DumpDismissed,
    DumpHidden,
    DumpImported,
    DumpLinked,
    DumpLiquidated,
    DumpMerged,
    DumpReopened,
    DumpReported,
)
from dumps.models import Dump
from ledger.projections import InlineProjection, handler, register
from ledger.stored import StoredFact


def _row(data: dict):
    return Dump.objects.filter(pk=uuid.UUID(data["dump_id"]))


@register
class DumpProjection(InlineProjection):
    name = "dumps.dump"
    models = (Dump,)

    @handler(DumpReported)
    def _reported(self, fact: StoredFact, data: dict) -> None:
        Dump.objects.create(
            id=uuid.UUID(data["dump_id"]),
            origin="report",
            region_id=data["region"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            size=data["size"],
            waste_kinds=list(data["waste_kinds"]),
            note=data.get("note", ""),
            photo_ids=list(data.get("photo_ids", [])),
            reporter_id=uuid.UUID(data["reporter_id"]),
            status=Dump.Status.REPORTED,
            version=fact.version,
            reported_at=fact.occurred_at,
        )

    @handler(DumpImported)
    def _imported(self, fact: StoredFact, data: dict) -> None:
        # Found by the state's monitoring: it enters confirmed (the source vouches for it) and public.
        fields = {
            "region_id": data["region"],
            "latitude": data["latitude"],
            "longitude": data["longitude"],
            "size": data["size"],
            "area_m2": Decimal(data["area_m2"]) if data.get("area_m2") is not None else None,
            "detected_on": dt.date.fromisoformat(data["detected_on"]) if data.get("detected_on") else None,
            "row_digest": data["row_digest"],
            "version": fact.version,
        }
        if fact.version == 1:
            Dump.objects.create(
                id=uuid.UUID(data["dump_id"]),
                origin="monitoring",
                source=data["source"],
                source_id=data["source_id"],
                status=Dump.Status.CONFIRMED,
                published=True,
                reported_at=fact.occurred_at,
                **fields,
            )
        else:  # a changed row: the source's figures now, the dump's own state kept
            _row(data).update(**fields)

    @handler(DumpConfirmed)
    def _confirmed(self, fact: StoredFact, data: dict) -> None:
        _row(data).update(
            status=Dump.Status.CONFIRMED,
            status_reason=data.get("reason", ""),
            published=True,
            decided_at=fact.occurred_at,
            version=fact.version,
        )

    @handler(DumpDismissed)
    def _dismissed(self, fact: StoredFact, data: dict) -> None:
        _row(data).update(
            status=Dump.Status.DISMISSED,
            status_reason=data["reason"],
            event_id=None,
            decided_at=fact.occurred_at,
            version=fact.version,
        )

    @handler(DumpMerged)
    def _merged(self, fact: StoredFact, data: dict) -> None:
        _row(data).update(
            status=Dump.Status.MERGED,
            status_reason=data.get("reason", ""),
            merged_into_id=uuid.UUID(data["into_dump_id"]),
            decided_at=fact.occurred_at,
            version=fact.version,
        )
        Dump.objects.filter(pk=uuid.UUID(data["into_dump_id"])).update(reports_merged=F("reports_merged") + 1)

    @handler(DumpLinked)
    def _linked(self, fact: StoredFact, data: dict) -> None:
        _row(data).update(event_id=uuid.UUID(data["event_id"]), version=fact.version)

    @handler(DumpLiquidated)
    def _liquidated(self, fact: StoredFact, data: dict) -> None:
        _row(data).update(
            status=Dump.Status.LIQUIDATED,
            status_reason=data.get("reason", ""),
            cleared_by_event_id=uuid.UUID(data["event_id"]),
            liquidated_at=fact.occurred_at,
            version=fact.version,
        )

    @handler(DumpReopened)
    def _reopened(self, fact: StoredFact, data: dict) -> None:
        # Back on the ground: open again, waiting for a new clean-up (the old one stays in its history).
        _row(data).update(
            status=Dump.Status.CONFIRMED,
            status_reason=data["reason"],
            event_id=None,
            liquidated_at=None,
            version=fact.version,
        )

    @handler(DumpHidden)
    def _hidden(self, fact: StoredFact, data: dict) -> None:
        _row(data).update(hidden=True, hidden_reason=data["reason"], version=fact.version)
