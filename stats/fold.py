"""The fold of the totals: facts in, changes out. Pure: no database, no clock but the instant it is
given (the totals' clock, stats.crediting), deterministic.

`fold_facts(facts, before)` takes a batch of facts in ledger order and what the tables hold of the
events it names (`Before`), and returns every change to make to the tables (`Changes`): the
events' new figures, the attendances to insert, update and delete, and what to add to each
aggregate row (national, region, campaign, organisation, per day, per volunteer). The per-event
rules are stats.metrics'; this module keeps the books around them.

stats.projections runs it both ways, so there is one fold, not two: on each batch, with `before`
read from the tables and the changes written back set-wise (stats.bulk), and over the whole ledger
at once from nothing (`compute()`, where the changes are the tables). `ledger verify` then checks
that folding batch after batch through the tables comes to the same as folding every fact at once:
the batch boundaries, what is read and what is written.

Why `before` is enough: a batch needs an event's stored attendances only where the facts name them
(a check-in, a check-out, an undo: `attendances_needed`), and all of an event's when its
attendances' time or tallies all move (a reschedule moves its end; an event that starts or stops
counting moves its volunteers' tallies). The first two are known from the facts, the last only
once they are folded: `Changes.missing` then names the events to read whole before folding again.
Volunteer time is a union over all of a person's attendances (events.hours), so every attendance
of a volunteer whose time may move (a check-in, check-out or undo of theirs, or an event of theirs
read whole) is needed too: `Before.people`, and `Changes.missing_people` for those it lacked.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from campaigns.facts import CampaignClosed, CampaignLaunched, CampaignTargetsSet
from events.facts import (
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
from events.hours import Stay, credited_seconds
from ledger.projections import FactHandlers, fact_types, handler
from ledger.stored import StoredFact
from stats.metrics import (
    DUMP_FACT_CLASSES,
    NOT_COUNTED,
    TARGET_METRICS,
    VERIFIED,
    DumpState,
    EventState,
    is_youth,
    parse_time,
    to_stored,
)

RESCHEDULED = EventRescheduled.fact_type
LIQUIDATED = "DumpLiquidated"
ATTENDANCE_FACTS = fact_types(VolunteerCheckedIn, VolunteerCheckedOut, CheckInUndone)

Key = tuple[str, str]  # (event id, volunteer id)
_NONE: dict = {}  # read only


@dataclasses.dataclass(slots=True)
class Attended:
    """A volunteer checked in at an event: counted once, however often they were scanned."""

    event_id: str
    volunteer_id: str
    age_band: str
    # As stored, or as the fact gave it: ISO text, parsed only to count the time (and sent to
    # PostgreSQL as it is), so a replay of the ledger does not keep two millions of both.
    checked_in_at: dt.datetime | str
    checked_out_at: dt.datetime | None = None
    seconds: int = 0
    pk: int | None = None  # its row; None: first checked in by this batch
    checked_out: bool = False  # by a fact of this batch


@dataclasses.dataclass
class Before:
    """What the tables hold of a batch's events before it is folded (nothing, for a replay)."""

    events: dict[str, EventState] = dataclasses.field(default_factory=dict)
    # event -> volunteer -> attendance: the stored ones the batch names, and all of `whole`'s
    attendances: dict[str, dict[str, Attended]] = dataclasses.field(default_factory=dict)
    whole: frozenset[str] = frozenset()
    # Volunteers whose every stored attendance (at any event) is in `attendances`, with its event.
    people: frozenset[str] = frozenset()
    # Events whose start or end the clock passed since the tables were last folded.
    crossed: frozenset[str] = frozenset()
    complete: bool = False  # nothing is stored beyond this (a replay from nothing)
    dumps: dict[str, DumpState] = dataclasses.field(default_factory=dict)  # the dumps the batch names

    def knows_every_attendance(self, event_id: str) -> bool:
        # EventFigures.volunteers counts the event's stored attendances: as many here, none missing.
        state = self.events.get(event_id)
        return state is None or event_id in self.whole or len(self.attendances.get(event_id, _NONE)) == state.volunteers

    def knows_every_attendance_of(self, volunteer_id: str) -> bool:
        return self.complete or volunteer_id in self.people


