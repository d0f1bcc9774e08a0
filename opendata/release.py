"""The daily open-data release: a Frictionless Data Package of CSV tables, made once, kept for ever.

`release_make` reads every figure through the stats selectors (one source of each figure: the
tables of the release are the API's answers, flattened the way the API's CSV downloads flatten
them) inside one snapshot with the totals' checkpoint, so every table reflects the same ledger
position, which the package names (`taza.as_of_position`), with the transparency log's checkpoint
when there is one (opendata.checkpoint). The facts table is the public feed up to that position,
the errata table the errata log up to it. Cells go through config.csv_safety, as every CSV of the
platform.

A release is named by its day (`taza-YYYY-MM-DD`, Asia/Almaty): a second call on the same day
returns the release already made, so the beat task and the command are safe to run twice, and
what was published under a name never changes. Files go to Django's storage (`STORAGES["opendata"]`
when configured, else the file system under TAZA_OPEN_DATA_DIR) and their sizes and SHA-256 are
kept on the row and in `datapackage.json`, so a download can be checked.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import transaction
from django.utils import timezone, translation

from config.csv_safety import csv_safe_cell
from dumps import selectors as dumps
from events.evidence import evidence_grade
from events.verification import VERIFIED
from ledger.selectors import FEED_MAX_LIMIT, fact_feed
from opendata.checkpoint import release_checkpoint
from opendata.licenses import configured_license, license_of
from opendata.models import Erratum, Release
from photos.selectors import after_photo_counts
from stats import selectors as stats
from stats.api.views import CampaignPlanView, RegionTotalsView, flat
from stats.cache import consistent_read
from stats.metrics import PUBLIC_METRICS

PACKAGE = "datapackage.json"
# A file of the release is kept in memory up to this size while it is made, on disk beyond it.
SPOOL_BYTES = 8 * 1024 * 1024
ZIP = "datapackage.zip"
COUNTS = {"events", "participants", "volunteers", "headcount", "youth", "trees", "found", "liquidated"}
DATES = {"day", "starts_on", "ends_on", "on", "detected_on"}
DATETIMES = {"starts_at", "ends_at", "occurred_at", "recorded_at"}
DATETIMES |= {"found_at", "confirmed_at", "liquidated_at", "reopened_at"}
BOOLEANS = {"cancelled", "behind", "on_track"}
OBJECTS = {"data", "before", "after"}
ARRAYS = {"waste_kinds"}
INTEGERS = {"position", "version", "schema_version", "population", "result_version"}
NUMBERS = {"value", "verified", "cumulative", "target", "achieved", "achieved_verified", "percent"}
NUMBERS |= {"expected_percent", "latitude", "longitude", "area_m2", "rate"}


def field_type(name: str) -> str:
    """A column's Table Schema type, from its name (the API's names, so the same everywhere)."""
    for suffix in ("_verified", "_awaiting"):
        if name.endswith(suffix) and name != "achieved_verified":
            name = name[: -len(suffix)]
    if name in DATES:
        return "date"
    if name in DATETIMES:
        return "datetime"
    if name in BOOLEANS:
        return "boolean"
    if name in OBJECTS:
        return "object"
    if name in ARRAYS:
        return "array"
    if name in INTEGERS or name in COUNTS:
        return "integer"
    if name in NUMBERS or name.startswith(("waste_kg", "area_ha", "volunteer_hours")):
        return "number"
    return "string"


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: tuple[str, ...]
    primary_key: tuple[str, ...]
    rows: Callable[[dt.date, int], Iterable[dict]]
    # What a column means, where its name does not say it: the field's description in the schema.
    meanings: tuple[tuple[str, str], ...] = ()


def _figure_columns() -> tuple[str, ...]:
    return tuple(flat(stats.present({})))


def _split_columns(prefix: tuple[str, ...]) -> tuple[str, ...]:
    columns = list(prefix)
    for metric in _figure_columns():
        columns += [metric, f"{metric}_verified", f"{metric}_awaiting"]
    return tuple(columns)


def _fact_rows(day: dt.date, position: int) -> Iterable[dict]:
    if not position:
        return
    after = 0
    while True:
        page = fact_feed(after=after, until=position, limit=FEED_MAX_LIMIT)
        for fact in page.facts:
            yield {
                "position": fact.position,
                "fact_id": str(fact.fact_id),
                "stream": fact.stream,
                "version": fact.version,
                "type": fact.type,
                "schema_version": fact.schema_version,
                "occurred_at": fact.occurred_at,
                "recorded_at": fact.recorded_at,
                "source": fact.meta.get("source", ""),
                "data": fact.data,
            }
        if not page.more:
            return
        after = page.next_after


EVENT_COLUMNS = ("event_id", "campaign_id", "organisation_id", "region", "kind", "starts_at", "ends_at", "day")
EVENT_COLUMNS += ("cancelled", "status")


def _event_rows(day: dt.date, position: int) -> Iterable[dict]:
    for event in stats.public_event_figures():
        yield {**{name: event[name] for name in EVENT_COLUMNS}, **flat(event["figures"])}


def _result_rows(day: dt.date, position: int) -> Iterable[dict]:
    """Long form: one row per event and measure (waste by kind, trees by species, hectares)."""
    after_photos = after_photo_counts(until_position=position)
    for event in stats.public_event_figures():
        figures = event["figures"]
        if event["status"] == "none":
            continue
        base = {"event_id": event["event_id"], "region": event["region"], "campaign_id": event["campaign_id"]}
        base["status"] = event["status"]
        base["evidence_grade"] = evidence_grade(
            verified=event["status"] == VERIFIED,
            checked_in=figures["volunteers"],
            after_photos=after_photos.get(str(event["event_id"]), 0),
        )
        for kind, kg in sorted(figures["waste_kg_by_kind"].items()):
            if kg != "0.000":
                yield {**base, "measure": "waste_kg", "detail": kind, "value": kg}
        if figures["trees"]:
            yield {**base, "measure": "trees", "detail": "", "value": figures["trees"]}
        for species, count in sorted(event["tree_species"].items()):
            yield {**base, "measure": "trees_by_species", "detail": species, "value": count}
        if figures["area_ha"] != "0.0000":
            yield {**base, "measure": "area_ha", "detail": "", "value": figures["area_ha"]}
        if figures["headcount"]:
            yield {**base, "measure": "headcount", "detail": "", "value": figures["headcount"]}


def _region_rows(day: dt.date, position: int) -> Iterable[dict]:
    return RegionTotalsView().csv_rows(stats.region_totals())


def _campaign_rows(day: dt.date, position: int) -> Iterable[dict]:
    for campaign in stats.campaign_totals():
        row = {key: campaign[key] for key in ("campaign_id", "name", "starts_on", "ends_on")}
        verified, awaiting = flat(campaign["verified"]), flat(campaign["awaiting_verification"])
        for metric, value in flat(campaign["total"]).items():
            row[metric] = value
            row[f"{metric}_verified"] = verified[metric]
            row[f"{metric}_awaiting"] = awaiting[metric]
        yield row


PLAN_COLUMNS = ("campaign_id", "on", "region", "name", "behind", "metric", "target", "achieved")
PLAN_COLUMNS += ("achieved_verified", "percent", "expected_percent", "on_track")


def _plan_rows(day: dt.date, position: int) -> Iterable[dict]:
    for campaign in stats.campaign_totals():
        plan = stats.campaign_plan(campaign_id=campaign["campaign_id"], on=day)
        for row in CampaignPlanView().csv_rows(plan):
            yield {"campaign_id": plan["campaign_id"], "on": plan["on"], **row}


def _series_rows(day: dt.date, position: int) -> Iterable[dict]:
    for metric in PUBLIC_METRICS:
        for row in stats.timeseries(metric=metric, region=None, start=None, end=day):
            yield {"day": row["day"], "metric": metric, **{k: row[k] for k in ("value", "verified", "cumulative")}}


ERRATA_COLUMNS = ("position", "occurred_at", "kind", "event_id", "campaign_id", "region", "result_version")
ERRATA_COLUMNS += ("reason", "before", "after")


def _errata_rows(day: dt.date, position: int) -> Iterable[dict]:
    for row in Erratum.objects.filter(position__lte=position).order_by("position"):
        yield {name: getattr(row, name) for name in ERRATA_COLUMNS}


RESULT_MEANINGS = (
    (
        "evidence_grade",
        "How strong the event's figures are, weakest first: organiser_word (the organiser's figures only), "
        "with_checkins (the event has check-ins recorded), with_photos (check-ins and after-photos of the result "
        "not hidden), verified (the region's coordinator verified the figures that count).",
    ),
)


DUMP_COLUMNS = ("dump_id", "source", "source_id", "region", "status", "size", "area_m2", "waste_kinds")
DUMP_COLUMNS += ("latitude", "longitude", "detected_on", "found_at", "confirmed_at", "liquidated_at", "reopened_at")
DUMP_COLUMNS += ("cleared_by_event_id", "merged_into")
DUMP_MEANINGS = (
    ("dump_id", "The dump's id: its facts are the stream dump-<dump_id> of the facts table."),
    ("source", "report (a person reported it, a coordinator confirmed it) or the monitoring source's name."),
    ("source_id", "The monitoring source's own id of the dump; empty for a report."),
    ("region", "ISO 3166-2 code of the region."),
    (
        "status",
        "confirmed (on the ground, a reopened dump too), liquidated, dismissed (a false detection of "
        "monitoring) or merged (into the dump merged_into names).",
    ),
    ("size", "The area band: under_10_m2, 10_100_m2 or over_100_m2."),
    ("area_m2", "The area monitoring measured, m²; empty for a report."),
    ("waste_kinds", "The kinds of waste reported, a JSON array; empty for monitoring's rows."),
    ("latitude", "WGS 84, as the public facts carry it."),
    ("longitude", "WGS 84, as the public facts carry it."),
    ("detected_on", "The day monitoring detected it, as the source says; empty for a report."),
    ("found_at", "When it was reported, or first imported from monitoring."),
    ("confirmed_at", "When the region's coordinator confirmed the report; a monitoring row's first import."),
    ("liquidated_at", "When it was recorded liquidated; empty unless it is liquidated now."),
    ("reopened_at", "When it was last reopened (it came back); empty if never."),
    ("cleared_by_event_id", "The clean-up event whose verified result liquidated it; empty unless liquidated."),
    ("merged_into", "The dump a merged one is counted on; empty unless merged."),
)
LIQUIDATION_MEANINGS = (
    ("region", "ISO 3166-2 code of the region; KZ: the whole country."),
    (
        "found",
        "Public dumps confirmed (a report a coordinator confirmed, or a monitoring row), not dismissed, "
        "merged or hidden.",
    ),
    ("liquidated", "Of those found, the ones liquidated now (a reopened dump is found and not liquidated)."),
    ("rate", "liquidated / found, to 4 places; empty when none was found."),
)


def _dump_rows(day: dt.date, position: int) -> Iterable[dict]:
    """The public dumps (dumps.selectors.public_dumps: what the public list and pages show), in the
    order they were found. A report is public from its confirmation, so one dismissed or merged
    before it never appears; a dump hidden by moderation is left out, as from the list and the rate."""
    dates = dumps.dump_dates()
    for dump in dumps.public_dumps().order_by("reported_at", "id"):
        of = dates.get(str(dump.id))
        liquidated = dump.status == dump.Status.LIQUIDATED
        yield {
            "dump_id": str(dump.id),
            "source": dump.source if dump.origin == "monitoring" else "report",
            "source_id": dump.source_id,
            "region": dump.region_id,
            "status": dump.status,
            "size": dump.size,
            "area_m2": dump.area_m2,
            "waste_kinds": list(dump.waste_kinds),
            "latitude": dump.latitude,
            "longitude": dump.longitude,
            "detected_on": dump.detected_on,
            "found_at": dump.reported_at,
            "confirmed_at": of.confirmed_at if of else None,
            "liquidated_at": dump.liquidated_at if liquidated else None,
            "reopened_at": of.reopened_at if of else None,
            "cleared_by_event_id": str(dump.cleared_by_event_id) if liquidated and dump.cleared_by_event_id else None,
            "merged_into": str(dump.merged_into_id) if dump.merged_into_id else None,
        }


def _liquidation_rows(day: dt.date, position: int) -> Iterable[dict]:
    # Folded with the totals, so as of the release's position like every other figure in it.
    yield {"region": "KZ", **stats.national_totals()["dumps"]}
    for region in stats.region_totals():
        yield {"region": region["region"], **region["dumps"]}


TABLES = (
    Table(
        "facts",
        "Facts",
        "Every public fact up to the release's position, in feed order; `data` is its public form as JSON.",
        ("position", "fact_id", "stream", "version", "type", "schema_version", "occurred_at", "recorded_at")
        + ("source", "data"),
        ("position",),
        _fact_rows,
    ),
    Table(
        "events",
        "Events",
        "Every approved event: where, when, its status in the totals and the figures it counts for.",
        EVENT_COLUMNS + _figure_columns(),
        ("event_id",),
        _event_rows,
    ),
    Table(
        "results",
        "Results",
        "What each counted event achieved, one measure a row: waste by kind, trees (and by species), hectares.",
        ("event_id", "region", "campaign_id", "status", "evidence_grade", "measure", "detail", "value"),
        ("event_id", "measure", "detail"),
        _result_rows,
        RESULT_MEANINGS,
    ),
    Table(
        "totals_by_region",
        "Totals by region",
        "Every metric of each of the 20 regions: total, verified, awaiting verification.",
        _split_columns(("region", "name", "population")),
        ("region",),
        _region_rows,
    ),
    Table(
        "totals_by_campaign",
        "Totals by campaign",
        "Every metric of each campaign: total, verified, awaiting verification.",
        _split_columns(("campaign_id", "name", "starts_on", "ends_on")),
        ("campaign_id",),
        _campaign_rows,
    ),
    Table(
        "plan_vs_fact",
        "Plan versus fact",
        "Per campaign, region and metric on the release's day: target, achieved, percent, on track.",
        PLAN_COLUMNS,
        ("campaign_id", "region", "metric"),
        _plan_rows,
    ),
    Table(
        "timeseries",
        "Day by day",
        "Per day and metric, nationally: the figures of the events held that day and the running total.",
        ("day", "metric", "value", "verified", "cumulative"),
        ("day", "metric"),
        _series_rows,
    ),
    Table(
        "errata",
        "Errata",
        "Every correction, adjustment, rejection and undone check-in, with its reason and the figures "
        "before and after (JSON).",
        ERRATA_COLUMNS,
        ("position",),
        _errata_rows,
    ),
    Table(
        "dumps",
        "Illegal dumps",
        "Every public illegal dump site of the registry: where, how big, its status and the dates of its "
        "life, and the clean-up event that cleared it. No person: not the reporter, not who decided.",
        DUMP_COLUMNS,
        ("dump_id",),
        _dump_rows,
        DUMP_MEANINGS,
    ),
    Table(
        "dump_liquidation",
        "Illegal dumps liquidated",
        "The dumps found and liquidated, and the liquidation rate, nationally (KZ) and in each of the 20 regions.",
        ("region", "found", "liquidated", "rate"),
        ("region",),
        _liquidation_rows,
        LIQUIDATION_MEANINGS,
    ),
)


def _cell(value: object) -> object:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return csv_safe_cell(value)


@dataclass
class Written:
    """A file of the release as written: in a spooled temporary file (memory up to SPOOL_BYTES, then
    disk), so a table of millions of facts never sits in memory whole; its size, digest and rows."""

    file: IO[bytes]
    bytes: int = 0
    sha256: str = ""
    rows: int = 0


def _spooled(chunks: Iterable[bytes]) -> Written:
    written = Written(tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES))  # noqa: SIM115 (closed by release_make)
    digest = hashlib.sha256()
    for chunk in chunks:
        written.file.write(chunk)
        digest.update(chunk)
        written.bytes += len(chunk)
    written.sha256 = digest.hexdigest()
    written.file.seek(0)
    return written


def table_csv(table: Table, rows: Iterable[dict]) -> Written:
    """A table as CSV (CRLF, the platform's dialect), its header the schema's columns, every cell
    safe; written a thousand rows at a time."""
    counted = {"rows": 0}

    def chunks():
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(table.columns)
        for row in rows:
            writer.writerow(["" if row.get(name) is None else _cell(row.get(name)) for name in table.columns])
            counted["rows"] += 1
            if counted["rows"] % 1000 == 0:
                yield buffer.getvalue().encode()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue().encode()

    written = _spooled(chunks())
    written.rows = counted["rows"]
    return written


def table_schema(table: Table) -> dict:
    meanings = dict(table.meanings)
    fields = [{"name": name, "type": field_type(name)} for name in table.columns]
    for field in fields:
        if field["name"] in meanings:
            field["description"] = meanings[field["name"]]
    return {
        "fields": fields,
        "primaryKey": list(table.primary_key),
        "missingValues": [""],
    }


def storage() -> Storage:
    """Where releases are kept: STORAGES["opendata"] if configured, else the file system."""
    if "opendata" in settings.STORAGES:
        return storages["opendata"]
    return FileSystemStorage(location=settings.TAZA_OPEN_DATA_DIR)


def release_name(day: dt.date) -> str:
    return f"taza-{day.isoformat()}"


def release_make(*, day: dt.date | None = None) -> Release:
    """Make the release of `day` (today by default), or return it if it was made already."""
    day = day or timezone.localdate()
    name = release_name(day)
    made = Release.objects.filter(name=name).first()
    if made is not None:
        return made
    with translation.override("en"), consistent_read():
        freshness = stats.freshness()
        written = {f"{table.name}.csv": table_csv(table, table.rows(day, freshness.position)) for table in TABLES}
    try:
        return _keep(name, freshness, written)
    finally:
        for file in written.values():
            file.file.close()


def _keep(name: str, freshness: stats.Freshness, written: dict[str, Written]) -> Release:
    """The package and the zip of the tables written, all kept in storage, and the release's row."""
    leaves = written["facts.csv"].rows  # the feed's first `leaves` facts: the log's first leaves
    checkpoint = release_checkpoint(leaves=leaves)
    license_id = configured_license()
    made_at = timezone.now()
    site = settings.SITE_URL.rstrip("/")
    package = {
        "profile": "tabular-data-package",
        "name": "taza-open-data",
        "id": f"{site}/api/v1/open-data/releases/{name}/",
        "title": f"Taza open data, release {name}",
        "description": (
            "The public facts of Taza, the figures folded from them and the errata log, as of one ledger "
            "position: recount any figure from the facts table."
        ),
        "version": name,
        "created": made_at.isoformat(),
        "homepage": f"{site}/open-data/",
        "licenses": [license_of(license_id)],
        "sources": [{"title": "Taza public fact feed", "path": f"{site}/api/v1/facts/"}],
        "keywords": ["environment", "volunteering", "clean-up", "tree planting", "Kazakhstan"],
        "taza": {
            "as_of_position": freshness.position,
            "as_of_time": freshness.time.isoformat() if freshness.time else None,
            "leaves": leaves,
            "checkpoint": checkpoint,
        },
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": table.name,
                "path": f"{table.name}.csv",
                "title": table.title,
                "description": table.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": written[f"{table.name}.csv"].bytes,
                "hash": f"sha256:{written[f'{table.name}.csv'].sha256}",
                "schema": table_schema(table),
            }
            for table in TABLES
        ],
    }
    written[PACKAGE] = _spooled([json.dumps(package, ensure_ascii=False, indent=2).encode()])
    archive = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (closed with the others)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for file_name, file in written.items():
            with zipped.open(zipfile.ZipInfo(file_name, date_time=made_at.timetuple()[:6]), "w") as member:
                shutil.copyfileobj(file.file, member)
            file.file.seek(0)
    archive.seek(0)
    written[ZIP] = _spooled(iter(lambda: archive.read(1 << 20), b""))
    archive.close()
    kept = storage()
    files = []
    for file_name, file in written.items():
        files.append(
            {
                "name": file_name,
                "path": kept.save(f"{name}/{file_name}", File(file.file)),
                "bytes": file.bytes,
                "sha256": file.sha256,
                "mediatype": _mediatype(file_name),
            }
        )
    with transaction.atomic():
        return Release.objects.create(
            name=name,
            made_at=made_at,
            as_of_position=freshness.position,
            as_of_time=freshness.time,
            checkpoint=checkpoint,
            license=license_id,
            files=files,
        )


def _mediatype(file_name: str) -> str:
    if file_name.endswith(".csv"):
        return "text/csv"
    if file_name.endswith(".zip"):
        return "application/zip"
    return "application/json"
