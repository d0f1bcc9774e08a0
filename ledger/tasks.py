"""Celery tasks of the ledger: thin, idempotent, safe to run twice."""

from celery import shared_task

from ledger import runner


# Acknowledged only once it has run, and given back to the broker if its worker dies (SIGKILL, out
# of memory): safe because a catch-up is idempotent, each projection's checkpoint moves in the
# transaction of its batch and only one worker holds it at a time. Nobody reads its result: storing
# one would only be one more Redis write to fail while Redis is away.
@shared_task(name="ledger.catch_up_projections", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def catch_up_projections() -> int:
    """Fold new facts into every async projection (scheduled after appends, by a worker that connects
    and by beat)."""
    return runner.catch_up_scheduled()