@dataclasses.dataclass
class Changes:
    """What a batch changes. Deltas are added to the rows; events and attendances are absolute."""

    events: dict[str, EventState] = dataclasses.field(default_factory=dict)  # every event named
    dumps: dict[str, DumpState] = dataclasses.field(default_factory=dict)  # every dump named
    new: list[Attended] = dataclasses.field(default_factory=list)  # first check-ins
    changed: list[Attended] = dataclasses.field(default_factory=list)  # stored: check-out or time moved
    undone: list[int] = dataclasses.field(default_factory=list)  # stored attendances taken back
    totals: dict[tuple[str, str, str], list[int]] = dataclasses.field(default_factory=dict)  # (scope, key, metric)
    daily: dict[tuple[str, dt.date, str], list[int]] = dataclasses.field(default_factory=dict)  # (region, day, metric)
    volunteers: dict[str, list[int]] = dataclasses.field(default_factory=dict)  # volunteer -> [events, seconds]
    plans: dict[str, dict] = dataclasses.field(default_factory=dict)  # campaign -> name, starts_on, ends_on
    closed: set[str] = dataclasses.field(default_factory=set)
    targets: dict[tuple[str, str, str], int] = dataclasses.field(default_factory=dict)  # (campaign, region, metric)
    # Events whose every stored attendance the fold needed and `before` lacked: read them, fold again.
    missing: frozenset[str] = frozenset()
    # Volunteers likewise: their time is a union over all their events (events.hours).
    missing_people: frozenset[str] = frozenset()


def attendances_needed(facts: Iterable[StoredFact], events: dict[str, EventState]) -> tuple[set[Key], set[str]]:
    """The stored attendances a fold of `facts` must be given, beside the events' figures: those the
    facts name, and every one of the events they reschedule. An event with no volunteer stored has
    none to give."""
    stored = {event_id for event_id, state in events.items() if state.volunteers}
    keys: set[Key] = set()
    whole: set[str] = set()
    if not stored:
        return keys, whole
    for fact in facts:
        if fact.type in ATTENDANCE_FACTS:
            event_id = fact.data["event_id"]
            if event_id in stored:
                keys.add((event_id, fact.data["volunteer_id"]))
        elif fact.type == RESCHEDULED and fact.data["event_id"] in stored:
            whole.add(fact.data["event_id"])
    return {key for key in keys if key[0] not in whole}, whole


def fold_facts(facts: Iterable[StoredFact], before: Before, *, now: dt.datetime) -> Changes:
    """Fold a batch (in ledger order) onto what the tables hold of its events, as of `now` (the
    totals' clock: which events have started, which have ended). `before` is left as it was, so the
    same batch can be folded again with more of it."""
    batch = _Batch(before, now)
    handlers = {name: fold.__get__(batch) for name, fold in batch.fact_handlers.items()}  # bound, once
    for fact in facts:
        handler = handlers.get(fact.type)
        if handler is not None:
            handler(fact)
    return batch.changes()


