"""An event's result as organisers, coordinators and the public read it: each figure as reported and
as verified, the coordinator's decision, the history of reports and decisions, and the figures a
correction starts from.

Read from the events projection (`Result.figures`, `ResultReport`, `ResultVerification`); the rule of
what a decision makes of the figures stays in events.verification.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from events.facts import WASTE_KINDS
from events.models import Event, Result
from events.selectors import result_limits
from events.verification import VERIFIED
from frontend import labels
from volunteers.models import User


@dataclass(frozen=True)
class Figure:
    name: str  # "waste_kg.plastic", "trees", "area_ha", "headcount"
    label: str
    unit: str
    reported: Decimal
    verified: Decimal | None  # None: awaiting or rejected
    status: str  # events.verification: verified, awaiting, rejected

    @property
    def places(self) -> int:
        # Decimal places worth showing: kilograms to the tenth, hectares to the hundredth, people and trees whole.
        return 1 if self.name.startswith("waste_kg") else 2 if self.name == "area_ha" else 0

    @property
    def changed(self) -> bool:
        return self.verified is not None and self.verified != self.reported


@dataclass(frozen=True)
class Step:
    """One line of a result's history: a report (first or correction) or a coordinator's decision."""

    what: str  # reported, corrected, accepted, adjusted, rejected
    label: str
    at: dt.datetime
    by: str
    report_number: int
    reason: str


def figures(result: Result) -> list[Figure]:
    """The result's figures in the vocabulary's order: waste per kind, trees, area, head-count."""
    order = [f"waste_kg.{kind}" for kind in WASTE_KINDS] + ["trees", "area_ha", "headcount"]
    rows = []
    for name in sorted(result.figures, key=lambda n: order.index(n) if n in order else len(order)):
        figure = result.figures[name]
        verified = figure.get("verified")
        rows.append(
            Figure(
                name=name,
                label=_figure_label(name),
                unit=_figure_unit(name),
                reported=Decimal(figure["reported"]),
                verified=Decimal(verified) if verified is not None else None,
                status=figure["status"],
            )
        )
    return rows


def in_force(result: Result) -> dict[str, Decimal]:
    """Each figure as it now counts: as verified when a coordinator verified it, else as reported.
    A correction starts from these, not from the organiser's earlier figures."""
    return {
        f.name: f.verified if f.status == VERIFIED and f.verified is not None else f.reported for f in figures(result)
    }


def report_numbers(event: Event) -> dict[int, int]:
    """Stream version of each report → its number as people count them: report 1, report 2, …"""
    versions = sorted(event.result_reports.values_list("version", flat=True))
    return {version: number for number, version in enumerate(versions, start=1)}


def history(event: Event) -> list[Step]:
    """Every report and decision on the event's result, oldest first, each with who and when."""
    reports = list(event.result_reports.all())
    decisions = list(event.result_verifications.all())
    numbers = report_numbers(event)
    names = _names([r.logged_by for r in reports if r.logged_by] + [d.coordinator_id for d in decisions])
    steps = [
        Step(
            what="corrected" if numbers[r.version] > 1 else "reported",
            label=_("corrected") if numbers[r.version] > 1 else _("reported"),
            at=r.logged_at,
            by=names.get(r.logged_by) or _("the organiser"),
            report_number=numbers[r.version],
            reason=r.correction_reason,
        )
        for r in reports
    ]
    steps += [
        Step(
            what=d.decision,
            label=d.get_decision_display(),
            at=d.verified_at,
            by=names.get(d.coordinator_id) or _("the region's coordinator"),
            report_number=numbers.get(d.result_version, 0),
            reason=d.reason,
        )
        for d in decisions
    ]
    return sorted(steps, key=lambda step: step.at)


def last_decision(event: Event):
    """The coordinator's latest decision on the result, or None."""
    return event.result_verifications.order_by("-verified_at", "-id").first()


def limits(event: Event, result: Result) -> list[tuple[str, str, Decimal, Decimal, bool, int]]:
    """The plausibility limits the service holds a report to (events.evidence), for the report's
    participants: (label, unit, reported, limit, above, decimal places to show)."""
    return [
        (str(labels.METRIC_NAMES[limit.name]), _figure_unit(limit.name), limit.value, limit.most, limit.above, places)
        for limit in result_limits(event, result)
        for places in [0 if limit.name == "trees" else 1]
    ]


def _figure_label(name: str) -> str:
    if name.startswith("waste_kg."):
        kind = name.split(".", 1)[1]
        return f"{labels.METRIC_NAMES['waste_kg']}: {labels.WASTE_KIND_LABELS.get(kind, kind)}"
    if name.startswith("tree_species."):
        return f"{labels.METRIC_NAMES['trees']}: {labels.species_name(name.split('.', 1)[1])}"
    if name == "headcount":
        return _("People who came without registering")
    return str(labels.METRIC_NAMES.get(name, name))


def _figure_unit(name: str) -> str:
    if name.startswith("waste_kg"):
        return _("kg")
    if name == "area_ha":
        return str(labels.METRIC_UNITS["area_ha"])
    return ""


def _names(volunteer_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    # Display names only: an organiser is not shown a coordinator's email, nor the reverse.
    people = User.objects.filter(volunteer_id__in=set(volunteer_ids)).exclude(display_name="")
    return dict(people.values_list("volunteer_id", "display_name"))


def page_context(result: Result | None) -> dict:
    """What the organisers' and coordinators' pages show of a result: the decision, the figures
    reported and verified, and the history (empty when nothing is logged)."""
    if result is None:
        return {"result": None, "decision": None, "figures": [], "history": [], "standing": False}
    rows = figures(result)
    return {
        "result": result,
        "decision": last_decision(result.event),
        "figures": rows,
        "history": history(result.event),
        "standing": standing(result, rows),
    }


def standing(result: Result, rows: list[Figure]) -> bool:
    """Whether figures verified before the latest report still count: a correction awaits the
    coordinator, or was rejected (events.projections keeps them; the totals count them)."""
    return result.status in (Result.Status.AWAITING, Result.Status.REJECTED) and any(
        f.verified is not None for f in rows
    )
