"""The metrics of the public totals and the per-event rules that turn event facts into figures.

Pure: no database. The fold of the totals (stats.fold) keeps its books around these rules, batch
by batch for the projection and over every fact at once for `ledger verify`, which compares the two.

Exact units inside: counts, grams, square metres and seconds, all integers. Decimal strings are
made only when presenting (kg with 3 places, ha with 4, hours rounded to 2).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from campaigns.facts import CampaignClosed, CampaignLaunched, CampaignTargetsSet
from config.days import local_day
from dumps.facts import (
    DumpConfirmed,
    DumpDismissed,
    DumpHidden,
    DumpImported,
    DumpLiquidated,
    DumpMerged,
    DumpReopened,
    DumpReported,
)
from events.facts import (
    WASTE_KINDS,
    YOUTH_BANDS,
    CheckInUndone,
    EventApproved,
    EventCancelled,
    EventProposed,
    EventRejected,
    EventRescheduled,
    ResultLogged,
    ResultVerified,
    SurvivalChecked,
    VolunteerCheckedIn,
    VolunteerCheckedOut,
)
from events.hours import hours
from events.survival import latest_label, survival_rate
from events.verification import ACCEPTED, ADJUSTED, AWAITING, REJECTED, VERIFIED, verified_result
from ledger.projections import FactHandlers, fact_types, handler

# --- metrics ---------------------------------------------------------------------------------------

WASTE_BY_KIND = tuple(f"waste_g_{kind}" for kind in WASTE_KINDS)
# Every figure kept per scope, in its exact unit.
METRICS = (
    "events",
    "participants",
    "volunteers",  # distinct checked-in volunteers
    "headcount",  # people counted by the organiser who did not register
    "youth",  # checked-in volunteers with a youth age band
    "waste_g",
    *WASTE_BY_KIND,
    "trees",
    "area_m2",
    "seconds",  # volunteer time
    # Survival: the trees of events with a survival check, and those alive at the latest check of
    # each. Not public metrics by name (no plan, series or leaderboard): the survival answers read them.
    "trees_checked",
    "trees_surviving",
)

# The metrics the public asks for by name (leaderboards, series, plans), and the stored one each is.
PUBLIC_METRICS = {
    "events": "events",
    "participants": "participants",
    "youth": "youth",
    "waste_kg": "waste_g",
    "trees": "trees",
    "area_ha": "area_m2",
    "volunteer_hours": "seconds",
}
# campaigns.facts.TARGET_METRICS, in stored units.
TARGET_METRICS = {
    "events": "events",
    "participants": "participants",
    "waste_kg": "waste_g",
    "trees": "trees",
    "area_ha": "area_m2",
    "dumps_liquidated": "dumps_liquidated",
}

# An event's figures are VERIFIED or AWAITING (events.verification), or not counted at all.
NOT_COUNTED = "none"


def grams(kg: str | Decimal) -> int:
    return int((Decimal(kg) * 1000).to_integral_value(ROUND_HALF_EVEN))


def square_metres(ha: str | Decimal) -> int:
    return int((Decimal(ha) * 10000).to_integral_value(ROUND_HALF_EVEN))


def to_stored(public_metric: str, value: str | Decimal) -> int:
    """A target or figure in public units ("120.5" kg, "3.25" ha) as the stored integer."""
    stored = PUBLIC_METRICS.get(public_metric) or TARGET_METRICS[public_metric]
    if stored == "waste_g":
        return grams(value)
    if stored == "area_m2":
        return square_metres(value)
    if stored == "seconds":
        return int((Decimal(value) * 3600).to_integral_value(ROUND_HALF_EVEN))
    return int(Decimal(value).to_integral_value(ROUND_HALF_EVEN))


def unit_of(stored_metric: str) -> int:
    """How many stored units make one public unit (grams per kg, m² per ha, seconds per hour)."""
    if stored_metric.startswith("waste_g"):
        return 1000
    return {"area_m2": 10000, "seconds": 3600}.get(stored_metric, 1)


def present_value(stored_metric: str, value: int) -> int | str:
    """The public form of one stored figure: integers for counts, exact decimal strings else."""
    if stored_metric.startswith("waste_g"):
        return str(Decimal(value).scaleb(-3).quantize(Decimal("0.001")))
    if stored_metric == "area_m2":
        return str(Decimal(value).scaleb(-4).quantize(Decimal("0.0001")))
    if stored_metric == "seconds":
        return str(hours(value))
    return value


def present_survival(vector: dict[str, int]) -> dict:
    """Trees planted and surviving apart, with the survival rate, of a stored vector."""
    checked, surviving = vector.get("trees_checked", 0), vector.get("trees_surviving", 0)
    return {
        "trees_planted": vector.get("trees", 0),
        "trees_checked": checked,
        "trees_surviving": surviving,
        "survival_rate": survival_rate(checked, surviving),
    }


def present(vector: dict[str, int]) -> dict:
    """A stored vector (metric -> int) as the public figures."""
    return {
        "events": vector.get("events", 0),
        "participants": vector.get("participants", 0),
        "volunteers": vector.get("volunteers", 0),
        "headcount": vector.get("headcount", 0),
        "youth": vector.get("youth", 0),
        "waste_kg": present_value("waste_g", vector.get("waste_g", 0)),
        "waste_kg_by_kind": {kind: present_value("waste_g", vector.get(f"waste_g_{kind}", 0)) for kind in WASTE_KINDS},
        "trees": vector.get("trees", 0),
        "area_ha": present_value("area_m2", vector.get("area_m2", 0)),
        "volunteer_hours": present_value("seconds", vector.get("seconds", 0)),
    }


# --- per-event rules -----------------------------------------------------------------------------


def parse_time(value: str | dt.datetime) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)


def figures_from_result(data: dict) -> dict:
    """The figures of a ResultLogged (or events.verification.verified_result), normalised; the
    species only when some are named (an adjustment by species needs them, no total does)."""
    waste = {kind: grams(kg) for kind, kg in sorted((data.get("waste_kg") or {}).items())}
    figures = {
        "waste_g": {kind: g for kind, g in waste.items() if g},
        "trees": int(data.get("trees") or 0),
        "area_m2": square_metres(data.get("area_ha") or "0"),
        "headcount": int(data.get("headcount") or 0),
    }
    if data.get("tree_species"):
        figures["tree_species"] = dict(sorted(data["tree_species"].items()))
    return figures


def adjusted_figures(logged: dict, data: dict) -> dict:
    """A coordinator's adjustment in exact units: events.verification.verified_result of the
    report judged (`logged`, as figures_from_result gave it), each kind of waste and species it
    names replacing the organiser's, the rest standing."""
    as_logged = {
        "waste_kg": {kind: str(Decimal(g) / 1000) for kind, g in logged["waste_g"].items()},
        "trees": logged["trees"],
        "tree_species": logged.get("tree_species") or {},
        "area_ha": str(Decimal(logged["area_m2"]) / 10_000),
        "headcount": logged["headcount"],
    }
    return figures_from_result(verified_result(as_logged, data))


