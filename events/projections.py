"""The inline projection of event streams: events, registrations and waitlist, check-ins, results.

It runs in the append's transaction, so a command that locks the event row sees the counts and
the waitlist as of the last fact. It reads nothing but the facts (no clock, no account tables),
so a rebuild from the ledger gives the same rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.db.models import F

from events.facts import DETAIL_FIELDS, MATERIAL_FIELDS
from events.models import CheckIn, Event, EventChange, Registration, Result, ResultReport, ResultVerification
from ledger.projections import InlineProjection, register
from ledger.store import StoredFact

VERIFIED = "verified"
AWAITING = "awaiting"
REJECTED = "rejected"


def reported_figures(*, waste_kg: dict, trees: int, area_ha: str, headcount: int) -> dict[str, str]:
    """The figures of a result, flat: {"waste_kg.plastic": "120.5", "trees": "40", …}."""
    figures = {f"waste_kg.{kind}": str(value) for kind, value in sorted(waste_kg.items())}
    figures.update({"trees": str(trees), "area_ha": str(area_ha), "headcount": str(headcount)})
    return figures


def figures_after_report(reported: dict[str, str]) -> dict[str, dict]:
    """A new report (first or correction) awaits verification, every figure of it."""
    return {name: {"reported": value, "verified": None, "status": AWAITING} for name, value in reported.items()}


def figures_after_verification(figures: dict[str, dict], data: dict) -> dict[str, dict]:
    """Accepted: as reported. Adjusted: the figures the coordinator names replace the reported ones
    (waste as a whole breakdown), the rest stand. Rejected: none counts. As stats.metrics folds it."""
    decision = data["decision"]
    if decision == "rejected":
        return {name: {**f, "verified": None, "status": REJECTED} for name, f in figures.items()}
    verified = {name: f["reported"] for name, f in figures.items()}
    if decision == "adjusted":
        if data.get("waste_kg") is not None:
            verified = {name: v for name, v in verified.items() if not name.startswith("waste_kg.")}
            verified.update({f"waste_kg.{kind}": "0" for kind in _waste_kinds(figures)})
            verified.update({f"waste_kg.{kind}": str(value) for kind, value in data["waste_kg"].items()})
        for name in ("trees", "area_ha", "headcount"):
            if data.get(name) is not None:
                verified[name] = str(data[name])
    return {
        name: {"reported": figures.get(name, {}).get("reported", "0"), "verified": value, "status": VERIFIED}
        for name, value in sorted(verified.items())
    }


def _waste_kinds(figures: dict[str, dict]) -> list[str]:
    return [name.removeprefix("waste_kg.") for name in figures if name.startswith("waste_kg.")]


@register
class EventParticipation(InlineProjection):
    name = "events.participation"
    handles = frozenset(
        {
            "EventProposed",
            "EventDetailsChanged",
            "EventApproved",
            "EventRejected",
            "EventRescheduled",
            "EventCancelled",
            "EventChangeProposed",
            "EventChangeWithdrawn",
            "EventChangeApproved",
            "EventChangeRejected",
            "VolunteerRegistered",
            "RegistrationCancelled",
            "WaitlistPromoted",
            "VolunteerCheckedIn",
            "VolunteerCheckedOut",
            "CheckInUndone",
            "ResultLogged",
            "ResultVerified",
        }
    )
    # Parents first: reset() empties them in reverse.
    models = (Event, EventChange, Registration, CheckIn, ResultReport, ResultVerification, Result)

    def apply(self, fact: StoredFact) -> None:
        getattr(self, f"_{fact.type}")(fact, fact.data)
        if fact.type != "EventProposed":
            Event.objects.filter(pk=fact.data["event_id"]).update(version=fact.version)

    def apply_many(self, facts: list[StoredFact]) -> None:
        """The same rows as apply() fact by fact, set-wise: a bulk import or a rebuild appends
        registrations and check-ins by the thousand, and three statements for each would be most
        of its time. Registrations and check-ins are collected and stored in one COPY (PostgreSQL)
        or bulk INSERT, each event's counters and version move once at the end. Any other fact is
        applied as by apply(), after the rows collected before it are stored (its handler may read
        them: a cancellation reads the registration)."""
        if len(facts) < 2:
            for fact in facts:
                self.apply(fact)
            return
        rows = _Rows()
        versions: dict[str, int] = {}
        for fact in facts:
            data = fact.data
            if fact.type == "VolunteerRegistered":
                rows.registration(fact, data)
            elif fact.type == "VolunteerCheckedIn":
                rows.checkin(fact, data)
            else:
                rows.store()
                rows.count()  # counters never go below zero: a cancellation's decrement comes after
                getattr(self, f"_{fact.type}")(fact, data)
                if fact.type == "EventProposed":
                    continue
            versions[data["event_id"]] = fact.version
        rows.store()
        for event_id, version in versions.items():
            # The last counter moves ride on the version's update: one statement per event.
            Event.objects.filter(pk=event_id).update(version=version, **rows.counter_changes(event_id))
        rows.count()  # events whose last fact was their proposal (no version to move)

    def _EventProposed(self, fact: StoredFact, d: dict) -> None:
        Event.objects.create(
            id=d["event_id"],
            campaign_id=d["campaign_id"],
            organisation_id=d["organisation_id"],
            organiser_id=d["organiser_id"],
            kind=d["kind"],
            title=d["title"],
            description=d["description"],
            region_id=d["region"],
            address=d["address"],
            latitude=d["latitude"],
            longitude=d["longitude"],
            starts_at=fact.fact.starts_at,
            ends_at=fact.fact.ends_at,
            capacity=d["capacity"],
            what_to_bring=d["what_to_bring"],
            short_code=d["short_code"],
            status=Event.Status.PROPOSED,
            version=fact.version,
            proposed_at=fact.occurred_at,
        )

    def _EventDetailsChanged(self, fact: StoredFact, d: dict) -> None:
        Event.objects.filter(pk=d["event_id"]).update(**{name: d[name] for name in DETAIL_FIELDS})

    def _EventApproved(self, fact: StoredFact, d: dict) -> None:
        Event.objects.filter(pk=d["event_id"]).update(
            status=Event.Status.APPROVED, coordinator_id=d["coordinator_id"], decided_at=fact.occurred_at
        )

    def _EventRejected(self, fact: StoredFact, d: dict) -> None:
        Event.objects.filter(pk=d["event_id"]).update(
            status=Event.Status.REJECTED,
            coordinator_id=d["coordinator_id"],
            status_reason=d["reason"],
            decided_at=fact.occurred_at,
        )

    def _EventRescheduled(self, fact: StoredFact, d: dict) -> None:
        Event.objects.filter(pk=d["event_id"]).update(starts_at=fact.fact.starts_at, ends_at=fact.fact.ends_at)

    def _EventCancelled(self, fact: StoredFact, d: dict) -> None:
        Event.objects.filter(pk=d["event_id"]).update(
            status=Event.Status.CANCELLED, status_reason=d["reason"], cancelled_at=fact.occurred_at
        )

    def _EventChangeProposed(self, fact: StoredFact, d: dict) -> None:
        event = Event.objects.get(pk=d["event_id"])
        EventChange.objects.filter(event=event, status=EventChange.Status.PENDING).update(
            status=EventChange.Status.REPLACED, decided_at=fact.occurred_at
        )
        EventChange.objects.create(
            id=d["change_id"],
            event=event,
            previous={name: getattr(event, name) for name in MATERIAL_FIELDS},
            proposed={name: d[name] for name in MATERIAL_FIELDS},
            proposed_at=fact.occurred_at,
        )

    def _EventChangeWithdrawn(self, fact: StoredFact, d: dict) -> None:
        EventChange.objects.filter(pk=d["change_id"]).update(
            status=EventChange.Status.WITHDRAWN, decided_at=fact.occurred_at
        )

    def _EventChangeApproved(self, fact: StoredFact, d: dict) -> None:
        change = EventChange.objects.get(pk=d["change_id"])
        change.status = EventChange.Status.APPROVED
        change.decided_at = fact.occurred_at
        change.save(update_fields=["status", "decided_at"])
        Event.objects.filter(pk=d["event_id"]).update(**change.proposed)

    def _EventChangeRejected(self, fact: StoredFact, d: dict) -> None:
        EventChange.objects.filter(pk=d["change_id"]).update(
            status=EventChange.Status.REJECTED, reason=d["reason"], decided_at=fact.occurred_at
        )

    def _VolunteerRegistered(self, fact: StoredFact, d: dict) -> None:
        waitlisted = d["waitlisted"]
        Registration.objects.create(
            id=d["registration_id"],
            event_id=d["event_id"],
            volunteer_id=d["volunteer_id"],
            age_band=d["age_band"],
            status=Registration.Status.WAITLISTED if waitlisted else Registration.Status.REGISTERED,
            waitlist_order=fact.version if waitlisted else None,
            registered_at=fact.occurred_at,
        )
        counter = "waitlisted_count" if waitlisted else "registered_count"
        Event.objects.filter(pk=d["event_id"]).update(**{counter: F(counter) + 1})

    def _RegistrationCancelled(self, fact: StoredFact, d: dict) -> None:
        registration = Registration.objects.get(pk=d["registration_id"])
        counter = "waitlisted_count" if registration.status == Registration.Status.WAITLISTED else "registered_count"
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = fact.occurred_at
        registration.save(update_fields=["status", "cancelled_at"])
        Event.objects.filter(pk=d["event_id"]).update(**{counter: F(counter) - 1})

    def _WaitlistPromoted(self, fact: StoredFact, d: dict) -> None:
        Registration.objects.filter(pk=d["registration_id"]).update(
            status=Registration.Status.REGISTERED, promoted_at=fact.occurred_at
        )
        Event.objects.filter(pk=d["event_id"]).update(
            registered_count=F("registered_count") + 1, waitlisted_count=F("waitlisted_count") - 1
        )

    def _VolunteerCheckedIn(self, fact: StoredFact, d: dict) -> None:
        CheckIn.objects.create(
            id=fact.fact_id,
            event_id=d["event_id"],
            volunteer_id=d["volunteer_id"],
            registration_id=d["registration_id"],
            method=d["method"],
            age_band=d["age_band"],
            checked_in_at=fact.fact.checked_in_at,
        )
        Event.objects.filter(pk=d["event_id"]).update(checked_in_count=F("checked_in_count") + 1)

    def _VolunteerCheckedOut(self, fact: StoredFact, d: dict) -> None:
        CheckIn.objects.filter(event_id=d["event_id"], volunteer_id=d["volunteer_id"]).update(
            checked_out_at=fact.fact.checked_out_at
        )

    def _CheckInUndone(self, fact: StoredFact, d: dict) -> None:
        # The row goes: the check-in no longer counts, and the person may be checked in anew (one
        # check-in per volunteer and event). The ledger keeps both facts.
        if CheckIn.objects.filter(pk=d["checkin_id"]).delete()[0]:
            Event.objects.filter(pk=d["event_id"]).update(checked_in_count=F("checked_in_count") - 1)

    def _ResultLogged(self, fact: StoredFact, d: dict) -> None:
        report = ResultReport.objects.create(
            id=fact.fact_id,
            event_id=d["event_id"],
            version=fact.version,
            waste_kg=d["waste_kg"],
            trees=d["trees"],
            tree_species=d["tree_species"],
            area_ha=Decimal(d["area_ha"]),
            headcount=d["headcount"],
            justification=d["justification"],
            correction_reason=d["correction_reason"],
            logged_by=fact.meta.get("actor_id"),
            logged_at=fact.occurred_at,
        )
        figures = figures_after_report(
            reported_figures(waste_kg=d["waste_kg"], trees=d["trees"], area_ha=d["area_ha"], headcount=d["headcount"])
        )
        Result.objects.update_or_create(
            event_id=d["event_id"],
            defaults={"version": fact.version, "report": report, "status": Result.Status.AWAITING, "figures": figures},
        )

    def _ResultVerified(self, fact: StoredFact, d: dict) -> None:
        ResultVerification.objects.create(
            id=fact.fact_id,
            event_id=d["event_id"],
            coordinator_id=d["coordinator_id"],
            decision=d["decision"],
            result_version=d["result_version"],
            waste_kg=d["waste_kg"],
            trees=d["trees"],
            area_ha=Decimal(d["area_ha"]) if d["area_ha"] is not None else None,
            headcount=d["headcount"],
            reason=d["reason"],
            verified_at=fact.occurred_at,
        )
        result = Result.objects.get(event_id=d["event_id"])
        if result.version != d["result_version"]:
            return  # a decision on a superseded report is history only
        result.figures = figures_after_verification(result.figures, d)
        result.status = d["decision"]
        result.verified_version = d["result_version"]
        result.save(update_fields=["figures", "status", "verified_version"])


_REGISTRATION_COLUMNS = ("id", "event_id", "volunteer_id", "age_band", "status", "waitlist_order", "registered_at")
_CHECKIN_COLUMNS = ("id", "event_id", "volunteer_id", "registration_id", "method", "age_band", "checked_in_at")


class _Rows:
    """Registrations and check-ins of apply_many() waiting to be stored, and the counter moves
    they make per event: [registered, waitlisted, checked in]."""

    def __init__(self) -> None:
        self.registrations: list[tuple] = []
        self.checkins: list[tuple] = []
        self.counts: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0, 0])

    def registration(self, fact: StoredFact, d: dict) -> None:
        waitlisted = d["waitlisted"]
        self.registrations.append(
            (
                d["registration_id"],
                d["event_id"],
                d["volunteer_id"],
                d["age_band"],
                Registration.Status.WAITLISTED if waitlisted else Registration.Status.REGISTERED,
                fact.version if waitlisted else None,
                fact.occurred_at,
            )
        )
        self.counts[d["event_id"]][1 if waitlisted else 0] += 1

    def checkin(self, fact: StoredFact, d: dict) -> None:
        self.checkins.append(
            (
                fact.fact_id,
                d["event_id"],
                d["volunteer_id"],
                d["registration_id"],
                d["method"],
                d["age_band"],
                # The fact's own parsing (fact.fact) validates every field again: this is the same value.
                dt.datetime.fromisoformat(d["checked_in_at"]),
            )
        )
        self.counts[d["event_id"]][2] += 1

    def counter_changes(self, event_id: str) -> dict:
        registered, waitlisted, checked_in = self.counts.pop(event_id, (0, 0, 0))
        changes = {}
        if registered:
            changes["registered_count"] = F("registered_count") + registered
        if waitlisted:
            changes["waitlisted_count"] = F("waitlisted_count") + waitlisted
        if checked_in:
            changes["checked_in_count"] = F("checked_in_count") + checked_in
        return changes

    def count(self) -> None:
        """Move the counters of the rows stored so far."""
        for event_id in list(self.counts):
            Event.objects.filter(pk=event_id).update(**self.counter_changes(event_id))

    def store(self) -> None:
        if self.registrations:
            _insert(Registration, _REGISTRATION_COLUMNS, self.registrations)
            self.registrations = []
        if self.checkins:
            _insert(CheckIn, _CHECKIN_COLUMNS, self.checkins)
            self.checkins = []


def _insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """New rows of `model`, all at once; a row that breaks a constraint fails the whole append, as
    its create() would have."""
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    model.objects.bulk_create([model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=500)
