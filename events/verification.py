"""The rule of a result's verification, the one place it is written: what a coordinator's decision
makes of the logged figures, and the words for where a figure stands.

Pure: no database. The events projection keeps each figure as reported and as verified
(`Result.figures`); the totals keep an event's figures in exact units (stats.metrics). Both take
what an adjustment replaces from `adjustment()`, and their statuses from here.
"""

from __future__ import annotations

# Where a figure (or an event's figures, in the totals) stands.
VERIFIED = "verified"  # accepted as logged, or as a coordinator adjusted it
AWAITING = "awaiting"  # logged (or corrected) and not judged since
REJECTED = "rejected"  # judged and refused: it counts nowhere

# A coordinator's decisions (ResultVerified.decision): ACCEPTED, ADJUSTED, or REJECTED (above).
ACCEPTED = "accepted"
ADJUSTED = "adjusted"

# The figures of a result, as ResultLogged and ResultVerified name them.
RESULT_FIGURES = ("waste_kg", "trees", "area_ha", "headcount")


def adjustment(data: dict) -> dict:
    """The figures an adjusting ResultVerified names (not None). Waste and tree species are per
    kind and per species: only those named are replaced (schema 1's `waste_kg_whole` facts gave
    the whole breakdown, and a kind they leave out is no longer there)."""
    return {name: data[name] for name in (*RESULT_FIGURES, "tree_species") if data.get(name) is not None}


def verified_result(logged: dict, data: dict) -> dict:
    """The figures a coordinator's adjustment makes of the report it judged, both in the facts'
    form ({"waste_kg": {kind: "kg"}, "trees", "tree_species", "area_ha", "headcount"}).

    Each kind of waste and each species named replaces the organiser's figure; every other keeps
    it. Trees: the number given, else the organiser's moved by the species adjusted (so with a
    complete species list the trees stay their sum).
    """
    replaced = adjustment(data)
    waste = dict(logged.get("waste_kg") or {})
    if "waste_kg" in replaced:
        waste = dict(replaced["waste_kg"]) if data.get("waste_kg_whole") else {**waste, **replaced["waste_kg"]}
    logged_species = dict(logged.get("tree_species") or {})
    species = {**logged_species, **replaced.get("tree_species", {})}
    trees = int(logged.get("trees") or 0)
    if "trees" in replaced:
        trees = int(replaced["trees"])
    else:
        trees += sum(n - logged_species.get(name, 0) for name, n in replaced.get("tree_species", {}).items())
    return {
        "waste_kg": waste,
        "trees": trees,
        "tree_species": dict(sorted(species.items())),
        "area_ha": str(replaced.get("area_ha", logged.get("area_ha") or "0")),
        "headcount": int(replaced.get("headcount", logged.get("headcount") or 0)),
    }