class _Batch(FactHandlers):
    """A fold under way: the events and attendances as the facts so far leave them."""

    def __init__(self, before: Before, now: dt.datetime) -> None:
        self.before = before
        self.now = now
        self.out = Changes()
        self.people: set[str] = set()  # volunteers whose attendances the facts changed
        # Copies: `before` stays as it was read.
        self.states = {event_id: dataclasses.replace(state) for event_id, state in before.events.items()}
        self.attending = {
            event_id: {volunteer_id: dataclasses.replace(a) for volunteer_id, a in volunteers.items()}
            for event_id, volunteers in before.attendances.items()
        }
        self.dumps = {dump_id: dataclasses.replace(state) for dump_id, state in before.dumps.items()}

    # --- one fact ----------------------------------------------------------------------------------

    @handler(EventProposed)
    def _proposed(self, fact: StoredFact) -> None:
        data = fact.data
        if data["event_id"] not in self.states:
            self.states[data["event_id"]] = EventState.proposed(data)

    @handler(
        EventApproved, EventRejected, EventRescheduled, EventCancelled, ResultLogged, ResultVerified, SurvivalChecked
    )
    def _event_fact(self, fact: StoredFact) -> None:
        """Approval, rejection, cancellation, reschedule, results, their verification, survival checks."""
        state = self.states.get(fact.data["event_id"])
        if state is not None:  # else a fact about an event never proposed: nothing to count it under
            state.apply(fact.type, fact.data, fact.version)

    @handler(VolunteerCheckedIn)
    def _checked_in(self, fact: StoredFact) -> None:
        data = fact.data
        event_id = data["event_id"]
        state = self.states.get(event_id)
        if state is None:
            return
        volunteers = self.attending.get(event_id)
        if volunteers is None:
            volunteers = self.attending[event_id] = {}
        volunteer_id = data["volunteer_id"]
        if volunteer_id not in volunteers:
            band = data["age_band"]
            volunteers[volunteer_id] = Attended(state.event_id, volunteer_id, band, data["checked_in_at"])
            self.people.add(volunteer_id)
            state.volunteers += 1
            state.youth += is_youth(band)

    @handler(VolunteerCheckedOut)
    def _checked_out(self, fact: StoredFact) -> None:
        data = fact.data
        attendance = self.attending.get(data["event_id"], _NONE).get(data["volunteer_id"])
        if attendance is not None:
            attendance.checked_out_at = parse_time(data["checked_out_at"])
            attendance.checked_out = True
            self.people.add(attendance.volunteer_id)

    @handler(CheckInUndone)
    def _undone(self, fact: StoredFact) -> None:
        """The attendance no longer counts; a later check-in of the volunteer counts anew."""
        data = fact.data
        attendance = self.attending.get(data["event_id"], _NONE).pop(data["volunteer_id"], None)
        if attendance is None:
            return
        self.people.add(attendance.volunteer_id)
        state = self.states[data["event_id"]]
        state.volunteers -= 1
        state.youth -= is_youth(attendance.age_band)
        if attendance.pk is not None:
            state.seconds -= attendance.seconds  # as stored (the time of this batch's is added at the end)
            self.out.undone.append(attendance.pk)

    @handler(*DUMP_FACT_CLASSES)
    def _dump_fact(self, fact: StoredFact) -> None:
        """A dump's story: reported, imported, confirmed, dismissed, merged, liquidated, reopened, hidden."""
        data = fact.data
        state = self.dumps.get(data["dump_id"])
        if state is None:
            state = DumpState.first_of(fact.type, data)
            if state is None:
                return  # a fact about a dump never reported nor imported: nothing to count it under
            self.dumps[state.dump_id] = state
        state.apply(fact.type, data)
        if fact.type == LIQUIDATED:
            event = self.states.get(data["event_id"])
            state.campaign_id = event.campaign_id if event is not None else ""

    @handler(CampaignLaunched)
    def _launched(self, fact: StoredFact) -> None:
        data = fact.data
        campaign_id = data["campaign_id"]
        self.out.plans[campaign_id] = {"name": data["name"], "starts_on": data["starts_on"], "ends_on": data["ends_on"]}
        self.out.closed.discard(campaign_id)

    @handler(CampaignClosed)
    def _closed(self, fact: StoredFact) -> None:
        self.out.closed.add(fact.data["campaign_id"])

    @handler(CampaignTargetsSet)
    def _targets_set(self, fact: StoredFact) -> None:
        data = fact.data
        for target in data["targets"]:
            if target["metric"] in TARGET_METRICS:
                key = (data["campaign_id"], target["region"], TARGET_METRICS[target["metric"]])
                self.out.targets[key] = to_stored(target["metric"], target["value"])  # the last one stands

    # --- the batch's end ---------------------------------------------------------------------------

    def changes(self) -> Changes:
        # Whether an event has started is the clock's; the time it gives, per person, is the union
        # of their credited attendances (events.hours). So a reschedule, the clock passing an
        # event's start or end, or an event starting or stopping to count moves the time of all its
        # volunteers, and each of them may move their other events' time: read whole, every one.
        for state in self.states.values():
            state.started = state.starts_at <= self.now
        moved = {event_id for event_id, state in self.states.items() if state.rescheduled} | self.before.crossed
        counted_before = {e for e, state in self.before.events.items() if state.status != NOT_COUNTED}
        counted = {event_id for event_id, state in self.states.items() if state.status != NOT_COUNTED}
        whole = moved | (counted_before ^ counted)
        missing = {e for e in whole if not self.before.knows_every_attendance(e)}
        if missing:
            return Changes(missing=frozenset(missing))
        people = set(self.people)
        for event_id in whole:
            people.update(self.attending.get(event_id, _NONE))
            people.update(self.before.attendances.get(event_id, _NONE))
        missing_people = {v for v in people if not self.before.knows_every_attendance_of(v)}
        if missing_people:
            return Changes(missing_people=frozenset(missing_people))
        self._settle_attendances(people, counted_before, counted)
        self._add_contributions()
        self.out.events = self.states
        self.out.dumps = self.dumps
        return self.out

    def _settle_attendances(self, people: set[str], counted_before: set[str], counted: set[str]) -> None:
        """Time credited to each attendance of the people touched, and what the volunteers' tallies
        gain or lose."""
        by_person: dict[str, list[Attended]] = defaultdict(list)
        for volunteers in self.attending.values():
            for a in volunteers.values():
                if a.volunteer_id in people:
                    by_person[a.volunteer_id].append(a)
        new, changed, states, now = self.out.new, self.out.changed, self.states, self.now
        for attended in by_person.values():
            stays = []
            for index, a in enumerate(attended):
                state = states[a.event_id]
                checked_in = parse_time(a.checked_in_at)
                stays.append(
                    Stay(
                        index,
                        a.event_id,
                        checked_in,
                        a.checked_out_at,
                        state.starts_at,
                        state.ends_at,
                        a.event_id in counted,
                    )
                )
            credited = credited_seconds(stays, now)
            for index, a in enumerate(attended):
                seconds = credited[index]
                state = states[a.event_id]
                if a.pk is None:
                    a.seconds = seconds
                    state.seconds += seconds
                    new.append(a)
                elif a.checked_out or seconds != a.seconds:
                    state.seconds += seconds - a.seconds
                    a.seconds = seconds
                    changed.append(a)
        tallies: dict[str, list[int]] = {}
        for event_id, volunteers in self.attending.items():
            if event_id in counted:
                for a in volunteers.values():
                    tally = tallies.get(a.volunteer_id)
                    if tally is None:
                        tallies[a.volunteer_id] = [1, a.seconds]
                    else:
                        tally[0] += 1
                        tally[1] += a.seconds
        for event_id, volunteers in self.before.attendances.items():
            if event_id in counted_before:
                for a in volunteers.values():
                    tally = tallies.setdefault(a.volunteer_id, [0, 0])
                    tally[0] -= 1
                    tally[1] -= a.seconds
        self.out.volunteers = {volunteer_id: tally for volunteer_id, tally in tallies.items() if any(tally)}

    def _add_contributions(self) -> None:
        """Every row an event is summed into moves by its new contribution less its old one."""
        totals: defaultdict[tuple, list[int]] = defaultdict(lambda: [0, 0])
        daily: defaultdict[tuple, list[int]] = defaultdict(lambda: [0, 0])
        for event_id, state in self.states.items():
            if event_id in self.before.events:
                _add_contribution(totals, daily, self.before.events[event_id], -1)
            _add_contribution(totals, daily, state, +1)
        for dump_id, state in self.dumps.items():
            if dump_id in self.before.dumps:
                _add_dump(totals, self.before.dumps[dump_id], -1)
            _add_dump(totals, state, +1)
        self.out.totals = {key: values for key, values in totals.items() if any(values)}
        self.out.daily = {key: values for key, values in daily.items() if any(values)}


def _add_contribution(totals: defaultdict, daily: defaultdict, state: EventState, sign: int) -> None:
    """Add (sign = 1) or take away (sign = -1) an event's figures in every row it is summed into."""
    vector = state.vector()
    if not vector:
        return  # not counted
    column = 0 if state.status == VERIFIED else 1
    scopes = state.scopes()
    region, day = state.region, state.day
    for metric, value in vector.items():
        for scope, key in scopes:
            totals[(scope, key, metric)][column] += sign * value
        daily[(region, day, metric)][column] += sign * value


def _add_dump(totals: defaultdict, state: DumpState, sign: int) -> None:
    """A dump's figures in its rows, in the verified column (found and liquidated are decisions)."""
    for metric, value in state.vector().items():
        for scope, key in state.scopes(metric):
            totals[(scope, key, metric)][0] += sign * value
