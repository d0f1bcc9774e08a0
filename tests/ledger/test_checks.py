"""`manage.py check` refuses a projection that handles a fact type no app's facts.py registers."""

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from ledger import projections
from ledger.projections import AsyncProjection, InlineProjection, fact_types, handler
from tests.ledger.sampleapp.facts import SampleNoted, SampleTallied

HINT = "Name the fact class (ledger.projections.handler or fact_types) of a type declared with ledger.facts.fact_type."


class TalliesOfAMisspeltType(AsyncProjection):
    name = "ledger_sample.misspelt"
    handles = frozenset({"SampleTallied", "SampleTalied"})


def ledger_errors() -> list[checks.CheckMessage]:
    return [message for message in checks.run_checks() if message.id.startswith("ledger.")]


def test_every_projection_of_the_project_handles_registered_types():
    assert ledger_errors() == []
    call_command("check")  # raises SystemCheckError on any error


def test_a_projection_handling_an_unregistered_type_fails_the_check(monkeypatch):
    monkeypatch.setitem(projections._REGISTRY, TalliesOfAMisspeltType.name, TalliesOfAMisspeltType())

    errors = ledger_errors()

    assert errors == [
        checks.Error(
            "Projection 'ledger_sample.misspelt' handles 'SampleTalied', which no facts.py registers.",
            hint=HINT,
            obj="ledger_sample.misspelt",
            id="ledger.E001",
        )
    ]
    with pytest.raises(SystemCheckError, match=r"ledger_sample\.misspelt: \(ledger\.E001\)"):
        call_command("check")


def test_handlers_are_declared_by_fact_class_and_make_what_a_projection_handles():
    class Tallies(InlineProjection):
        name = "ledger_sample.declared"

        @handler(SampleTallied)
        def _tallied(self, fact, data) -> None: ...

        @handler(SampleNoted)
        def _noted(self, fact, data) -> None: ...

    class MoreTallies(Tallies):
        @handler(SampleTallied)
        def _tallied_again(self, fact, data) -> None: ...

    assert Tallies.handles == {"SampleTallied", "SampleNoted"} == fact_types(SampleTallied, SampleNoted)
    assert dict(Tallies.fact_handlers) == {"SampleTallied": Tallies._tallied, "SampleNoted": Tallies._noted}
    assert dict(MoreTallies.fact_handlers) == {
        "SampleTallied": MoreTallies._tallied_again,
        "SampleNoted": Tallies._noted,
    }
