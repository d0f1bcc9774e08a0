"""The async projection of the public totals: folds campaign and event facts into stats.models.

A batch is folded set-wise: the events it touches are loaded once, the facts applied in memory
(stats.metrics.EventState), and every aggregate row (national, region, campaign, organisation,
per day) moves by the difference between each event's old and new contribution, added inside
PostgreSQL with one upsert per table. A correction, a verification or a cancellation therefore
replaces an event's figures in every total at once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection

from ledger.projections import AsyncProjection, register
from ledger.store import StoredFact
from stats.metrics import (
    CAMPAIGN_FACTS,
    EVENT_FACTS,
    NOT_COUNTED,
    TARGET_METRICS,
    EventState,
    attendance_seconds,
    is_youth,
    parse_time,
    to_stored,
)
from stats.models import Attendance, CampaignPlan, DailyTotal, EventFigures, PlanTarget, Total, VolunteerTotal


@dataclasses.dataclass(slots=True)
class _Seen:
    """One attendance while a batch is folded."""

    age_band: str
    checked_in_at: dt.datetime
    checked_out_at: dt.datetime | None
    seconds: int
    old_seconds: int | None  # None: new in this batch
    pk: int | None = None
    dirty: bool = False
    text: str | None = None  # checked_in_at as the fact gave it (sent to PostgreSQL as it is)


def _add_delta(deltas: dict, state: EventState, sign: int) -> None:
    """Add (sign = 1) or take away (sign = -1) an event's contribution to every row it is in."""
    status = state.status
    if status == NOT_COUNTED:
        return
    column = 0 if status == "verified" else 1
    vector = state.vector()
    day_key = (state.region, state.day)
    for metric, value in vector.items():
        for scope in state.scopes():
            deltas["total"][(*scope, metric)][column] += sign * value
        deltas["daily"][(*day_key, metric)][column] += sign * value


