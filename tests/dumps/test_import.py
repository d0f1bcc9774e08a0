"""`manage.py dumps_import`: monitoring's files in, idempotent by (source, id), a summary out."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from dumps.models import Dump
from dumps.services import imported_dump_id
from ledger.models import Fact

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).parent / "monitoring_sample.geojson"


def run(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("dumps_import", str(path), *args, stdout=out)
    return re.sub(r"in \d+\.\d\d s", "in N s", out.getvalue())


def test_a_geojson_file_is_imported_and_a_reimport_adds_nothing(client):
    assert run(SAMPLE).splitlines() == [
        "kosmos-2025: 5 rows in N s: 3 added, 0 unchanged, 0 changed, 2 refused",
        "  row 4: The point is not in Kazakhstan.",
        "  row 5: No point: give latitude and longitude.",
    ]
    first = Dump.objects.get(pk=imported_dump_id("kosmos-2025", "KS-0001"))
    assert (first.origin, first.status, first.region_id, first.size, str(first.area_m2), str(first.detected_on)) == (
        "monitoring",
        "confirmed",
        "KZ-71",
        "over_100_m2",
        "420.00",
        "2025-05-14",
    )
    # no region in the row: the nearest administrative centre's (Almaty's)
    assert Dump.objects.get(source_id="KS-0002").region_id == "KZ-75"
    facts = Fact.objects.count()

    assert run(SAMPLE).splitlines()[0] == "kosmos-2025: 5 rows in N s: 0 added, 3 unchanged, 0 changed, 2 refused"
    assert Fact.objects.count() == facts
    rates = client.get("/api/v1/dumps/rates/").json()["national"]
    assert (rates["found"], rates["liquidated"]) == (3, 0)
    assert client.get("/api/v1/dumps/imports/").json()[0]["dumps"] == 3


def test_a_changed_row_adds_one_fact(tmp_path):
    run(SAMPLE)
    document = json.loads(SAMPLE.read_text())
    document["features"][2]["properties"]["area"] = 12
    changed = tmp_path / "kosmos.geojson"
    changed.write_text(json.dumps(document))
    facts = Fact.objects.count()

    assert run(changed).splitlines()[0] == "kosmos-2025: 5 rows in N s: 0 added, 2 unchanged, 1 changed, 2 refused"

    assert Fact.objects.count() == facts + 1
    dump = Dump.objects.get(source_id="KS-0003")
    assert (dump.version, dump.size, str(dump.area_m2)) == (2, "10_100_m2", "12.00")


def test_a_csv_file_with_the_documented_columns(tmp_path):
    sheet = tmp_path / "ecology-dept.csv"
    sheet.write_text(
        "id,latitude,longitude,detected_at,area,region\n"
        "A-1,51.1283,71.4305,2025-04-01,15,KZ-71\n"
        "A-2,49.8019,73.1021,,,\n"
        "A-2,49.8019,73.1021,,,\n"
        "A-3,49.8,73.1,01.04.2025,,\n"
    )

    assert run(sheet).splitlines() == [
        "ecology-dept: 4 rows in N s: 2 added, 0 unchanged, 0 changed, 2 refused",
        "  row 3: The id A-2 is given twice.",
        "  row 4: detected_at is not a date (YYYY-MM-DD).",
    ]
    assert Dump.objects.get(source_id="A-2").region_id == "KZ-35"  # nearest centre: Karaganda


def test_a_few_thousand_rows_in_batches(tmp_path):
    rows = "\n".join(f"B-{i},{45 + (i % 900) / 100:.4f},{60 + i / 200:.4f},2025-05-01,{i % 300},," for i in range(3000))
    sheet = tmp_path / "bulk.csv"
    sheet.write_text("id,latitude,longitude,detected_at,area,region\n" + rows + "\n")

    # (how long it takes is printed, not asserted: bench/ times things; here 1.8 s, and 0.24 s again)
    assert run(sheet).splitlines()[0] == "bulk: 3000 rows in N s: 3000 added, 0 unchanged, 0 changed, 0 refused"
    assert run(sheet).splitlines()[0] == "bulk: 3000 rows in N s: 0 added, 3000 unchanged, 0 changed, 0 refused"
