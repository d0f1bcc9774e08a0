"""The people and the event of tests/events (one Astana eco-club, its coordinator, an open campaign),
and a dump reported by a volunteer in Astana."""

from __future__ import annotations

import math

from tests.events.conftest import (  # noqa: F401  (fixtures)
    ASTANA,
    admin,
    campaign,
    client_for,
    coordinator,
    eco_club,
    event,
    in_english,
    make_event,
    organiser,
    other_coordinator,
    person,
    volunteer,
    volunteers,
)

# A point on the left bank of the Esil in Astana; METRES north of it: `north(45)`.
ASTANA_POINT = (51.1283, 71.4305)
METRES_PER_DEGREE = 6_371_000 * math.pi / 180  # of latitude, on the sphere dumps.places measures on


def north(metres: float) -> tuple[float, float]:
    return (round(ASTANA_POINT[0] + metres / METRES_PER_DEGREE, 6), ASTANA_POINT[1])


def report_body(point: tuple[float, float] = ASTANA_POINT, **overrides) -> dict:
    return {
        "latitude": point[0],
        "longitude": point[1],
        "size": "10_100_m2",
        "waste_kinds": ["plastic", "mixed"],
        "note": "Behind the garages, bags and a sofa.",
        **overrides,
    }