EMPTY_FIGURES = {"waste_g": {}, "trees": 0, "area_m2": 0, "headcount": 0}

EVENT_FACTS = fact_types(
    EventProposed,
    EventApproved,
    EventRejected,
    EventRescheduled,
    EventCancelled,
    VolunteerCheckedIn,
    VolunteerCheckedOut,
    CheckInUndone,  # the attendance no longer counts (stats.fold takes it back out)
    ResultLogged,
    ResultVerified,
    SurvivalChecked,
)
CAMPAIGN_FACTS = fact_types(CampaignLaunched, CampaignTargetsSet, CampaignClosed)


@dataclass
class EventState(FactHandlers):
    """What the totals need to know about one event: its dimensions and its figures."""

    event_id: str
    campaign_id: str
    region: str
    organisation_id: str
    kind: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    approved: bool = False
    proposal_rejected: bool = False
    cancelled: bool = False
    result_version: int | None = None  # event stream version of the latest ResultLogged
    logged: dict | None = None
    decision: str = ""  # of the latest ResultVerified
    decision_version: int | None = None  # the result_version it judged
    verified: dict | None = None  # figures it accepted (accepted: logged, adjusted: merged)
    volunteers: int = 0
    youth: int = 0
    seconds: int = 0  # credited (events.hours), of its attendances
    started: bool = False  # its start has passed, as of the totals' clock (stats.fold)
    survival: dict | None = None  # trees alive at its survival checks, by label: the last check of each
    rescheduled: bool = field(default=False, compare=False, repr=False)

    @classmethod
    def proposed(cls, data: dict) -> EventState:
        return cls(
            event_id=data["event_id"],
            campaign_id=data["campaign_id"],
            region=data["region"],
            organisation_id=data["organisation_id"],
            kind=data["kind"],
            starts_at=parse_time(data["starts_at"]),
            ends_at=parse_time(data["ends_at"]),
        )

    def apply(self, fact_type: str, data: dict, version: int) -> None:
        """Fold one fact about this event (check-ins are counted by the caller: they need the
        set of volunteers already in). A type with no handler here changes nothing."""
        fold = self.fact_handlers.get(fact_type)
        if fold is not None:
            fold(self, data, version)

    @handler(EventApproved)
    def _approved(self, data: dict, version: int) -> None:
        self.approved = True

    @handler(EventRejected)
    def _rejected(self, data: dict, version: int) -> None:
        self.proposal_rejected = True

    @handler(EventCancelled)
    def _cancelled(self, data: dict, version: int) -> None:
        self.cancelled = True

    @handler(EventRescheduled)
    def _rescheduled(self, data: dict, version: int) -> None:
        self.starts_at = parse_time(data["starts_at"])
        self.ends_at = parse_time(data["ends_at"])
        self.rescheduled = True

    @handler(ResultLogged)
    def _result_logged(self, data: dict, version: int) -> None:
        self.result_version = version
        self.logged = figures_from_result(data)

    @handler(ResultVerified)
    def _result_verified(self, data: dict, version: int) -> None:
        self.decision = data["decision"]
        self.decision_version = data["result_version"]
        if data["result_version"] != self.result_version:
            self.verified = None  # judged a result that is no longer the latest: stale
        elif data["decision"] == ACCEPTED:
            self.verified = dict(self.logged or EMPTY_FIGURES)
        elif data["decision"] == ADJUSTED:
            self.verified = adjusted_figures(self.logged or EMPTY_FIGURES, data)
        # Rejected: the figures verified before (of an earlier report) stand, or there are none.

    @handler(SurvivalChecked)
    def _survival_checked(self, data: dict, version: int) -> None:
        # A later check of a label supersedes the earlier one (a correction).
        self.survival = {**(self.survival or {}), data["label"]: sum(data["alive"].values())}

    def surviving(self) -> int | None:
        """Trees alive at the latest check (the latest label's), None when never checked."""
        label = latest_label(list(self.survival or {}))
        return None if label is None else self.survival[label]

    @property
    def day(self) -> dt.date:
        return local_day(self.starts_at)

    @property
    def status(self) -> str:
        """verified, awaiting (verification) or none (not counted at all)."""
        if not self.approved or self.proposal_rejected or self.cancelled or not self.started:
            return NOT_COUNTED  # an event is held once it has started (check-in opens an hour early)
        judged = self.result_version is not None and self.decision_version == self.result_version
        if judged and self.decision == REJECTED:
            # A rejected correction leaves the figures verified before it standing.
            return VERIFIED if self.verified is not None else NOT_COUNTED
        if judged or self.verified is not None:
            return VERIFIED  # also while a correction awaits: the verified figures count until it is judged
        if self.result_version is None and self.volunteers == 0:
            return NOT_COUNTED  # not held: no check-in, no result
        return AWAITING

    def vector(self) -> dict[str, int]:
        """The event's contribution to every total it belongs to, in its status's column."""
        status = self.status
        if status == NOT_COUNTED:
            return {}
        figures = self.verified if status == VERIFIED else (self.logged or EMPTY_FIGURES)
        out = {
            "events": 1,
            "participants": self.volunteers + figures["headcount"],
            "volunteers": self.volunteers,
            "headcount": figures["headcount"],
            "youth": self.youth,
            "waste_g": sum(figures["waste_g"].values()),
            "trees": figures["trees"],
            "area_m2": figures["area_m2"],
            "seconds": self.seconds,
        }
        surviving = self.surviving()
        if surviving is not None:
            # The rate's denominator is the trees of checked events only: an unchecked event's trees
            # are not known dead. Never above the trees the figures now count.
            out["trees_checked"] = figures["trees"]
            out["trees_surviving"] = min(surviving, figures["trees"])
        for kind, g in figures["waste_g"].items():
            out[f"waste_g_{kind}"] = g
        return {metric: value for metric, value in out.items() if value}

    def scopes(self) -> list[tuple[str, str]]:
        """The aggregate rows this event's figures are summed into."""
        return [
            ("national", "KZ"),
            ("region", self.region),
            ("campaign", self.campaign_id),
            ("campaign_region", f"{self.campaign_id}:{self.region}"),
            ("organisation", self.organisation_id),
            ("campaign_organisation", f"{self.campaign_id}:{self.organisation_id}"),
        ]

    def as_dict(self) -> dict:
        """The comparable form (snapshot/compute)."""
        return {
            "campaign_id": self.campaign_id,
            "region": self.region,
            "organisation_id": self.organisation_id,
            "kind": self.kind,
            "starts_at": self.starts_at.astimezone(dt.UTC).isoformat(),
            "ends_at": self.ends_at.astimezone(dt.UTC).isoformat(),
            "status": self.status,
            "result_version": self.result_version,
            "logged": self.logged,
            "decision": self.decision,
            "decision_version": self.decision_version,
            "verified": self.verified,
            "volunteers": self.volunteers,
            "youth": self.youth,
            "seconds": self.seconds,
            "started": self.started,
            "survival": self.survival,
        }


