"""The one Celery app: configured from Django settings (CELERY_*), tasks found in every app."""

import logging
import logging.config
import os

from celery import Celery, signals

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


@signals.worker_ready.connect
def catch_up_on_start(sender, **kwargs) -> None:
    """A worker that starts catches the projections up at once, instead of at beat's next tick.

    After a crash or a deploy the projections may be behind by everything appended meanwhile, and
    the task a killed worker held may sit unacknowledged in the broker until its visibility timeout.
    The catch-up is idempotent (the runner locks each projection's checkpoint), so sending one more
    is always safe. It goes to a queue this worker consumes, so it is this worker that runs it.
    """
    from ledger.tasks import catch_up_projections

    queues = list(app.amqp.queues.consume_from or app.amqp.queues)
    try:
        catch_up_projections.apply_async(queue=queues[0] if queues else None)
    except Exception:  # noqa: BLE001  (a broker gone again: beat and the next append look anyway)
        logger.exception("Could not queue the catch-up of a starting worker")
