"""Celery tasks of the ledger, and how appends queue them: thin, idempotent, safe to run twice.

Appends queue a catch-up after commit (`schedule_catch_up`). It is debounced with a short-lived
cache key, so a burst of appends queues one task, not one per append; the task deletes the key
before it reads anything, so a fact committed after that queues a new task (config/queueing.py).
"""

from celery import shared_task
from django.conf import settings
from django.core.cache import cache

from config.queueing import queue_debounced
from ledger import runner

DEBOUNCE_KEY = "ledger:catch-up-scheduled"
RETRY_SECONDS = 1.0  # busy projection or facts held back: look again this much later


def schedule_catch_up(*, countdown: float | None = None) -> None:
    """Queue a catch-up unless one is queued already (debounced)."""
    queue_debounced(
        catch_up_projections,
        key=DEBOUNCE_KEY,
        debounce_seconds=settings.LEDGER_CATCH_UP_DEBOUNCE_SECONDS,
        countdown=countdown,
    )


# Acknowledged only once it has run, and given back to the broker if its worker dies (SIGKILL, out
# of memory): safe because a catch-up is idempotent, each projection's checkpoint moves in the
# transaction of its batch and only one worker holds it at a time. Nobody reads its result: storing
# one would only be one more Redis write to fail while Redis is away.
@shared_task(name="ledger.catch_up_projections", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def catch_up_projections() -> int:
    """Fold new facts into every async projection (queued after appends, by a worker that connects
    and by beat)."""
    cache.delete(DEBOUNCE_KEY)  # before reading: a fact committed from now on schedules a new run
    folded, again = runner.catch_up_without_waiting()
    if again:
        schedule_catch_up(countdown=RETRY_SECONDS)
    return folded
