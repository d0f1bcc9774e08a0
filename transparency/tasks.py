from celery import shared_task

from ledger.projections import get
from ledger.runner import catch_up
from transparency.services import checkpoint_publish


@shared_task(name="transparency.publish_checkpoint")
def publish_checkpoint() -> int | None:
    """Bring the log up to date, then sign a checkpoint if it grew: beat runs it every
    TAZA_LOG_CHECKPOINT_SECONDS, and a worker once when it connects (so `make run` publishes one at
    start). Safe to run twice: a size is checkpointed once."""
    catch_up(get("transparency.log"), wait=5.0)
    checkpoint = checkpoint_publish()
    return checkpoint.size if checkpoint else None
