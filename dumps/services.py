"""Writes of dumps: report, import, and the coordinator's and organiser's decisions.

Every decision has one skeleton (`_decide`): the dump's row locked, the request's fact id from the
actor and the Idempotency-Key (ledger/keyed.py: a retry answers as the first request did and
appends nothing), the rule checked on the state the lock holds, and the append at the row's
version. A refusal appends nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.cleaning import Errors, number, plain, text
from dumps import facts as f
from dumps.errors import (
    DumpInvalid,
    DumpNotFound,
    DumpNotOpen,
    DumpReportsLimited,
    NotDumpsCoordinator,
    NotEventOrganiser,
)
from dumps.models import Dump
from dumps.places import in_kazakhstan, region_of_point
from events.models import Event
from events.rules import may_organise
from events.selectors import verdict_in_force
from ledger.context import acting
from ledger.ids import uuid7
from ledger.keyed import NAMESPACE, derived_id, fact_ids, replayed
from ledger.models import Fact
from ledger.store import NO_STREAM, append
from photos import facts as photo_facts
from photos.images import Upload
from photos.models import Photo
from photos.services import Subject, photo_ids_for, photo_subject, photos_attach, photos_publish
from reference.regions import REGION_CODES
from volunteers.models import User
from volunteers.roles import is_coordinator_of

MAX_NOTE = 2000
OPEN = (Dump.Status.REPORTED, Dump.Status.CONFIRMED)


# --- a person's report ------------------------------------------------------------------------------


def dump_report(
    *,
    actor: User,
    latitude: Any,
    longitude: Any,
    size: Any,
    waste_kinds: Any,
    note: Any = "",
    region: Any = None,
    photos: Sequence[Upload] = (),
    idempotency_key: str | None = None,
) -> Dump:
    """Report a dump at a point. The region is the one given, or the one whose administrative centre
    is nearest the point (reference/ has no region boundaries: `dumps.places`). A person reports at
    most TAZA_DUMP_REPORTS_PER_HOUR in an hour and TAZA_DUMP_REPORTS_PER_DAY in a day.

    `photos`: uploads already checked (`photos.services.photo_read`), attached in the same
    transaction as "before" photos of the report, which names them (`photo_ids`); they are public
    from the dump's confirmation, with it. A photo refused (the photos' rate limit) refuses the report."""
    errors: Errors = {}
    lat, lon = _point(latitude, longitude, errors)
    if size not in f.SIZES:
        errors["size"] = [_("Choose a size: %(known)s.") % {"known": ", ".join(f.SIZES)}]
    kinds = _waste_kinds(waste_kinds, errors)
    note = text(errors, "note", note, max_length=MAX_NOTE)
    if region is not None and region not in REGION_CODES:
        errors["region"] = [_("There is no region %(code)r.") % {"code": region}]
    if errors:
        raise DumpInvalid(fields=errors)
    region = region or region_of_point(lat, lon)
    dump_id = derived_id(actor_id=actor.volunteer_id, key=idempotency_key, purpose="dump_id") or uuid7()
    photo_ids = photo_ids_for(actor, idempotency_key, len(photos))
    facts = [
        f.DumpReported(
            dump_id=dump_id,
            reporter_id=actor.volunteer_id,
            region=region,
            latitude=lat,
            longitude=lon,
            size=size,
            waste_kinds=kinds,
            note=note,
            photo_ids=[str(photo_id) for photo_id in photo_ids],
        )
    ]
    stream = f.dump_stream(dump_id)
    ids = fact_ids(actor_id=actor.volunteer_id, key=idempotency_key, count=1)
    with transaction.atomic():
        if replayed(stream, facts, ids) is None:
            _within_report_limits(actor)
            append(stream, facts, expected_version=NO_STREAM, fact_ids=ids, actor_id=str(actor.volunteer_id))
        if photos:
            photos_attach(
                actor=actor,
                subject=Subject(photo_facts.DUMP_REPORT, dump_id, region, False),
                role=photo_facts.BEFORE,
                uploads=photos,
                idempotency_key=idempotency_key,
                photo_ids=photo_ids,
            )
        return Dump.objects.get(pk=dump_id)


def _within_report_limits(actor: User) -> None:
    """Counted from the reports recorded (the projection's rows), not a cache: exact, and the same
    on every web worker. Refused with 429 and the seconds until the oldest report in the full
    window leaves it."""
    now = timezone.now()
    waits = []
    for window, limit in (
        (dt.timedelta(hours=1), settings.TAZA_DUMP_REPORTS_PER_HOUR),
        (dt.timedelta(days=1), settings.TAZA_DUMP_REPORTS_PER_DAY),
    ):
        times = list(
            Dump.objects.filter(reporter_id=actor.volunteer_id, reported_at__gt=now - window)
            .order_by("-reported_at")
            .values_list("reported_at", flat=True)[:limit]
        )
        if len(times) >= limit:
            waits.append((times[-1] + window - now).total_seconds())
    if waits:
        raise DumpReportsLimited(retry_after=max(1, math.ceil(max(waits))))


def _point(latitude: Any, longitude: Any, errors: Errors) -> tuple[float, float]:
    lat, lon = number(latitude), number(longitude)
    if lat is None:
        errors["latitude"] = [_("Give a number.")]
    if lon is None:
        errors["longitude"] = [_("Give a number.")]
    if lat is None or lon is None:
        return 0.0, 0.0
    if not in_kazakhstan(float(lat), float(lon)):
        errors["latitude"] = [_("The point is not in Kazakhstan.")]
    return round(float(lat), 6), round(float(lon), 6)


def _waste_kinds(value: Any, errors: Errors) -> list[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        errors["waste_kinds"] = [_("Choose at least one kind of waste.")]
        return []
    value = list(value)
    unknown = [str(kind) for kind in value if kind not in f.DUMP_WASTE_KINDS]
    if unknown or not value:
        errors["waste_kinds"] = [
            _("Choose at least one kind of waste from %(known)s.") % {"known": ", ".join(f.DUMP_WASTE_KINDS)}
        ]
        return []
    return [kind for kind in f.DUMP_WASTE_KINDS if kind in value]  # one order: one set, one fact


# --- decisions ----------------------------------------------------------------------------------------


def _decide(
    dump_id: uuid.UUID | str,
    *,
    actor: User,
    idempotency_key: str | None,
    build: Callable[[Dump], Any],
    check: Callable[[Dump], None],
) -> Dump:
    """Lock the dump's row, build the fact, answer a retry as first answered, check, append."""
    try:
        dump_id = uuid.UUID(str(dump_id))
    except ValueError:
        raise DumpNotFound() from None
    with transaction.atomic():
        dump = Dump.objects.select_for_update().filter(pk=dump_id).first()
        if dump is None:
            raise DumpNotFound()
        facts = [build(dump)]
        stream = f.dump_stream(dump.id)
        ids = fact_ids(actor_id=actor.volunteer_id, key=idempotency_key, count=1)
        if replayed(stream, facts, ids) is None:
            check(dump)
            append(stream, facts, expected_version=dump.version, fact_ids=ids, actor_id=str(actor.volunteer_id))
            dump.refresh_from_db()
        return dump


def _coordinator_of(actor: User, dump: Dump) -> None:
    if not is_coordinator_of(actor, dump.region_id):
        raise NotDumpsCoordinator()


def _reason(value: Any, *, required: bool) -> str:
    errors: Errors = {}
    cleaned = text(errors, "reason", value, required=required, missing=_("Say why."), max_length=MAX_NOTE)
    if errors:
        raise DumpInvalid(fields=errors)
    return cleaned


def _in(dump: Dump, *statuses: str) -> None:
    if dump.status not in statuses or dump.hidden:
        raise DumpNotOpen()


def dump_confirm(
    *, actor: User, dump_id: uuid.UUID | str, reason: Any = "", idempotency_key: str | None = None
) -> Dump:
    """The coordinator of the dump's region confirms a reported dump: it becomes public, and so do
    the report's photos not hidden (`PhotoPublished`, in the same transaction)."""
    reason = _reason(reason, required=False)

    def check(dump: Dump) -> None:
        _coordinator_of(actor, dump)
        _in(dump, Dump.Status.REPORTED)

    with transaction.atomic():
        dump = _decide(
            dump_id,
            actor=actor,
            idempotency_key=idempotency_key,
            build=lambda dump: f.DumpConfirmed(dump_id=dump.id, coordinator_id=actor.volunteer_id, reason=reason),
            check=check,
        )
        photos_publish(subject=photo_facts.DUMP_REPORT, subject_id=dump.id)
        return dump


def dump_dismiss(*, actor: User, dump_id: uuid.UUID | str, reason: Any, idempotency_key: str | None = None) -> Dump:
    """Not a dump (or not there): a report, or a monitoring detection found false. A reason is required."""
    reason = _reason(reason, required=True)

    def check(dump: Dump) -> None:
        _coordinator_of(actor, dump)
        _in(dump, *OPEN)

    return _decide(
        dump_id,
        actor=actor,
        idempotency_key=idempotency_key,
        build=lambda dump: f.DumpDismissed(dump_id=dump.id, coordinator_id=actor.volunteer_id, reason=reason),
        check=check,
    )


def dump_merge(
    *,
    actor: User,
    dump_id: uuid.UUID | str,
    into_dump_id: uuid.UUID | str,
    reason: Any = "",
    idempotency_key: str | None = None,
) -> Dump:
    """A report is a dump already known: the report is merged into it (and counted on it)."""
    reason = _reason(reason, required=False)
    try:
        into_id = uuid.UUID(str(into_dump_id))
    except ValueError:
        raise DumpInvalid(fields={"into_dump_id": [_("There is no such dump.")]}) from None

    def check(dump: Dump) -> None:
        _coordinator_of(actor, dump)
        _in(dump, Dump.Status.REPORTED)
        into = Dump.objects.filter(pk=into_id).first()
        if into is None or into.id == dump.id or not into.is_open or into.region_id != dump.region_id:
            raise DumpInvalid(fields={"into_dump_id": [_("Merge into an open dump of the same region.")]})

    return _decide(
        dump_id,
        actor=actor,
        idempotency_key=idempotency_key,
        build=lambda dump: f.DumpMerged(
            dump_id=dump.id, into_dump_id=into_id, coordinator_id=actor.volunteer_id, reason=reason
        ),
        check=check,
    )


def dump_link(
    *, actor: User, dump_id: uuid.UUID | str, event_id: uuid.UUID | str, idempotency_key: str | None = None
) -> Dump:
    """An organiser links an approved clean-up event of the dump's region to a confirmed dump.

    Approved, because the link is public at once (public.py) and an event is public only from its
    approval: an organiser who proposes an event "for this dump" links it once it is approved."""
    try:
        event_uuid = uuid.UUID(str(event_id))
    except ValueError:
        raise DumpInvalid(fields={"event_id": [_("There is no such event.")]}) from None

    def check(dump: Dump) -> None:
        event = Event.objects.filter(pk=event_uuid).first()
        if event is None:
            raise DumpInvalid(fields={"event_id": [_("There is no such event.")]})
        if not may_organise(actor, event):
            raise NotEventOrganiser()
        _in(dump, Dump.Status.CONFIRMED)
        if event.status != Event.Status.APPROVED or event.region_id != dump.region_id:
            raise DumpInvalid(fields={"event_id": [_("Link an approved event of the dump's region.")]})
        if dump.event_id == event.id:
            raise DumpNotOpen(_("The dump is linked to this event already."))

    return _decide(
        dump_id,
        actor=actor,
        idempotency_key=idempotency_key,
        build=lambda dump: f.DumpLinked(dump_id=dump.id, event_id=event_uuid, organiser_id=actor.volunteer_id),
        check=check,
    )


def dump_liquidate(
    *,
    actor: User,
    dump_id: uuid.UUID | str,
    reason: Any = "",
    photo_ids: Any = (),
    photos: Sequence[Upload] = (),
    idempotency_key: str | None = None,
) -> Dump:
    """The coordinator records the dump liquidated by its linked event, once that event's result is
    verified (accepted or adjusted, and not undone by a rejected correction: the verdict in force,
    events.selectors): the fact names the result's version it stands on, and the
    after-photos it rests on: those uploaded for the liquidation before (`photo_ids`, subject
    `dump_liquidation`) and `photos`, uploads checked (`photo_read`) and attached in its transaction."""
    reason = _reason(reason, required=False)
    after = _photo_ids(photo_ids)

    def build(dump: Dump) -> f.DumpLiquidated:
        verdict = verdict_in_force(dump.event_id) if dump.event_id else None
        return f.DumpLiquidated(
            dump_id=dump.id,
            event_id=dump.event_id or uuid.UUID(int=0),
            result_version=verdict.result_version if verdict else 0,
            coordinator_id=actor.volunteer_id,
            reason=reason,
            photo_ids=after,
        )

    def check(dump: Dump) -> None:
        _coordinator_of(actor, dump)
        _in(dump, Dump.Status.CONFIRMED)
        if dump.event_id is None or verdict_in_force(dump.event_id) is None:
            raise DumpNotOpen(_("The dump's linked event has no verified result yet."))
        _after_photos_of(dump, after)

    photo_key = None if idempotency_key is None else f"{idempotency_key}/after-photos"
    keyed = fact_ids(actor_id=actor.volunteer_id, key=idempotency_key, count=1)
    with transaction.atomic():
        if photos and keyed and Fact.objects.filter(fact_id=keyed[0]).exists():
            # A retry: its photos were attached with the first request, under the ids the key gives.
            again = [str(photo_id) for photo_id in photo_ids_for(actor, photo_key, len(photos))]
            after = [*after, *(photo_id for photo_id in again if photo_id not in after)]
        elif photos:
            # Checked before the photos are stored (no file for a refused liquidation), and again
            # by _decide under the same lock.
            try:
                locked = Dump.objects.select_for_update().filter(pk=uuid.UUID(str(dump_id))).first()
            except ValueError:
                raise DumpNotFound() from None
            if locked is None:
                raise DumpNotFound()
            check(locked)
            target = photo_subject(
                actor=actor, subject=photo_facts.DUMP_LIQUIDATION, subject_id=locked.id, role=photo_facts.AFTER
            )
            attached = photos_attach(
                actor=actor,
                subject=target,
                role=photo_facts.AFTER,
                uploads=photos,
                idempotency_key=photo_key,
            )
            after = [*after, *(str(photo.id) for photo in attached if str(photo.id) not in after)]
        return _decide(dump_id, actor=actor, idempotency_key=idempotency_key, build=build, check=check)


def _photo_ids(photo_ids: Any) -> list[str]:
    """Photo ids as given, once each in their order, or a refusal of their shape."""
    if isinstance(photo_ids, str) or not isinstance(photo_ids, Iterable):
        raise DumpInvalid(fields={"photo_ids": [_("Give a list of photo ids.")]})
    try:
        keys = [uuid.UUID(str(value)) for value in photo_ids]
    except ValueError:
        raise DumpInvalid(
            fields={"photo_ids": [_("Name after-photos uploaded for this dump's liquidation.")]}
        ) from None
    return [str(key) for key in dict.fromkeys(keys)]


def _after_photos_of(dump: Dump, photo_ids: list[str]) -> None:
    """Each id names an after-photo uploaded for this dump's liquidation, not hidden: checked after
    who asks and the dump's state, so a stranger learns nothing of its photos."""
    found = Photo.objects.filter(
        pk__in=photo_ids, subject=photo_facts.DUMP_LIQUIDATION, subject_id=dump.id, hidden=False
    ).count()
    if found != len(photo_ids):
        raise DumpInvalid(fields={"photo_ids": [_("Name after-photos uploaded for this dump's liquidation.")]})


def dump_reopen(*, actor: User, dump_id: uuid.UUID | str, reason: Any, idempotency_key: str | None = None) -> Dump:
    """A liquidated dump came back: open again, waiting for another clean-up."""
    reason = _reason(reason, required=True)

    def check(dump: Dump) -> None:
        _coordinator_of(actor, dump)
        _in(dump, Dump.Status.LIQUIDATED)

    return _decide(
        dump_id,
        actor=actor,
        idempotency_key=idempotency_key,
        build=lambda dump: f.DumpReopened(dump_id=dump.id, coordinator_id=actor.volunteer_id, reason=reason),
        check=check,
    )


def dump_hide(*, actor: User, dump_id: uuid.UUID | str, reason: Any, idempotency_key: str | None = None) -> Dump:
    """Moderation: the dump leaves the public list and pages (what the feed published stays)."""
    reason = _reason(reason, required=True)

    def check(dump: Dump) -> None:
        _coordinator_of(actor, dump)
        if dump.hidden:
            raise DumpNotOpen()

    return _decide(
        dump_id,
        actor=actor,
        idempotency_key=idempotency_key,
        build=lambda dump: f.DumpHidden(dump_id=dump.id, coordinator_id=actor.volunteer_id, reason=reason),
        check=check,
    )


# --- bulk import from monitoring ------------------------------------------------------------------


def imported_dump_id(source: str, source_id: str) -> uuid.UUID:
    """The dump a source's row names, fixed for ever (changing it would make every re-import new)."""
    return uuid.uuid5(NAMESPACE, f"dump:{source}:{source_id}")


def imported_fact_id(source: str, source_id: str, row_digest: str) -> uuid.UUID:
    """The fact of one row as it reads: the same row again is the same fact, a changed row a new one."""
    return uuid.uuid5(NAMESPACE, f"dump:{source}:{source_id}:{row_digest}")


@dataclass
class ImportSummary:
    added: int = 0
    unchanged: int = 0
    changed: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)  # (row number, why)
    seconds: float = 0.0


