"""Celery tasks of the outbox, and how a recording queues them: thin, safe to run twice (the sender
takes each message once)."""

from celery import shared_task
from django.conf import settings
from django.core.cache import cache

from config.queueing import queue_debounced
from outbox import sender

# Set while a send is queued and has not started looking: more recordings need not queue another.
KICK_KEY = "outbox:send-queued"


def queue_send() -> None:
    """Ask a worker to send what is due, unless a send is queued already and has not started."""
    queue_debounced(send_due, key=KICK_KEY, debounce_seconds=settings.TAZA_OUTBOX_QUEUE_DEBOUNCE_SECONDS)


# Acknowledged when taken, unlike the catch-ups. A task with late acknowledgement is terminated when
# the worker loses the broker (CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS), and a
# sender terminated between the mail server's "250 accepted" and its commit sends that message
# again. This one runs to its end through a Redis outage instead. If its worker dies, nothing is
# lost: the messages stay pending, and beat's tick and the worker's next connection send them.
# Nobody reads its result.
@shared_task(name="outbox.send_due", acks_late=False, ignore_result=True)
def send_due() -> int:
    """Send the due messages (queued after a commit that recorded some, by beat, by a worker that
    connects)."""
    # Before looking: a message committed from now on queues a send of its own.
    cache.delete(KICK_KEY)
    return sender.send_due()["sent"]
