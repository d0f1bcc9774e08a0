"""Where a point is: inside Kazakhstan, and in which region.

The platform ships no region boundaries (reference/ has the regions' names and administrative
centres, and the settlements' points; no openly licensed polygons of the 2022 regions are in the
tree). So a point's region is the region whose administrative centre is nearest it, measured on
the sphere: right for most of a region, and wrong near a border, where the reporter's or the
source's own region (given in the report or the row) wins. The country is its bounding box.
"""

from __future__ import annotations

import csv
import functools
import math

from reference.regions import DATA as REGIONS
from reference.settlements import settlement_find

# Kazakhstan's extreme points, rounded outwards.
SOUTH, NORTH, WEST, EAST = 40.5, 55.5, 46.4, 87.4
EARTH_RADIUS_M = 6_371_000


def in_kazakhstan(latitude: float, longitude: float) -> bool:
    return SOUTH <= latitude <= NORTH and WEST <= longitude <= EAST


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


# Centres that GeoNames knows by another spelling than the regions' file.
CENTRE_SPELLINGS = {"Konaev": "Қонаев", "Karaganda": "Karagandy", "Jezkazgan": "Zhezqazghan", "Oskemen": "Өскемен"}


@functools.cache
def _centres() -> tuple[tuple[str, float, float], ...]:
    """(code, latitude, longitude) of each shipped region's administrative centre, from the
    shipped files (not the table: an admin's edit of a centre's name must not move a region)."""
    centres = []
    with REGIONS.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            centre = row["centre_en"]
            settlement = settlement_find(CENTRE_SPELLINGS.get(centre, centre))
            if settlement is None:
                raise LookupError(f"the centre of {row['iso_code']}, {centre}, is not among the settlements")
            centres.append((row["iso_code"], settlement.latitude, settlement.longitude))
    return tuple(centres)


def region_of_point(latitude: float, longitude: float) -> str:
    """The code of the region whose administrative centre is nearest the point."""
    return min(_centres(), key=lambda c: distance_m(latitude, longitude, c[1], c[2]))[0]
