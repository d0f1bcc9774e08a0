"""System checks of the ledger: every fact type a projection handles is one an app's facts.py registers.

A projection names its types by fact class (`ledger.projections.handler`, `fact_types`), so a typo
fails at import; this check catches what a class cannot: a type declared by hand, or one whose
`facts.py` went away. Either would leave the projection waiting for facts that can never be
appended, and `manage.py check` (run by `migrate`, `runserver` and the test suite) refuses it.
"""

from __future__ import annotations

from typing import Any

from django.core import checks

from ledger.facts import registered_types
from ledger.projections import all_projections


def projections_handle_registered_types(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    known = registered_types()
    return [
        checks.Error(
            f"Projection {name!r} handles {type_name!r}, which no facts.py registers.",
            hint="Name the fact class (ledger.projections.handler or fact_types) of a type declared with "
            "ledger.facts.fact_type.",
            obj=name,
            id="ledger.E001",
        )
        for name, projection in sorted(all_projections().items())
        for type_name in sorted(projection.handles - known.keys())
    ]