IMPORT_BATCH = 500
MAX_SOURCE = 100


def dumps_import(*, rows: Iterable[Mapping[str, Any]], source: str) -> ImportSummary:
    """Import a source's rows (keys: id, latitude, longitude, and optionally detected_at, area,
    region), idempotent by (source, id). Rows are appended in batches of IMPORT_BATCH, one
    transaction each: the ids of a batch's facts are looked up in one query, so a re-import reads
    and writes nothing per row but the check."""
    started = time.perf_counter()
    summary = ImportSummary()
    source = (source or "").strip()
    if not source or len(source) > MAX_SOURCE:
        raise DumpInvalid(fields={"source": [_("Name the source in at most %(n)d characters.") % {"n": MAX_SOURCE}]})
    batch: list[f.DumpImported] = []
    seen: set[str] = set()
    with acting(source="import"):
        for number_, row in enumerate(rows, start=1):
            fact, why = _imported_fact(row, source)
            if fact is None:
                summary.refused.append((number_, why))
                continue
            if fact.source_id in seen:
                summary.refused.append((number_, _("The id %(id)s is given twice.") % {"id": fact.source_id}))
                continue
            seen.add(fact.source_id)
            batch.append(fact)
            if len(batch) >= IMPORT_BATCH:
                _import_batch(batch, summary)
                batch = []
        if batch:
            _import_batch(batch, summary)
    summary.seconds = time.perf_counter() - started
    return summary