def is_youth(age_band: str) -> bool:
    return age_band in YOUTH_BANDS


# --- dumps -----------------------------------------------------------------------------------------

# The illegal dumps' figures, kept per scope like the others, in the verified column: a dump is
# found when the region's coordinator confirmed its report or the state's monitoring recorded it, and
# both are decisions, not an organiser's word. Read apart from the events' figures (stats.selectors).
DUMP_METRICS = ("dumps_found", "dumps_liquidated")
DUMP_FACT_CLASSES = (
    DumpReported,
    DumpImported,
    DumpConfirmed,
    DumpDismissed,
    DumpMerged,
    DumpLiquidated,
    DumpReopened,
    DumpHidden,
)
DUMP_FACTS = fact_types(*DUMP_FACT_CLASSES)
# The facts a dump's story may begin with, as the fold sees it.
DUMP_ENTRIES = fact_types(DumpReported, DumpImported, DumpConfirmed)
# A dump's status, as the registry's own row has it (dumps.projections): only these two count.
FOUND, LIQUIDATED = "confirmed", "liquidated"


@dataclass
class DumpState(FactHandlers):
    """What the totals know of one dump: its region and where its story stands.

    The same rule as the registry's liquidation rate (dumps.selectors.liquidation_rates): found is
    confirmed or liquidated and not hidden; a reopened dump is found and not liquidated. Folded from
    the facts, not read from the registry's table, so the figures are as of the totals' position
    like every other. A `DumpConfirmed` of a dump not known is a report whose `DumpReported` the
    fold never saw (the public feed withholds it; its confirmation carries the region)."""

    dump_id: str
    region: str
    status: str = "reported"
    hidden: bool = False
    # The campaign of the event that liquidated it (its plan counts the dump), while it stays so.
    campaign_id: str = ""

    @classmethod
    def first_of(cls, fact_type: str, data: dict) -> DumpState | None:
        if "region" not in data or fact_type not in DUMP_ENTRIES:
            return None
        return cls(dump_id=data["dump_id"], region=data["region"])

    def apply(self, fact_type: str, data: dict) -> None:
        handle = self.fact_handlers.get(fact_type)
        if handle is not None:
            handle(self, data)

    @handler(DumpImported)
    def _imported(self, data: dict) -> None:
        self.region = data["region"]  # a changed row may move it; its state is the dump's own
        if self.status == "reported":
            self.status = FOUND

    @handler(DumpConfirmed, DumpReopened)
    def _found(self, data: dict) -> None:
        self.status = FOUND
        self.campaign_id = ""

    @handler(DumpDismissed)
    def _dismissed(self, data: dict) -> None:
        self.status = "dismissed"

    @handler(DumpMerged)
    def _merged(self, data: dict) -> None:
        self.status = "merged"

    @handler(DumpLiquidated)
    def _liquidated(self, data: dict) -> None:
        self.status = LIQUIDATED

    @handler(DumpHidden)
    def _hidden(self, data: dict) -> None:
        self.hidden = True

    def vector(self) -> dict[str, int]:
        if self.hidden or self.status not in (FOUND, LIQUIDATED):
            return {}
        return {"dumps_found": 1, "dumps_liquidated": 1} if self.status == LIQUIDATED else {"dumps_found": 1}

    def scopes(self, metric: str) -> list[tuple[str, str]]:
        """National and the region's; a liquidation also in its campaign's, for the plan."""
        scopes = [("national", "KZ"), ("region", self.region)]
        if metric == "dumps_liquidated" and self.campaign_id:
            scopes += [("campaign", self.campaign_id), ("campaign_region", f"{self.campaign_id}:{self.region}")]
        return scopes

    def as_dict(self) -> dict:
        return {"region": self.region, "status": self.status, "hidden": self.hidden, "campaign_id": self.campaign_id}