def _upsert_add(model, keys: tuple[str, ...], values: tuple[str, ...], rows: dict[tuple, list[int]]) -> None:
    """INSERT … ON CONFLICT DO UPDATE SET v = v + excluded.v: deltas added inside the database.

    The rows lock only for this fold (one worker per projection). PostgreSQL gets each column as
    one array (unnest): one statement however many rows, no per-value parameters to parse.
    """
    rows = {key: vals for key, vals in rows.items() if any(vals)}
    if not rows:
        return
    table = model._meta.db_table
    columns = keys + values
    update = ", ".join(f"{v} = {table}.{v} + excluded.{v}" for v in values)
    # Table and column names come from the models, values are bound parameters.
    conflict = f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {update}"  # nosec B608
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            types = [model._meta.get_field(name).db_type(connection) for name in columns]
            data = [[key[i] for key in rows] for i in range(len(keys))]
            data += [[vals[i] for vals in rows.values()] for i in range(len(values))]
            arrays, params = _pg_arrays(data, types)
            cursor.execute(
                # Table and column names come from the models, values are bound parameters.
                f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM unnest({', '.join(arrays)}) {conflict}",  # nosec B608
                params,
            )
            return
        prep = [model._meta.get_field(name) for name in keys]
        placeholder = "(" + ", ".join(["%s"] * len(columns)) + ")"
        items = list(rows.items())
        chunk = max(1, 900 // len(columns))  # SQLite binds at most 999 parameters in older builds
        for start in range(0, len(items), chunk):
            part = items[start : start + chunk]
            params: list = []
            for key, vals in part:
                params.extend(field.get_db_prep_value(k, connection) for field, k in zip(prep, key, strict=True))
                params.extend(vals)
            placeholders = ", ".join([placeholder] * len(part))
            # Table and column names come from the models, values are bound parameters.
            cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES {placeholders} {conflict}", params)  # nosec B608


NULL_TEXT = "\\N"


class _NotPlain(ValueError):
    """A value string_to_array cannot carry (empty, or with a comma)."""


def _array_text(values) -> str:
    """Values as one comma-separated text, split by string_to_array(…, ',', '\\N') in PostgreSQL:
    far cheaper to send than an array parameter (no per-element quoting in Python)."""
    texts = [NULL_TEXT if value is None else str(value) for value in values]
    joined = ",".join(texts)
    # One pass in C each instead of a test per value: no empty text, no comma inside a value.
    if "" in texts or joined.count(",") != len(texts) - 1:
        raise _NotPlain(next(t for t in texts if not t or "," in t))
    return joined


def _pg_arrays(columns: list[list], types: list[str]) -> tuple[list[str], list]:
    """SQL expressions and parameters for unnest(): as texts when every value is plain, else as
    array parameters (slower to send, but any string goes)."""
    try:
        params = [_array_text(values) for values in columns]
        return [f"string_to_array(%s, ',', '{NULL_TEXT}')::{kind}[]" for kind in types], params
    except _NotPlain:
        params = [
            [str(v) if kind == "uuid" and v is not None else v for v in values]
            for values, kind in zip(columns, types, strict=True)
        ]
        return [f"%s::{kind}[]" for kind in types], params


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


_ATTENDANCE_COLUMNS = "(event_id, volunteer_id, age_band, checked_in_at, checked_out_at, seconds)"


def _insert_attendances(arriving: dict[tuple[str, str], _Seen], fresh: set[str]) -> list[tuple[str, str]]:
    """Store first check-ins; return those not stored before (a volunteer counts once per event).

    `fresh`: events with no attendance stored before this batch (their EventFigures, written in
    the same transactions as their attendances, counted no volunteer). Their check-ins are all new,
    so on PostgreSQL they go in by COPY, without a conflict check or ids sent back: a bulk import's
    check-ins are nearly all of this kind."""
    if not arriving:
        return []
    keys = list(arriving)
    if connection.vendor == "postgresql":
        new = [key for key in keys if key[0] in fresh]
        if new:
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(f"COPY {Attendance._meta.db_table} {_ATTENDANCE_COLUMNS} FROM STDIN") as copy,
            ):
                for key in new:
                    a = arriving[key]
                    copy.write_row((*key, a.age_band, a.text or a.checked_in_at, a.checked_out_at, a.seconds))
            keys = [key for key in keys if key[0] not in fresh]
        inserted: list[tuple[str, str]] = new
        with connection.cursor() as cursor:
            for start in range(0, len(keys), 20000):
                part = keys[start : start + 20000]
                arrays, params = _pg_arrays(
                    [
                        [e for e, _ in part],
                        [v for _, v in part],
                        [arriving[k].age_band for k in part],
                        [arriving[k].text or arriving[k].checked_in_at.isoformat() for k in part],
                        [_iso(arriving[k].checked_out_at) for k in part],
                        [arriving[k].seconds for k in part],
                    ],
                    ["uuid", "uuid", "varchar", "timestamptz", "timestamptz", "integer"],
                )
                cursor.execute(
                    # Table and column names come from the models, values are bound parameters.
                    f"INSERT INTO {Attendance._meta.db_table} {_ATTENDANCE_COLUMNS} "  # nosec B608
                    f"SELECT * FROM unnest({', '.join(arrays)}) "
                    "ON CONFLICT (event_id, volunteer_id) DO NOTHING RETURNING event_id::text, volunteer_id::text",
                    params,
                )
                inserted.extend(cursor.fetchall())
        return inserted
    stored = {
        (str(e), str(v))
        for e, v in Attendance.objects.filter(
            event_id__in={e for e, _ in keys}, volunteer_id__in={v for _, v in keys}
        ).values_list("event_id", "volunteer_id")
    }
    new = [key for key in keys if key not in stored]
    Attendance.objects.bulk_create(
        [
            Attendance(
                event_id=eid,
                volunteer_id=vid,
                age_band=arriving[(eid, vid)].age_band,
                checked_in_at=arriving[(eid, vid)].checked_in_at,
                checked_out_at=arriving[(eid, vid)].checked_out_at,
                seconds=arriving[(eid, vid)].seconds,
            )
            for eid, vid in new
        ],
        batch_size=2000,
    )
    return new


def _vectors() -> defaultdict:
    return defaultdict(lambda: [0, 0])


