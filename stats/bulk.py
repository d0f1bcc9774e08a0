"""The totals' tables read and written set-wise: what one batch's fold needs, and its changes.

`read_before(facts)` reads what the tables hold of a batch's events (stats.fold.Before) in two
statements at most; `write(changes)` writes a fold's changes with one statement per table however
many rows: aggregate rows move by deltas added inside the database (`upsert_add`), first check-ins
go in by COPY, changed attendances in one UPDATE. The rows lock only for the batch's transaction
(one worker per projection, ledger.runner), so what was read is still what is stored when the
changes are written: a check-in the fold found new is new, without a conflict check.

PostgreSQL gets each column as one comma-joined text split by string_to_array (far cheaper to
send than per-value parameters); SQLite, which runs the tests and `make run`, gets the ORM's
batched statements.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from django.db import connection
from django.db.models import Model, Q

from ledger.stored import StoredFact
from stats.fold import ATTENDANCE_FACTS, Attended, Before, Changes, Key, attendances_needed
from stats.metrics import DUMP_FACTS, EVENT_FACTS
from stats.models import (
    Attendance,
    CampaignPlan,
    DailyTotal,
    DumpFigures,
    EventFigures,
    PlanTarget,
    Total,
    VolunteerTotal,
)

# --- reading ---------------------------------------------------------------------------------------


def read_before(facts: list[StoredFact], *, crossed: Iterable[str] = ()) -> Before:
    """The figures of the events the facts name and of those the clock `crossed` (their start or
    end passed), and the stored attendances the fold needs: every one of the volunteers the facts
    name (their time is a union over all their events), and of the events rescheduled or crossed,
    with every one of their volunteers' too."""
    crossed = set(crossed)
    dump_ids = {fact.data["dump_id"] for fact in facts if fact.type in DUMP_FACTS}
    dumps = {str(row.dump_id): row.to_state() for row in DumpFigures.objects.filter(dump_id__in=dump_ids)}
    event_ids = {fact.data["event_id"] for fact in facts if fact.type in EVENT_FACTS} | crossed
    # A liquidation counts in the plan of its event's campaign: the event's figures say which.
    event_ids |= {fact.data["event_id"] for fact in facts if fact.type == "DumpLiquidated"}
    if not event_ids:
        return Before(dumps=dumps)
    events = {str(row.event_id): row.to_state() for row in EventFigures.objects.filter(event_id__in=event_ids)}
    _, whole = attendances_needed(facts, events)
    whole |= {event_id for event_id in crossed if events[event_id].volunteers}
    people = {fact.data["volunteer_id"] for fact in facts if fact.type in ATTENDANCE_FACTS}
    before = read_more(Before(events, crossed=frozenset(crossed), dumps=dumps), events=whole, people=people)
    # The volunteers of the events read whole: each of their other events' time may move too.
    return read_more(before, people={v for event_id in whole for v in before.attendances.get(event_id, {})})


def read_more(before: Before, *, events: Iterable[str] = (), people: Iterable[str] = ()) -> Before:
    """`before` with every stored attendance of these events and of these volunteers besides (and
    the figures of the events those attendances are at)."""
    whole = set(events) - before.whole
    people = set(people) - before.people
    if not whole and not people:
        return before
    attendances = {event_id: dict(volunteers) for event_id, volunteers in before.attendances.items()}
    for event_id, volunteers in _read_attendances(set(), whole, people).items():
        attendances.setdefault(event_id, {}).update(volunteers)
    figures = dict(before.events)
    unknown = set(attendances) - set(figures)
    if unknown:
        figures |= {str(row.event_id): row.to_state() for row in EventFigures.objects.filter(event_id__in=unknown)}
    return dataclasses.replace(
        before, events=figures, attendances=attendances, whole=before.whole | whole, people=before.people | people
    )


_READ_COLUMNS = "id, event_id::text, volunteer_id::text, age_band, checked_in_at, checked_out_at, seconds"


def _read_attendances(
    keys: set[Key], whole: set[str], people: set[str] = frozenset()
) -> dict[str, dict[str, Attended]]:
    """Stored attendances: those of `keys`, every one of the events in `whole` and of the volunteers
    in `people`."""
    if not keys and not whole and not people:
        return {}
    table = Attendance._meta.db_table
    if connection.vendor == "postgresql":
        selects, params = [], []
        if whole:
            arrays, values = _pg_arrays([list(whole)], ["uuid"])
            # Table and column names come from the model, values are bound parameters.
            selects.append(f"SELECT {_READ_COLUMNS} FROM {table} WHERE event_id = ANY({arrays[0]})")  # nosec B608
            params += values
        if people:
            arrays, values = _pg_arrays([list(people)], ["uuid"])
            # Table and column names come from the model, values are bound parameters.
            selects.append(f"SELECT {_READ_COLUMNS} FROM {table} WHERE volunteer_id = ANY({arrays[0]})")  # nosec B608
            params += values
        if keys:
            pairs = list(keys)
            arrays, values = _pg_arrays([[e for e, _ in pairs], [v for _, v in pairs]], ["uuid", "uuid"])
            selects.append(
                # Table and column names come from the model, values are bound parameters.
                f"SELECT {_READ_COLUMNS} FROM {table} JOIN unnest({arrays[0]}, {arrays[1]}) AS k(e, v) "  # nosec B608
                "ON event_id = k.e AND volunteer_id = k.v"
            )
            params += values
        with connection.cursor() as cursor:
            # UNION, not UNION ALL: an attendance of a volunteer read whole may be of an event too.
            cursor.execute(" UNION ".join(selects), params)
            rows = cursor.fetchall()
    else:
        matching = Q(event_id__in=whole) | Q(volunteer_id__in=people)
        matching |= Q(event_id__in={e for e, _ in keys}, volunteer_id__in={v for _, v in keys})
        rows = [
            (pk, str(e), str(v), *rest)
            for pk, e, v, *rest in Attendance.objects.filter(matching).values_list(
                "pk", "event_id", "volunteer_id", "age_band", "checked_in_at", "checked_out_at", "seconds"
            )
        ]
        rows = [row for row in rows if row[1] in whole or row[2] in people or (row[1], row[2]) in keys]
    found: dict[str, dict[str, Attended]] = {}
    for pk, event_id, volunteer_id, band, checked_in, checked_out, seconds in rows:
        found.setdefault(event_id, {})[volunteer_id] = Attended(
            event_id, volunteer_id, band, checked_in, checked_out, seconds, pk
        )
    return found


