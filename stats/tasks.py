"""The totals' periodic crediting (beat): thin, idempotent, safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from ledger.models import ProjectionCheckpoint
from ledger.projections import get
from stats.projections import TotalsProjection


def credit_due() -> bool:
    """Fold, with no facts, what the clock passing events' starts and ends changes
    (stats.crediting); whether anything changed. Skips when a catch-up holds the projection: its
    batch moves the clock and credits the same events."""
    with transaction.atomic():
        held = (
            ProjectionCheckpoint.objects.select_for_update(skip_locked=True)
            .filter(name=TotalsProjection.name)
            .values_list("name", flat=True)
            .first()
        )
        if held is None:
            return False  # busy in another worker, or never folded: nothing stored to credit
        return get(TotalsProjection.name).fold([])


# Like the catch-up: acknowledged once run, given back if its worker dies; nobody reads a result.
@shared_task(name="stats.credit_totals", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def credit_totals() -> bool:
    """Credit the events whose start or end has passed since the last fold (beat)."""
    return credit_due()
