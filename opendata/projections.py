"""The errata log, folded from the facts by an async projection (`opendata.errata`).

A batch reads the books of the events it names and the attendances of the volunteers it names,
folds the facts onto them in memory (opendata.errata, pure), and writes the books, the attendances
and the new errata back set-wise. `compute()` is the same fold over every fact from nothing, so
`ledger verify opendata.errata` proves batch after batch equals one replay.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.db.models import Q

from ledger.projections import AsyncProjection, register
from ledger.stored import StoredFact
from opendata.errata import HANDLED, EventBook, fold_errata
from opendata.models import ErrataAttendance, ErrataEvent, Erratum

BOOK_FIELDS = ("campaign_id", "region", "approved", "results", "latest", "verified", "volunteers")


def _book(row: ErrataEvent) -> EventBook:
    return EventBook(
        event_id=str(row.event_id),
        campaign_id=str(row.campaign_id),
        region=row.region,
        approved=row.approved,
        results=row.results,
        latest=row.latest,
        verified=row.verified,
        volunteers=row.volunteers,
    )


def _entry(row: Erratum) -> dict:
    return {
        "position": row.position,
        "fact_id": str(row.fact_id),
        "occurred_at": row.occurred_at.astimezone(dt.UTC).isoformat(),
        "kind": row.kind,
        "event_id": str(row.event_id),
        "campaign_id": str(row.campaign_id),
        "region": row.region,
        "result_version": row.result_version,
        "reason": row.reason,
        "before": row.before,
        "after": row.after,
    }


@register
class ErrataProjection(AsyncProjection):
    """Every correction, adjustment, rejection and undone check-in of a public event."""

    name = "opendata.errata"
    handles = HANDLED
    models = (ErrataEvent, ErrataAttendance, Erratum)

    def fold(self, facts: list[StoredFact]) -> None:
        event_ids = {str(f.data["event_id"]) for f in facts}
        books = {str(row.event_id): _book(row) for row in ErrataEvent.objects.filter(event_id__in=event_ids)}
        pairs = {
            (str(f.data["event_id"]), str(f.data["volunteer_id"]))
            for f in facts
            if f.type in ("VolunteerCheckedIn", "CheckInUndone")
        }
        present: set[tuple[str, str]] = set()
        if pairs:
            volunteers = {volunteer for _, volunteer in pairs}
            present = {
                (str(e), str(v))
                for e, v in ErrataAttendance.objects.filter(
                    event_id__in={event for event, _ in pairs}, volunteer_id__in=volunteers
                ).values_list("event_id", "volunteer_id")
            }
        errata, added, removed = fold_errata(facts, books, present)
        if books:
            ErrataEvent.objects.bulk_create(
                [
                    ErrataEvent(event_id=uuid.UUID(b.event_id), **{f: getattr(b, f) for f in BOOK_FIELDS})
                    for b in books.values()
                ],
                update_conflicts=True,
                unique_fields=["event_id"],
                update_fields=list(BOOK_FIELDS),
            )
        if removed:
            gone = Q()
            for event, volunteer in removed:
                gone |= Q(event_id=event, volunteer_id=volunteer)
            ErrataAttendance.objects.filter(gone).delete()
        if added:
            ErrataAttendance.objects.bulk_create(
                [ErrataAttendance(event_id=e, volunteer_id=v) for e, v in sorted(added)], ignore_conflicts=True
            )
        if errata:
            Erratum.objects.bulk_create([Erratum(**entry) for entry in errata])

    def compute(self, facts: Iterable[StoredFact]) -> dict:
        books: dict[str, EventBook] = {}
        present: set[tuple[str, str]] = set()
        errata, _, _ = fold_errata((f for f in facts if f.type in HANDLED), books, present)
        return {
            "events": {key: _as_dict(book) for key, book in sorted(books.items())},
            "present": sorted(f"{e}|{v}" for e, v in present),
            "errata": {str(entry["position"]): entry for entry in errata},
        }

    def snapshot(self) -> dict:
        return {
            "events": {str(row.event_id): _as_dict(_book(row)) for row in ErrataEvent.objects.order_by("event_id")},
            "present": sorted(f"{e}|{v}" for e, v in ErrataAttendance.objects.values_list("event_id", "volunteer_id")),
            "errata": {str(row.position): _entry(row) for row in Erratum.objects.order_by("position")},
        }


def _as_dict(book: EventBook) -> dict:
    return {name: getattr(book, name) for name in BOOK_FIELDS}