def _import_batch(batch: list[f.DumpImported], summary: ImportSummary) -> None:
    with transaction.atomic():
        ids = {fact.dump_id: imported_fact_id(fact.source, fact.source_id, fact.row_digest) for fact in batch}
        stored = set(Fact.objects.filter(fact_id__in=list(ids.values())).values_list("fact_id", flat=True))
        versions = dict(Dump.objects.filter(pk__in=list(ids)).values_list("id", "version"))
        for fact in batch:
            fact_id = ids[fact.dump_id]
            if fact_id in stored:
                summary.unchanged += 1
                continue
            version = versions.get(fact.dump_id)
            append(
                f.dump_stream(fact.dump_id),
                [fact],
                expected_version=NO_STREAM if version is None else version,
                fact_ids=[fact_id],
            )
            if version is None:
                summary.added += 1
            else:
                summary.changed += 1


def _imported_fact(row: Mapping[str, Any], source: str) -> tuple[f.DumpImported | None, str]:
    """The fact of one row, or None and why it is refused."""
    source_id = str(row.get("id") or "").strip()
    if not source_id or len(source_id) > 100:
        return None, _("No id, or an id longer than 100 characters.")
    lat, lon = number(row.get("latitude")), number(row.get("longitude"))
    if lat is None or lon is None:
        return None, _("No point: give latitude and longitude.")
    lat, lon = round(float(lat), 6), round(float(lon), 6)
    if not in_kazakhstan(lat, lon):
        return None, _("The point is not in Kazakhstan.")
    region = str(row.get("region") or "").strip() or region_of_point(lat, lon)
    if region not in REGION_CODES:
        return None, _("There is no region %(code)r.") % {"code": region}
    area = number(row.get("area")) if row.get("area") not in (None, "") else None
    if row.get("area") not in (None, "") and (area is None or area < 0 or area >= Decimal(10) ** 10):
        return None, _("The area is not a number of m².")
    detected_on = None
    raw_day = str(row.get("detected_at") or "").strip()
    if raw_day:
        try:
            detected_on = dt.date.fromisoformat(raw_day[:10])
        except ValueError:
            return None, _("detected_at is not a date (YYYY-MM-DD).")
    area_text = plain(area.quantize(Decimal("0.01"))) if area is not None else None
    cleaned = {
        "id": source_id,
        "latitude": lat,
        "longitude": lon,
        "region": region,
        "area_m2": area_text,
        "detected_on": detected_on.isoformat() if detected_on else None,
    }
    digest = hashlib.sha256(json.dumps(cleaned, sort_keys=True).encode()).hexdigest()
    return (
        f.DumpImported(
            dump_id=imported_dump_id(source, source_id),
            source=source,
            source_id=source_id,
            region=region,
            latitude=lat,
            longitude=lon,
            size=f.size_of_area(float(area) if area is not None else None),
            area_m2=area_text,
            detected_on=detected_on,
            row_digest=digest,
        ),
        "",
    )
