"""The 20 regions of Kazakhstan, reference data shipped in reference/data/kz_regions.csv."""

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "kz_regions.csv"


def _codes() -> tuple[str, ...]:
    with DATA.open(encoding="utf-8") as handle:
        return tuple(row["iso_code"] for row in csv.DictReader(handle))


# The ISO 3166-2 codes of the regions, as shipped: admins edit a region's names and figures, never its
# code, so an API field that takes a region can say exactly which values it takes (an enum).
REGION_CODES = _codes()


def regions_ensure(region_model) -> int:
    """Create the regions that are missing; return how many. Existing rows keep an admin's edits.

    Takes the model so the data migration can pass its historical one. Also runs after every
    migrate and every flush (post_migrate), so a database emptied by a test's flush gets its
    reference data back the same way a fresh one does.
    """
    existing = set(region_model.objects.values_list("code", flat=True))
    with DATA.open(encoding="utf-8") as handle:
        missing = [
            region_model(
                code=row["iso_code"],
                kind=row["kind"],
                name_en=row["name_en"],
                name_kk=row["name_kk"],
                name_ru=row["name_ru"],
                centre_en=row["centre_en"],
                population=int(row["population_approx"]),
            )
            for row in csv.DictReader(handle)
            if row["iso_code"] not in existing
        ]
    region_model.objects.bulk_create(missing)
    return len(missing)