@register
class TotalsProjection(AsyncProjection):
    """National, region, campaign and organisation totals; daily series; volunteer tallies; plans."""

    name = "stats.totals"
    handles = EVENT_FACTS | CAMPAIGN_FACTS
    models = (EventFigures, Attendance, Total, DailyTotal, VolunteerTotal, CampaignPlan, PlanTarget)

    # --- fold ------------------------------------------------------------------------------------

    def fold(self, facts: list[StoredFact]) -> None:
        campaign_facts = [f for f in facts if f.type in CAMPAIGN_FACTS]
        if campaign_facts:
            self._fold_campaigns(campaign_facts)
        event_facts = [f for f in facts if f.type in EVENT_FACTS]
        # An undone check-in takes back an attendance the facts before it stored: the facts are
        # folded in runs, each undo between two of them (a batch without one is a single run).
        run: list[StoredFact] = []
        for fact in event_facts:
            if fact.type == "CheckInUndone":
                if run:
                    self._fold_events(run)
                    run = []
                self._fold_undone(fact)
            else:
                run.append(fact)
        if run:
            self._fold_events(run)

    def _fold_undone(self, fact: StoredFact) -> None:
        """Take one attendance out of its event's figures, its volunteer's tally and every total."""
        eid, vid = fact.data["event_id"], fact.data["volunteer_id"]
        row = EventFigures.objects.filter(event_id=eid).first()
        attendance = Attendance.objects.filter(event_id=eid, volunteer_id=vid).first()
        if row is None or attendance is None:
            return  # nothing was counted for it
        before = row.to_state()
        state = dataclasses.replace(before)
        state.volunteers -= 1
        state.youth -= is_youth(attendance.age_band)
        state.seconds -= attendance.seconds
        attendance.delete()
        if before.status != NOT_COUNTED:
            # An event that stops counting this way had no other volunteer whose tally would move.
            _upsert_add(VolunteerTotal, ("volunteer_id",), ("events", "seconds"), {(vid,): [-1, -attendance.seconds]})
        self._write_events({eid: state})
        deltas = {"total": _vectors(), "daily": _vectors()}
        _add_delta(deltas, before, -1)
        _add_delta(deltas, state, +1)
        _upsert_add(Total, ("scope", "key", "metric"), ("verified", "awaiting"), deltas["total"])
        _upsert_add(DailyTotal, ("region", "day", "metric"), ("verified", "awaiting"), deltas["daily"])

    def _fold_campaigns(self, facts: list[StoredFact]) -> None:
        targets: dict[tuple[str, str, str], int] = {}
        for fact in facts:
            data = fact.data
            if fact.type == "CampaignLaunched":
                CampaignPlan.objects.update_or_create(
                    campaign_id=data["campaign_id"],
                    defaults={"name": data["name"], "starts_on": data["starts_on"], "ends_on": data["ends_on"]},
                )
            elif fact.type == "CampaignClosed":
                CampaignPlan.objects.filter(campaign_id=data["campaign_id"]).update(closed=True)
            elif fact.type == "CampaignTargetsSet":
                for target in data["targets"]:
                    if target["metric"] in TARGET_METRICS:
                        key = (data["campaign_id"], target["region"], TARGET_METRICS[target["metric"]])
                        targets[key] = to_stored(target["metric"], target["value"])  # the last one stands
        if targets:
            PlanTarget.objects.bulk_create(
                [PlanTarget(campaign_id=c, region=r, metric=m, value=v) for (c, r, m), v in targets.items()],
                update_conflicts=True,
                unique_fields=["campaign_id", "region", "metric"],
                update_fields=["value"],
            )

    def _fold_events(self, facts: list[StoredFact]) -> None:
        ids = {f.data["event_id"] for f in facts}
        states = {str(row.event_id): row.to_state() for row in EventFigures.objects.filter(event_id__in=ids)}
        before = {eid: dataclasses.replace(state) for eid, state in states.items()}

        seen = self._load_checked_out(facts)  # attendances stored before that a check-out changes
        arriving: dict[tuple[str, str], _Seen] = {}  # first check-in of each volunteer in this batch
        for fact in facts:
            data = fact.data
            eid = data["event_id"]
            if fact.type == "EventProposed":
                states.setdefault(eid, EventState.proposed(data))
                continue
            state = states.get(eid)
            if state is None:
                continue  # a fact about an event never proposed: nothing to count it under
            if fact.type == "VolunteerCheckedIn":
                key = (eid, data["volunteer_id"])
                if key not in seen and key not in arriving:
                    text = data["checked_in_at"]
                    arriving[key] = _Seen(data["age_band"], parse_time(text), None, 0, None, text=text)
            elif fact.type == "VolunteerCheckedOut":
                key = (eid, data["volunteer_id"])
                attendance = seen.get(key) or arriving.get(key)
                if attendance is not None:
                    attendance.checked_out_at = parse_time(data["checked_out_at"])
                    attendance.dirty = True
            else:
                state.apply(fact.type, data, fact.version)

        # New attendances, counted once: a volunteer checked in by an earlier batch is not new.
        for (eid, _vid), attendance in arriving.items():
            attendance.seconds = attendance_seconds(
                attendance.checked_in_at, attendance.checked_out_at, states[eid].ends_at
            )
        fresh = {eid for eid in states if eid not in before or not before[eid].volunteers}
        for key in _insert_attendances(arriving, fresh):
            attendance, state = arriving[key], states[key[0]]
            state.volunteers += 1
            state.youth += is_youth(attendance.age_band)
            state.seconds += attendance.seconds
            seen[key] = attendance

        # Time given depends on the event's end: a reschedule recomputes its open attendances;
        # an event that starts or stops counting moves all its volunteers' tallies.
        moved = {eid for eid, s in states.items() if s.rescheduled}
        flipped = {
            eid
            for eid, s in states.items()
            if (before[eid].status != NOT_COUNTED if eid in before else False) != (s.status != NOT_COUNTED)
        }
        # Only events counted before had attendances stored by earlier batches.
        self._load_whole_events(seen, {eid for eid in moved | flipped if eid in before and before[eid].volunteers})
        for (eid, _vid), attendance in seen.items():
            if attendance.old_seconds is not None and (attendance.dirty or eid in moved):
                seconds = attendance_seconds(attendance.checked_in_at, attendance.checked_out_at, states[eid].ends_at)
                states[eid].seconds += seconds - attendance.seconds
                attendance.dirty = attendance.dirty or seconds != attendance.seconds
                attendance.seconds = seconds

        self._write_volunteer_totals(seen, before, states)
        self._write_changed_attendances(seen)
        self._write_events(states)

        deltas = {"total": _vectors(), "daily": _vectors()}
        for eid, state in states.items():
            if eid in before:
                _add_delta(deltas, before[eid], -1)
            _add_delta(deltas, state, +1)
        _upsert_add(Total, ("scope", "key", "metric"), ("verified", "awaiting"), deltas["total"])
        _upsert_add(DailyTotal, ("region", "day", "metric"), ("verified", "awaiting"), deltas["daily"])

    def _load_checked_out(self, facts: list[StoredFact]) -> dict[tuple[str, str], _Seen]:
        wanted = {(f.data["event_id"], f.data["volunteer_id"]) for f in facts if f.type == "VolunteerCheckedOut"}
        if not wanted:
            return {}
        rows = Attendance.objects.filter(
            event_id__in={e for e, _ in wanted}, volunteer_id__in={v for _, v in wanted}
        ).values_list("pk", "event_id", "volunteer_id", "age_band", "checked_in_at", "checked_out_at", "seconds")
        seen = {}
        for pk, eid, vid, band, at, out, seconds in rows:
            key = (str(eid), str(vid))
            if key in wanted:
                seen[key] = _Seen(band, at, out, seconds, seconds, pk)
        return seen

    def _load_whole_events(self, seen: dict[tuple[str, str], _Seen], event_ids: set[str]) -> None:
        if not event_ids:
            return
        rows = Attendance.objects.filter(event_id__in=event_ids).values_list(
            "pk", "event_id", "volunteer_id", "age_band", "checked_in_at", "checked_out_at", "seconds"
        )
        for pk, eid, vid, band, at, out, seconds in rows:
            seen.setdefault((str(eid), str(vid)), _Seen(band, at, out, seconds, seconds, pk))

    def _write_volunteer_totals(self, seen, before: dict[str, EventState], states: dict[str, EventState]) -> None:
        counted_before = {eid for eid, s in before.items() if s.status != NOT_COUNTED}
        counted_now = {eid for eid, s in states.items() if s.status != NOT_COUNTED}
        deltas: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
        for (eid, vid), attendance in seen.items():
            old = (
                (1, attendance.old_seconds) if attendance.old_seconds is not None and eid in counted_before else (0, 0)
            )
            new = (1, attendance.seconds) if eid in counted_now else (0, 0)
            if old != new:
                delta = deltas[(vid,)]
                delta[0] += new[0] - old[0]
                delta[1] += new[1] - old[1]
        _upsert_add(VolunteerTotal, ("volunteer_id",), ("events", "seconds"), deltas)

    def _write_changed_attendances(self, seen: dict[tuple[str, str], _Seen]) -> None:
        changed = [
            Attendance(pk=a.pk, checked_out_at=a.checked_out_at, seconds=a.seconds)
            for a in seen.values()
            if a.old_seconds is not None and a.dirty
        ]
        if changed:
            Attendance.objects.bulk_update(changed, ["checked_out_at", "seconds"], batch_size=500)

    def _write_events(self, states: dict[str, EventState]) -> None:
        rows = [EventFigures.from_state(state) for state in states.values()]
        fields = ["campaign_id", "region", "organisation_id", *EventFigures.STATE_FIELDS, "day", "status"]
        EventFigures.objects.bulk_create(rows, update_conflicts=True, unique_fields=["event_id"], update_fields=fields)

    # --- from scratch, for `ledger verify` ---------------------------------------------------------

    def compute(self, facts: Iterable[StoredFact]) -> dict:
        states: dict[str, EventState] = {}
        attendances: dict[str, dict[str, list]] = defaultdict(dict)  # event -> volunteer -> [in, out, band]
        campaigns: dict[str, dict] = {}
        targets: dict[str, int] = {}
        for fact in facts:
            data = fact.data
            if fact.type == "CampaignLaunched":
                campaigns[data["campaign_id"]] = {
                    "name": data["name"],
                    "starts_on": data["starts_on"],
                    "ends_on": data["ends_on"],
                    "closed": False,
                }
            elif fact.type == "CampaignClosed":
                if data["campaign_id"] in campaigns:
                    campaigns[data["campaign_id"]]["closed"] = True
            elif fact.type == "CampaignTargetsSet":
                for target in data["targets"]:
                    if target["metric"] in TARGET_METRICS:
                        key = f"{data['campaign_id']}|{target['region']}|{TARGET_METRICS[target['metric']]}"
                        targets[key] = to_stored(target["metric"], target["value"])
            elif fact.type == "EventProposed":
                states.setdefault(data["event_id"], EventState.proposed(data))
            elif fact.type in EVENT_FACTS and data["event_id"] in states:
                state = states[data["event_id"]]
                if fact.type == "VolunteerCheckedIn":
                    volunteers = attendances[state.event_id]
                    if data["volunteer_id"] not in volunteers:
                        volunteers[data["volunteer_id"]] = [parse_time(data["checked_in_at"]), None, data["age_band"]]
                        state.volunteers += 1
                        state.youth += is_youth(data["age_band"])
                elif fact.type == "CheckInUndone":
                    undone = attendances[state.event_id].pop(data["volunteer_id"], None)
                    if undone is not None:
                        state.volunteers -= 1
                        state.youth -= is_youth(undone[2])
                elif fact.type == "VolunteerCheckedOut":
                    attendance = attendances[state.event_id].get(data["volunteer_id"])
                    if attendance is not None:
                        attendance[1] = parse_time(data["checked_out_at"])
                else:
                    state.apply(fact.type, data, fact.version)

        volunteer_totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for eid, volunteers in attendances.items():
            state = states[eid]
            for vid, (checked_in, checked_out, _band) in volunteers.items():
                seconds = attendance_seconds(checked_in, checked_out, state.ends_at)
                state.seconds += seconds
                if state.status != NOT_COUNTED:
                    volunteer_totals[vid][0] += 1
                    volunteer_totals[vid][1] += seconds

        deltas = {"total": _vectors(), "daily": _vectors()}
        for state in states.values():
            _add_delta(deltas, state, +1)
        return {
            "events": {eid: state.as_dict() for eid, state in sorted(states.items())},
            "totals": _nonzero({"|".join(map(str, k)): v for k, v in deltas["total"].items()}),
            "daily": _nonzero({f"{r}|{d.isoformat()}|{m}": v for (r, d, m), v in deltas["daily"].items()}),
            "volunteers": _nonzero(dict(volunteer_totals)),
            "campaigns": campaigns,
            "targets": targets,
        }

    def snapshot(self) -> dict:
        events = {str(row.event_id): row.to_state().as_dict() for row in EventFigures.objects.order_by("event_id")}
        totals = {
            f"{scope}|{key}|{metric}": [v, a]
            for scope, key, metric, v, a in Total.objects.values_list("scope", "key", "metric", "verified", "awaiting")
        }
        daily = {
            f"{region}|{day.isoformat()}|{metric}": [v, a]
            for region, day, metric, v, a in DailyTotal.objects.values_list(
                "region", "day", "metric", "verified", "awaiting"
            )
        }
        volunteers = {
            str(vid): [events, seconds]
            for vid, events, seconds in VolunteerTotal.objects.values_list("volunteer_id", "events", "seconds")
        }
        campaigns = {
            str(c.campaign_id): {
                "name": c.name,
                "starts_on": c.starts_on.isoformat(),
                "ends_on": c.ends_on.isoformat(),
                "closed": c.closed,
            }
            for c in CampaignPlan.objects.all()
        }
        targets = {
            f"{cid}|{region}|{metric}": value
            for cid, region, metric, value in PlanTarget.objects.values_list("campaign_id", "region", "metric", "value")
        }
        return {
            "events": events,
            "totals": _nonzero(totals),
            "daily": _nonzero(daily),
            "volunteers": _nonzero(volunteers),
            "campaigns": campaigns,
            "targets": targets,
        }


def _nonzero(rows: dict) -> dict:
    """Aggregate rows that sum to nothing are the same as no row."""
    return {key: list(value) for key, value in sorted(rows.items()) if any(value)}
