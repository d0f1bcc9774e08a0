"""Fact types of the sample domain. `SampleTallied` is at schema version 2: version 1 called the
amount `count` and had no unit."""

from dataclasses import dataclass

from ledger.facts import fact_type, upcaster


@fact_type("SampleTallied", version=2)
@dataclass(frozen=True)
class SampleTallied:
    counter: str
    amount: int
    unit: str = "piece"


@upcaster("SampleTallied", from_version=1)
def _tallied_v1_to_v2(data: dict) -> dict:
    return {"counter": data["counter"], "amount": data["count"], "unit": "piece"}


@fact_type("SampleNoted")
@dataclass(frozen=True)
class SampleNoted:
    """A fact no projection handles: checkpoints must still move past it."""

    text: str
