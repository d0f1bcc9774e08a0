"""The countries an instance may serve and their first-level divisions, shipped in reference/data/.

`data/countries.csv` holds the five Central Asian countries; `data/<cc>_regions.csv` each one's
divisions (ISO 3166-2 codes, names, administrative centre, population; data/README.md cites the
figures). An instance serves the countries of `settings.TAZA_COUNTRIES` (Kazakhstan by default):
their rows are created, their codes are the API's enum of regions.
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

DATA_DIR = Path(__file__).resolve().parent / "data"
COUNTRIES_DATA = DATA_DIR / "countries.csv"
# Kazakhstan's file, the one campaigns 0002 loaded before there were countries.
DATA = DATA_DIR / "kz_regions.csv"

# The fields reference 0002 added to a region: filled where still empty, so an existing row gains them
# without losing an admin's edit of any other field.
_ADDED_TEXT = ("name_local", "centre_local", "centre_ru")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def divisions_file(country: str) -> Path:
    """The file of `country`'s first-level divisions (ISO 3166-1 alpha-2 code)."""
    return DATA_DIR / f"{country.lower()}_regions.csv"


# The countries shipped, in the file's order.
COUNTRY_CODES: tuple[str, ...] = tuple(row["code"] for row in _rows(COUNTRIES_DATA))


def countries_served() -> tuple[str, ...]:
    """The countries this instance serves (`TAZA_COUNTRIES`), each once, in the order given."""
    setting = settings.TAZA_COUNTRIES
    wanted = [code.strip().upper() for code in setting if code.strip()]
    unknown = sorted(set(wanted) - set(COUNTRY_CODES))
    if unknown or not wanted:
        raise ImproperlyConfigured(
            f"TAZA_COUNTRIES must name one or more of {', '.join(COUNTRY_CODES)}; got {setting!r}."
        )
    return tuple(dict.fromkeys(wanted))


def region_codes(countries: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The ISO 3166-2 codes of the divisions of `countries`, sorted."""
    return tuple(sorted(row["iso_code"] for country in countries for row in _rows(divisions_file(country))))


# The ISO 3166-2 codes of the regions served, as shipped: admins edit a region's names and figures, never
# its code, so an API field that takes a region can say exactly which values it takes (an enum). Read once,
# when the schema is built: a default instance's are Kazakhstan's 20, as they always were.
REGION_CODES = region_codes(countries_served())


def _population(text: str) -> int | None:
    return int(text) if text.strip() else None


def countries_ensure(country_model: type[models.Model], *, countries: tuple[str, ...], using: str = "default") -> int:
    """Create the missing rows of `countries`; return how many. Existing rows keep an admin's edits."""
    existing = set(country_model.objects.using(using).values_list("code", flat=True))
    missing = [
        country_model(
            code=row["code"],
            name_local=row["name_local"],
            name_kk=row["name_kk"],
            name_ru=row["name_ru"],
            name_en=row["name_en"],
            time_zone=row["time_zone"],
            population=_population(row["population"]),
            population_year=_population(row["population_year"]),
            population_source=row["population_source"],
        )
        for row in _rows(COUNTRIES_DATA)
        if row["code"] in countries and row["code"] not in existing
    ]
    country_model.objects.using(using).bulk_create(missing)
    return len(missing)


def regions_ensure(region_model: type[models.Model], *, using: str = "default") -> int:
    """Create the served countries and their regions that are missing; return how many regions.

    Existing rows keep an admin's edits; of the fields reference 0002 added (the name in the country's
    language, the centre's names) an empty one is filled from the file. Takes the model so a data
    migration can pass its historical one: campaigns 0002's region has no country yet, and gets
    Kazakhstan's 20 as it always did. Also runs after every migrate and every flush (post_migrate), so a
    database emptied by a test's flush gets its reference data back the same way a fresh one does.
    """
    manager = region_model.objects.using(using)
    field_names = {field.name for field in region_model._meta.get_fields()}
    if "country" not in field_names:  # before countries (campaigns 0002)
        existing = set(manager.values_list("code", flat=True))
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
            for row in _rows(DATA)
            if row["iso_code"] not in existing
        ]
        manager.bulk_create(missing)
        return len(missing)

    served = countries_served()
    countries_ensure(region_model._meta.get_field("country").related_model, countries=served, using=using)
    existing = {region.code: region for region in manager.filter(country__in=served)}
    taken = set(manager.values_list("code", flat=True))
    missing, gaining = [], []
    for country in served:
        for row in _rows(divisions_file(country)):
            region = existing.get(row["iso_code"])
            if region is None and row["iso_code"] not in taken:
                missing.append(
                    region_model(
                        code=row["iso_code"],
                        country_id=country,
                        kind=row["kind"],
                        name_local=row["name_local"],
                        name_en=row["name_en"],
                        name_kk=row["name_kk"],
                        name_ru=row["name_ru"],
                        centre_en=row["centre_en"],
                        centre_local=row["centre_local"],
                        centre_ru=row["centre_ru"],
                        population=_population(row["population_approx"]),
                    )
                )
            elif region is not None:
                empty = [name for name in _ADDED_TEXT if not getattr(region, name) and row[name]]
                for name in empty:
                    setattr(region, name, row[name])
                if empty:
                    gaining.append(region)
    manager.bulk_create(missing)
    if gaining:
        manager.bulk_update(gaining, list(_ADDED_TEXT))
    return len(missing)