# --- writing ---------------------------------------------------------------------------------------


def write(changes: Changes) -> None:
    """Apply a fold's changes: plans and targets, attendances (undone before the new ones, which may
    be the same volunteers checked in anew), tallies, events' figures, then the aggregates."""
    if changes.plans:
        CampaignPlan.objects.bulk_create(
            [CampaignPlan(campaign_id=c, **fields) for c, fields in changes.plans.items()],
            update_conflicts=True,
            unique_fields=["campaign_id"],
            update_fields=["name", "starts_on", "ends_on"],
        )
    if changes.closed:
        CampaignPlan.objects.filter(campaign_id__in=changes.closed).update(closed=True)
    if changes.targets:
        PlanTarget.objects.bulk_create(
            [PlanTarget(campaign_id=c, region=r, metric=m, value=v) for (c, r, m), v in changes.targets.items()],
            update_conflicts=True,
            unique_fields=["campaign_id", "region", "metric"],
            update_fields=["value"],
        )
    if changes.undone:
        Attendance.objects.filter(pk__in=changes.undone).delete()
    _insert_attendances(changes.new)
    _update_attendances(changes.changed)
    volunteers = {(volunteer_id,): tally for volunteer_id, tally in changes.volunteers.items()}
    upsert_add(VolunteerTotal, ("volunteer_id",), ("events", "seconds"), volunteers)
    if changes.events:
        EventFigures.objects.bulk_create(
            [EventFigures.from_state(state) for state in changes.events.values()],
            update_conflicts=True,
            unique_fields=["event_id"],
            update_fields=["campaign_id", "region", "organisation_id", *EventFigures.STATE_FIELDS, "day", "status"],
        )
    if changes.dumps:
        DumpFigures.objects.bulk_create(
            [DumpFigures.from_state(state) for state in changes.dumps.values()],
            update_conflicts=True,
            unique_fields=["dump_id"],
            update_fields=["region", "status", "hidden", "campaign_id"],
        )
    upsert_add(Total, ("scope", "key", "metric"), ("verified", "awaiting"), changes.totals)
    upsert_add(DailyTotal, ("region", "day", "metric"), ("verified", "awaiting"), changes.daily)


_ATTENDANCE_COLUMNS = "(event_id, volunteer_id, age_band, checked_in_at, checked_out_at, seconds)"


def _insert_attendances(new: list[Attended]) -> None:
    """First check-ins, all known to be new: on PostgreSQL by COPY, without a conflict check."""
    if not new:
        return
    if connection.vendor == "postgresql":
        table = Attendance._meta.db_table
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} {_ATTENDANCE_COLUMNS} FROM STDIN") as copy,
        ):
            for a in new:
                copy.write_row(
                    (
                        a.event_id,
                        a.volunteer_id,
                        a.age_band,
                        a.checked_in_at,
                        a.checked_out_at,
                        a.seconds,
                    )
                )
        return
    Attendance.objects.bulk_create(
        [
            Attendance(
                event_id=a.event_id,
                volunteer_id=a.volunteer_id,
                age_band=a.age_band,
                checked_in_at=a.checked_in_at,
                checked_out_at=a.checked_out_at,
                seconds=a.seconds,
            )
            for a in new
        ],
        batch_size=2000,
    )


def _update_attendances(changed: list[Attended]) -> None:
    """Stored attendances whose check-out or time moved: one UPDATE … FROM unnest on PostgreSQL."""
    if not changed:
        return
    if connection.vendor == "postgresql":
        table = Attendance._meta.db_table
        arrays, params = _pg_arrays(
            [[a.pk for a in changed], [_iso(a.checked_out_at) for a in changed], [a.seconds for a in changed]],
            ["bigint", "timestamptz", "integer"],
        )
        with connection.cursor() as cursor:
            cursor.execute(
                # Table and column names come from the model, values are bound parameters.
                f"UPDATE {table} SET checked_out_at = c.checked_out_at, seconds = c.seconds "  # nosec B608
                f"FROM unnest({', '.join(arrays)}) AS c(id, checked_out_at, seconds) WHERE {table}.id = c.id",
                params,
            )
        return
    Attendance.objects.bulk_update(
        [Attendance(pk=a.pk, checked_out_at=a.checked_out_at, seconds=a.seconds) for a in changed],
        ["checked_out_at", "seconds"],
        batch_size=500,
    )


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def upsert_add(
    model: type[Model], keys: tuple[str, ...], values: tuple[str, ...], rows: dict[tuple, list[int]]
) -> None:
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
