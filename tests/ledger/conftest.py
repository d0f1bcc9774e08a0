import pytest
from django.core.cache import cache

from ledger.tasks import DEBOUNCE_KEY, catch_up_projections


@pytest.fixture
def tasks_queued_not_run(settings):
    """Scheduled catch-ups go to the broker and stay there (no worker consumes them in the test),
    so that the test decides when projections run."""
    # Through Django's settings, which the Celery app reads live: setting app.conf directly would
    # pin the value in Celery's own layer for every later test.
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app = catch_up_projections.app
    app.control.purge()
    cache.delete(DEBOUNCE_KEY)
    yield app
    app.control.purge()
    cache.delete(DEBOUNCE_KEY)
