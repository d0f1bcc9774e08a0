"""The inline projection of event streams: events, registrations and waitlist, check-ins, results.

It runs in the append's transaction, so a command that locks the event row sees the counts and
the waitlist as of the last fact. It reads nothing but the facts (no clock, no account tables),
so a rebuild from the ledger gives the same rows.

Attendance facts on a volunteer's attendance stream (events/facts.py) write only their CheckIn row:
not the event's (neither its `version`, which is its own stream's, nor a count), so check-ins at one
event do not queue on that row's lock. Those recorded on the event's stream before read the same,
and move its version as every fact of that stream does.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.db.models import F

from events.facts import (
    DETAIL_FIELDS,
    MATERIAL_FIELDS,
    CheckInUndone,
    EventApproved,
    EventCancelled,
    EventChangeApproved,
    EventChangeProposed,
    EventChangeRejected,
    EventChangeWithdrawn,
    EventDetailsChanged,
    EventProposed,
    EventRejected,
    EventRescheduled,
    RegistrationCancelled,
    ResultLogged,
    ResultVerified,
    SurvivalChecked,
    VolunteerCheckedIn,
    VolunteerCheckedOut,
    VolunteerRegistered,
    WaitlistPromoted,
    is_attendance_stream,
)
from events.models import (
    CheckIn,
    Event,
    EventChange,
    Registration,
    Result,
    ResultReport,
    ResultVerification,
    SurvivalCheck,
    event_columns,
)
from events.verification import ADJUSTED, AWAITING, REJECTED, RESULT_FIGURES, VERIFIED, verified_result
from ledger.projections import InlineProjection, handler, register
from ledger.stored import StoredFact


def reported_figures(*, waste_kg: dict, trees: int, area_ha: str, headcount: int) -> dict[str, str]:
    """The figures of a result, flat: {"waste_kg.plastic": "120.5", "trees": "40", …}."""
    return _flat({"waste_kg": waste_kg, "trees": trees, "area_ha": area_ha, "headcount": headcount})


def _flat(figures: dict) -> dict[str, str]:
    """Result figures (any of events.verification.RESULT_FIGURES) as flat text, waste per kind."""
    flat = {}
    for name, value in figures.items():
        if name == "waste_kg":
            flat.update({f"waste_kg.{kind}": str(kg) for kind, kg in sorted(value.items())})
        else:
            flat[name] = str(value)
    return flat


def figures_after_report(reported: dict[str, str], before: dict[str, dict] | None = None) -> dict[str, dict]:
    """A new report (first or correction) awaits verification, every figure of it. A correction of
    a verified result keeps the verified figures (`before`'s) until the coordinator judges it: they
    still count, and a figure the correction drops stays listed as reported 0."""
    kept = {name: f["verified"] for name, f in (before or {}).items() if f.get("verified") is not None}
    if kept:
        reported = {**dict.fromkeys(kept, "0"), **reported}
        kept = {name: kept.get(name, "0") for name in reported}
    return {
        name: {"reported": value, "verified": kept.get(name), "status": AWAITING}
        for name, value in sorted(reported.items())
    }


def figures_after_verification(figures: dict[str, dict], data: dict, *, logged: dict) -> dict[str, dict]:
    """Accepted: as reported. Adjusted: events.verification.verified_result of the report judged
    (`logged`: its waste_kg, trees and tree_species), each kind of waste named replacing the
    organiser's, the rest standing. Rejected: none counts. The totals (stats.metrics) fold the
    same rule."""
    decision = data["decision"]
    if decision == REJECTED:
        # A rejected correction leaves the figures verified before it standing; a first report's count nowhere.
        return {
            name: {**f, "status": VERIFIED} if f.get("verified") is not None else {**f, "status": REJECTED}
            for name, f in figures.items()
        }
    verified = {name: f["reported"] for name, f in figures.items()}
    if decision == ADJUSTED:
        merged = verified_result(
            {**logged, "area_ha": verified.get("area_ha"), "headcount": verified.get("headcount")}, data
        )
        verified = {name: v for name, v in verified.items() if not name.startswith("waste_kg.")}
        verified.update({f"waste_kg.{kind}": "0" for kind in _waste_kinds(figures)})
        verified.update(_flat({name: merged[name] for name in RESULT_FIGURES}))
    return {
        name: {"reported": figures.get(name, {}).get("reported", "0"), "verified": value, "status": VERIFIED}
        for name, value in sorted(verified.items())
    }


def _waste_kinds(figures: dict[str, dict]) -> list[str]:
    return [name.removeprefix("waste_kg.") for name in figures if name.startswith("waste_kg.")]


@register
class EventParticipation(InlineProjection):
    name = "events.participation"
    # Parents first: reset() empties them in reverse.
    models = (Event, EventChange, Registration, CheckIn, ResultReport, ResultVerification, Result, SurvivalCheck)

    def apply(self, fact: StoredFact) -> None:
        super().apply(fact)
        if fact.type != EventProposed.fact_type and not is_attendance_stream(fact.stream):
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
        handlers = self.fact_handlers
        for fact in facts:
            data = fact.data
            if fact.type == VolunteerRegistered.fact_type:
                rows.registration(fact, data)
            elif fact.type == VolunteerCheckedIn.fact_type:
                rows.checkin(fact, data)
            else:
                rows.store()
                rows.count()  # counters never go below zero: a cancellation's decrement comes after
                handlers[fact.type](self, fact, data)
                if fact.type == EventProposed.fact_type:
                    continue
            if not is_attendance_stream(fact.stream):
                versions[data["event_id"]] = fact.version
        rows.store()
        for event_id, version in versions.items():
            # The last counter moves ride on the version's update: one statement per event.
            Event.objects.filter(pk=event_id).update(version=version, **rows.counter_changes(event_id))
        rows.count()  # events whose last fact was their proposal (no version to move)

    @handler(EventProposed)
    def _proposed(self, fact: StoredFact, d: dict) -> None:
        Event.objects.create(
            id=d["event_id"],
            campaign_id=d["campaign_id"],
            organisation_id=d["organisation_id"],
            organiser_id=d["organiser_id"],
            kind=d["kind"],
            region_id=d["region"],
            starts_at=fact.fact.starts_at,
            ends_at=fact.fact.ends_at,
            **event_columns({name: d[name] for name in DETAIL_FIELDS}),
            short_code=d["short_code"],
            status=Event.Status.PROPOSED,
            version=fact.version,
            proposed_at=fact.occurred_at,
        )

    @handler(EventDetailsChanged)
    def _details_changed(self, fact: StoredFact, d: dict) -> None:
        Event.objects.filter(pk=d["event_id"]).update(**event_columns({name: d[name] for name in DETAIL_FIELDS}))

    @handler(EventApproved)
    def _approved(self, fact: StoredFact, d: dict) -> None:
        Event.objects.filter(pk=d["event_id"]).update(
            status=Event.Status.APPROVED, coordinator_id=d["coordinator_id"], decided_at=fact.occurred_at
        )

    @handler(EventRejected)
    def _rejected(self, fact: StoredFact, d: dict) -> None:
        Event.objects.filter(pk=d["event_id"]).update(
            status=Event.Status.REJECTED,
            coordinator_id=d["coordinator_id"],
            status_reason=d["reason"],
            decided_at=fact.occurred_at,
        )

    @handler(EventRescheduled)
    def _rescheduled(self, fact: StoredFact, d: dict) -> None:
        Event.objects.filter(pk=d["event_id"]).update(starts_at=fact.fact.starts_at, ends_at=fact.fact.ends_at)

    @handler(EventCancelled)
    def _cancelled(self, fact: StoredFact, d: dict) -> None:
        Event.objects.filter(pk=d["event_id"]).update(
            status=Event.Status.CANCELLED, status_reason=d["reason"], cancelled_at=fact.occurred_at
        )

    @handler(EventChangeProposed)
    def _change_proposed(self, fact: StoredFact, d: dict) -> None:
        event = Event.objects.get(pk=d["event_id"])
        EventChange.objects.filter(event=event, status=EventChange.Status.PENDING).update(
            status=EventChange.Status.REPLACED, decided_at=fact.occurred_at
        )
        EventChange.objects.create(
            id=d["change_id"],
            event=event,
            previous={name: event.detail(name) for name in MATERIAL_FIELDS},
            proposed={name: d[name] for name in MATERIAL_FIELDS},
            proposed_at=fact.occurred_at,
        )

    @handler(EventChangeWithdrawn)
    def _change_withdrawn(self, fact: StoredFact, d: dict) -> None:
        EventChange.objects.filter(pk=d["change_id"]).update(
            status=EventChange.Status.WITHDRAWN, decided_at=fact.occurred_at
        )

    @handler(EventChangeApproved)
    def _change_approved(self, fact: StoredFact, d: dict) -> None:
        change = EventChange.objects.get(pk=d["change_id"])
        change.status = EventChange.Status.APPROVED
        change.decided_at = fact.occurred_at
        change.save(update_fields=["status", "decided_at"])
        Event.objects.filter(pk=d["event_id"]).update(**event_columns(change.proposed))

    @handler(EventChangeRejected)
    def _change_rejected(self, fact: StoredFact, d: dict) -> None:
        EventChange.objects.filter(pk=d["change_id"]).update(
            status=EventChange.Status.REJECTED, reason=d["reason"], decided_at=fact.occurred_at
        )

    @handler(VolunteerRegistered)
    def _registered(self, fact: StoredFact, d: dict) -> None:
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

    @handler(RegistrationCancelled)
    def _registration_cancelled(self, fact: StoredFact, d: dict) -> None:
        registration = Registration.objects.get(pk=d["registration_id"])
        counter = "waitlisted_count" if registration.status == Registration.Status.WAITLISTED else "registered_count"
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = fact.occurred_at
        registration.save(update_fields=["status", "cancelled_at"])
        Event.objects.filter(pk=d["event_id"]).update(**{counter: F(counter) - 1})

    @handler(WaitlistPromoted)
    def _promoted(self, fact: StoredFact, d: dict) -> None:
        Registration.objects.filter(pk=d["registration_id"]).update(
            status=Registration.Status.REGISTERED, promoted_at=fact.occurred_at
        )
        Event.objects.filter(pk=d["event_id"]).update(
            registered_count=F("registered_count") + 1, waitlisted_count=F("waitlisted_count") - 1
        )

    @handler(VolunteerCheckedIn)
    def _checked_in(self, fact: StoredFact, d: dict) -> None:
        CheckIn.objects.create(
            id=fact.fact_id,
            event_id=d["event_id"],
            volunteer_id=d["volunteer_id"],
            registration_id=d["registration_id"],
            method=d["method"],
            age_band=d["age_band"],
            checked_in_at=fact.fact.checked_in_at,
        )

    @handler(VolunteerCheckedOut)
    def _checked_out(self, fact: StoredFact, d: dict) -> None:
        CheckIn.objects.filter(event_id=d["event_id"], volunteer_id=d["volunteer_id"]).update(
            checked_out_at=fact.fact.checked_out_at
        )

    @handler(CheckInUndone)
    def _checkin_undone(self, fact: StoredFact, d: dict) -> None:
        # The row goes: the check-in no longer counts, and the person may be checked in anew (one
        # check-in per volunteer and event). The ledger keeps both facts.
        CheckIn.objects.filter(pk=d["checkin_id"]).delete()

    @handler(ResultLogged)
    def _result_logged(self, fact: StoredFact, d: dict) -> None:
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
        before = Result.objects.filter(event_id=d["event_id"]).values_list("figures", flat=True).first()
        figures = figures_after_report(
            reported_figures(waste_kg=d["waste_kg"], trees=d["trees"], area_ha=d["area_ha"], headcount=d["headcount"]),
            before,
        )
        Result.objects.update_or_create(
            event_id=d["event_id"],
            defaults={"version": fact.version, "report": report, "status": Result.Status.AWAITING, "figures": figures},
        )

    @handler(ResultVerified)
    def _result_verified(self, fact: StoredFact, d: dict) -> None:
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
            tree_species=d["tree_species"],
            reason=d["reason"],
            verified_at=fact.occurred_at,
        )
        result = Result.objects.select_related("report").get(event_id=d["event_id"])
        if result.version != d["result_version"]:
            return  # a decision on a superseded report is history only
        report = result.report
        logged = {"waste_kg": report.waste_kg, "trees": report.trees, "tree_species": report.tree_species}
        result.figures = figures_after_verification(result.figures, d, logged=logged)
        result.status = d["decision"]
        result.verified_version = d["result_version"]
        result.save(update_fields=["figures", "status", "verified_version"])

    @handler(SurvivalChecked)
    def _survival_checked(self, fact: StoredFact, d: dict) -> None:
        # A later check of the same label is a correction: it supersedes, the earlier row stays.
        SurvivalCheck.objects.filter(event_id=d["event_id"], label=d["label"], current=True).update(current=False)
        SurvivalCheck.objects.create(
            id=fact.fact_id,
            event_id=d["event_id"],
            version=fact.version,
            label=d["label"],
            counted_on=d["counted_on"],
            alive=d["alive"],
            planted=d["planted"],
            alive_total=sum(d["alive"].values()),
            planted_total=sum(d["planted"].values()),
            counter_id=d["counter_id"],
            counted_as=d["counted_as"],
            note=d["note"],
            recorded_at=fact.occurred_at,
        )


_REGISTRATION_COLUMNS = ("id", "event_id", "volunteer_id", "age_band", "status", "waitlist_order", "registered_at")
_CHECKIN_COLUMNS = ("id", "event_id", "volunteer_id", "registration_id", "method", "age_band", "checked_in_at")


class _Rows:
    """Registrations and check-ins of apply_many() waiting to be stored, and the counter moves
    they make per event: [registered, waitlisted]."""

    def __init__(self) -> None:
        self.registrations: list[tuple] = []
        self.checkins: list[tuple] = []
        self.counts: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])

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

    def counter_changes(self, event_id: str) -> dict:
        registered, waitlisted = self.counts.pop(event_id, (0, 0))
        changes = {}
        if registered:
            changes["registered_count"] = F("registered_count") + registered
        if waitlisted:
            changes["waitlisted_count"] = F("waitlisted_count") + waitlisted
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
