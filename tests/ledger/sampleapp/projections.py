"""Projections of the sample domain: one inline, one async."""

import os
import time
from collections.abc import Iterable
from pathlib import Path

from django.db.models import F

from ledger.projections import AsyncProjection, InlineProjection, fact_types, handler, register
from ledger.stored import StoredFact
from tests.ledger.sampleapp.facts import SampleTallied
from tests.ledger.sampleapp.models import SampleStreamTally, SampleTotal

# The crash test starts a Celery worker with this set: the fold writes its rows, then says so by
# creating the file and hangs until the worker is killed, so the kill lands mid-batch for sure.
PAUSE_FILE_ENV = "LEDGER_SAMPLE_PAUSE_FILE"


@register
class SampleTotals(AsyncProjection):
    name = "ledger_sample.totals"
    handles = fact_types(SampleTallied)
    models = (SampleTotal,)

    def fold(self, facts: list[StoredFact]) -> None:
        delta = self.compute(facts)
        existing = {row.counter: row for row in SampleTotal.objects.filter(counter__in=delta)}
        rows = []
        for counter, change in delta.items():
            row = existing.get(counter) or SampleTotal(counter=counter)
            row.amount += change["amount"]
            row.facts += change["facts"]
            rows.append(row)
        SampleTotal.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["counter"], update_fields=["amount", "facts"]
        )
        if pause_file := os.environ.get(PAUSE_FILE_ENV):
            Path(pause_file).write_text(str(len(facts)))
            time.sleep(120)

    def compute(self, facts: Iterable[StoredFact]) -> dict:
        totals: dict[str, dict[str, int]] = {}
        for fact in facts:
            total = totals.setdefault(fact.data["counter"], {"amount": 0, "facts": 0})
            total["amount"] += fact.data["amount"]
            total["facts"] += 1
        return totals

    def snapshot(self) -> dict:
        return {row.counter: {"amount": row.amount, "facts": row.facts} for row in SampleTotal.objects.all()}


@register
class SampleStreamTallies(InlineProjection):
    name = "ledger_sample.stream_tallies"
    models = (SampleStreamTally,)

    @handler(SampleTallied)
    def _tallied(self, fact: StoredFact, data: dict) -> None:
        amount = data["amount"]
        updated = SampleStreamTally.objects.filter(stream=fact.stream).update(
            amount=F("amount") + amount, version=fact.version
        )
        if not updated:
            SampleStreamTally.objects.create(stream=fact.stream, amount=amount, version=fact.version)
