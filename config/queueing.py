"""Queueing a Celery task after a commit: debounced, and never failing or stalling the writer.

A write that committed has happened, whatever the broker does next; the task it queues (a catch-up
of the projections, a send of the outbox) only makes its effects visible sooner. So:

- a cache key debounces: while one run is queued and has not started, more writes queue nothing
  (the task deletes the key when it starts, so a write after that queues a run of its own);
- the publish is tried once, never retried in the writer's request; if it fails (Redis away), the
  key is deleted again and this process stops trying for PAUSE_SECONDS, so a request never waits
  on a dead broker more than once in that time. The work is not lost: a worker that reconnects
  runs both tasks at once, and beat runs them every few seconds (config/settings/base.py).
"""

from __future__ import annotations

import logging
import threading
import time

from celery import Task
from django.core.cache import cache

logger = logging.getLogger(__name__)

PAUSE_SECONDS = 5.0
_paused_until = 0.0
_lock = threading.Lock()


def queue_debounced(task: Task, *, key: str, debounce_seconds: int, countdown: float | None = None) -> bool:
    """Queue `task` unless a run is queued already; True if this call queued one."""
    global _paused_until
    eager = task.app.conf.task_always_eager
    if eager and countdown:
        return False  # in-process tasks cannot be delayed: a retry would recurse; beat looks again
    if time.monotonic() < _paused_until or not cache.add(key, 1, timeout=debounce_seconds):
        return False
    if eager:
        task.apply_async()  # its own errors are the caller's to see (tests)
        return True
    try:
        task.apply_async(countdown=countdown, retry=False)
    except Exception as exc:  # noqa: BLE001  (any broker failure: the writer must not see it)
        cache.delete(key)
        with _lock:
            _paused_until = time.monotonic() + PAUSE_SECONDS
        logger.warning("Could not queue %s (the worker's reconnection and beat will run it): %r", task.name, exc)
        return False
    return True
