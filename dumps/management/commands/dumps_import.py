"""Import monitored dump sites from a GeoJSON or CSV file, idempotent by (source, id).

    manage.py dumps_import FILE [--source NAME]

GeoJSON: a FeatureCollection of Point features (coordinates [longitude, latitude]) whose properties
carry `id` (the source's own id, required), `detected_at` (YYYY-MM-DD…), `area` (m²) and `region`
(ISO 3166-2 code, e.g. KZ-71), the last three optional. CSV (UTF-8, a header row): the columns
`id,latitude,longitude,detected_at,area,region`, the last three optional. A row without a region
takes the one whose administrative centre is nearest its point (dumps/places.py).

The source is `--source`, else the collection's `name` or the file's name without its suffix.
A re-import of the same rows adds nothing; a changed row adds one `DumpImported`.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dumps.services import dumps_import


def rows_of_geojson(document: dict) -> list[dict]:
    if document.get("type") != "FeatureCollection" or not isinstance(document.get("features"), list):
        raise CommandError("GeoJSON: expected a FeatureCollection with features")
    rows = []
    for feature in document["features"]:
        properties = dict((feature or {}).get("properties") or {})
        geometry = (feature or {}).get("geometry") or {}
        coordinates = geometry.get("coordinates") if geometry.get("type") == "Point" else None
        if isinstance(coordinates, list) and len(coordinates) >= 2:
            properties["longitude"], properties["latitude"] = coordinates[0], coordinates[1]
        rows.append(properties)
    return rows


class Command(BaseCommand):
    help = "Import monitored dump sites from GeoJSON or CSV (idempotent by source and id)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", default="", help="The source's name (default: from the file).")

    def handle(self, *args, file: Path, source: str, **options) -> None:
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        if file.suffix.lower() in (".geojson", ".json"):
            try:
                document = json.loads(file.read_text(encoding="utf-8"))
            except ValueError as exc:
                raise CommandError(f"{file}: not JSON ({exc})") from None
            rows = rows_of_geojson(document)
            source = source or str(document.get("name") or "") or file.stem
        elif file.suffix.lower() == ".csv":
            with file.open(encoding="utf-8-sig", newline="") as handle:
                rows = list(csv.DictReader(handle))
            source = source or file.stem
        else:
            raise CommandError(f"{file}: give a .geojson, .json or .csv file")
        summary = dumps_import(rows=rows, source=source)
        self.stdout.write(
            f"{source}: {len(rows)} rows in {summary.seconds:.2f} s: {summary.added} added, "
            f"{summary.unchanged} unchanged, {summary.changed} changed, {len(summary.refused)} refused"
        )
        for number, why in summary.refused:
            self.stdout.write(f"  row {number}: {why}")
