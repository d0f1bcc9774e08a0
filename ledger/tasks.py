"""Celery tasks of the ledger: thin, idempotent, safe to run twice."""

from celery import shared_task

from ledger import runner


@shared_task(name="ledger.catch_up_projections")
def catch_up_projections() -> int:
    """Fold new facts into every async projection (scheduled after appends, and by beat)."""
    return runner.catch_up_scheduled()
