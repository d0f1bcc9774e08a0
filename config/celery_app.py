"""The one Celery app: configured from Django settings (CELERY_*), tasks found in every app."""

import logging
import logging.config
import os

from celery import Celery, bootsteps, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("taza")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)


@app.task(name="taza.ping")
def ping() -> str:
    """A task with no side effects: proves a worker is consuming from the broker."""
    return "pong"


@signals.setup_logging.connect
def use_the_project_logging(**kwargs) -> None:
    """Worker and beat log through settings.LOGGING (format, level from LOG_LEVEL), like the web.

    A receiver of this signal stops Celery from installing its own handlers on the root logger, so
    `--loglevel` is not what sets the level: LOG_LEVEL is."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


class CatchUpOnConnect(bootsteps.StartStopStep):
    """Each time the worker connects to the broker, first at start and again after losing it, it
    catches the projections up and sends the outbox's due messages at once, not at beat's next tick.

    A consumer step rather than `worker_ready`, which fires once: after Redis comes back empty the
    catch-ups that appends queued during the outage are gone (their publish failed, or Redis lost
    them), and nothing else would ask before beat. After a crash the task a killed worker held sits
    unacknowledged in the broker until its visibility timeout. A catch-up is idempotent (the runner
    locks each projection's checkpoint), so one more is always safe. It goes to a queue this worker
    consumes, so this worker runs it. The same holds for a send of the outbox: each message is taken
    by one sender under its row lock.
    """

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def start(self, parent) -> None:
        from django.conf import settings

        queues = list(app.amqp.queues.consume_from or app.amqp.queues)
        # By name from the settings: the Celery app is below the apps and imports none of them.
        for name in settings.TAZA_WORKER_ON_CONNECT_TASKS:
            try:
                app.tasks[name].apply_async(queue=queues[0] if queues else None)
            except Exception:  # noqa: BLE001  (the broker gone again: the next connection asks again)
                logger.exception("Could not queue %s for a worker that connected", name)


app.steps["consumer"].add(CatchUpOnConnect)
