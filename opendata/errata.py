"""The errata rule: which facts change a published figure after the fact, and the figures before
and after each (pure, no database).

An erratum is one of four facts about a public (approved) event:

- `correction`: a `ResultLogged` after an earlier one; before = the latest result logged until then,
  after = the new one; the reason is the organiser's `correction_reason`;
- `adjustment`: a `ResultVerified` with `adjusted`; before = the result it judged, after = the
  figures the coordinator gave over it (stats.metrics.adjusted_figures, the totals' own rule);
- `rejection`: a `ResultVerified` with `rejected`; before = the result it judged, after = the figures
  verified before it, which still count (a rejected correction), or none: the event counts nowhere;
- `checkin_undone`: a `CheckInUndone`; before and after = the event's distinct volunteers checked
  in. Its reason is not given: it is the organiser's words about a person, withheld from the public
  form of the fact (events/public.py), and the errata publish nothing the feed does not.

Figures are those of the stats rules (stats.metrics) in public units, so an erratum's "after" is
what the totals count from then on. Everything is folded from the facts in ledger order: the books
per event (`EventBook`) are what the projection keeps between batches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from events.facts import CheckInUndone, EventApproved, EventProposed, ResultLogged, ResultVerified, VolunteerCheckedIn
from events.verification import ACCEPTED, ADJUSTED, REJECTED
from ledger.facts import fact_types
from ledger.stored import StoredFact
from stats.metrics import EMPTY_FIGURES, adjusted_figures, figures_from_result, present_value

HANDLED = fact_types(EventProposed, EventApproved, VolunteerCheckedIn, CheckInUndone, ResultLogged, ResultVerified)
CORRECTION, ADJUSTMENT, REJECTION, CHECKIN_UNDONE = "correction", "adjustment", "rejection", "checkin_undone"
KINDS = (CORRECTION, ADJUSTMENT, REJECTION, CHECKIN_UNDONE)


@dataclass
class EventBook:
    event_id: str
    campaign_id: str
    region: str
    approved: bool = False
    results: dict[str, dict] = field(default_factory=dict)  # str(stream version) -> figures
    latest: int | None = None
    verified: dict | None = None
    volunteers: int = 0


def public_figures(figures: dict | None) -> dict | None:
    """Result figures (stored units) as the public reads them: kg with 3 places, ha with 4."""
    if figures is None:
        return None
    return {
        "waste_kg": present_value("waste_g", sum(figures["waste_g"].values())),
        "waste_kg_by_kind": {kind: present_value("waste_g", g) for kind, g in sorted(figures["waste_g"].items())},
        "trees": figures["trees"],
        "tree_species": dict(sorted((figures.get("tree_species") or {}).items())),
        "area_ha": present_value("area_m2", figures["area_m2"]),
        "headcount": figures["headcount"],
    }


def fold_errata(
    facts: Iterable[StoredFact], books: dict[str, EventBook], present: set[tuple[str, str]]
) -> tuple[list[dict], set[tuple[str, str]], set[tuple[str, str]]]:
    """Fold facts onto the books (changed in place) and the volunteers present (event, volunteer):
    the errata they make, and the attendances added and removed."""
    errata: list[dict] = []
    added: set[tuple[str, str]] = set()
    removed: set[tuple[str, str]] = set()
    for fact in facts:
        data = fact.data
        event_id = str(data["event_id"])
        if fact.type == "EventProposed":
            books[event_id] = EventBook(event_id, str(data["campaign_id"]), data["region"])
            continue
        book = books.get(event_id)
        if book is None:
            continue  # an event of no proposal (a test's partial history): nothing public of it
        if fact.type == "EventApproved":
            book.approved = True
        elif fact.type == "VolunteerCheckedIn":
            key = (event_id, str(data["volunteer_id"]))
            if key not in present:
                present.add(key)
                added.add(key)
                removed.discard(key)
                book.volunteers += 1
        elif fact.type == "CheckInUndone":
            key = (event_id, str(data["volunteer_id"]))
            before = book.volunteers
            if key in present:
                present.discard(key)
                removed.add(key)
                added.discard(key)
                book.volunteers -= 1
            if book.approved:
                errata.append(
                    _erratum(fact, book, CHECKIN_UNDONE, "", {"volunteers": before}, {"volunteers": book.volunteers})
                )
        elif fact.type == "ResultLogged":
            previous = book.results.get(str(book.latest)) if book.latest is not None else None
            figures = figures_from_result(data)
            book.results[str(fact.version)] = figures
            book.latest = fact.version
            if previous is not None and book.approved:
                errata.append(
                    _erratum(
                        fact,
                        book,
                        CORRECTION,
                        data.get("correction_reason") or "",
                        public_figures(previous),
                        public_figures(figures),
                        result_version=fact.version,
                    )
                )
        elif fact.type == "ResultVerified":
            judged_version = data["result_version"]
            judged = book.results.get(str(judged_version))
            stale = judged_version != book.latest
            decision = data["decision"]
            counted_before = book.verified
            if decision == ACCEPTED and not stale:
                book.verified = dict(judged or EMPTY_FIGURES)
            elif decision == ADJUSTED and not stale:
                book.verified = adjusted_figures(judged or EMPTY_FIGURES, data)
                if book.approved:
                    errata.append(
                        _erratum(
                            fact,
                            book,
                            ADJUSTMENT,
                            data.get("reason") or "",
                            public_figures(judged or EMPTY_FIGURES),
                            public_figures(book.verified),
                            result_version=judged_version,
                        )
                    )
            elif decision == REJECTED and not stale:
                if book.approved:
                    errata.append(
                        _erratum(
                            fact,
                            book,
                            REJECTION,
                            data.get("reason") or "",
                            public_figures(judged or EMPTY_FIGURES),
                            public_figures(counted_before),
                            result_version=judged_version,
                        )
                    )
            elif stale:
                book.verified = None  # judged a result no longer the latest: as the totals read it
    return errata, added, removed


def _erratum(
    fact: StoredFact,
    book: EventBook,
    kind: str,
    reason: str,
    before: dict | None,
    after: dict | None,
    *,
    result_version: int | None = None,
) -> dict:
    return {
        "position": fact.position,
        "fact_id": str(fact.fact_id),
        "occurred_at": fact.occurred_at.astimezone(dt.UTC).isoformat(),
        "kind": kind,
        "event_id": book.event_id,
        "campaign_id": book.campaign_id,
        "region": book.region,
        "result_version": result_version,
        "reason": reason,
        "before": before,
        "after": after,
    }
