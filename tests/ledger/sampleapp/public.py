"""The public form of the sample domain's facts: whole, as stored."""

from ledger.public import PublicView, public_form


@public_form("SampleTallied", fields=("counter", "amount", "unit"))
@public_form("SampleNoted", fields=("text",))
def _whole(fact: PublicView) -> dict:
    return dict(fact.data)
