"""Appends schedule the async catch-up after commit, debounced; the runner moves past facts it
does not handle."""

import pytest
from redis import Redis

from ledger import reading
from ledger.runner import catch_up
from ledger.store import append
from ledger.tasks import catch_up_projections
from tests.ledger.helpers import WAIT, checkpoint, needs_redis, totals
from tests.ledger.sampleapp.facts import SampleNoted, SampleTallied


@pytest.mark.redis
@needs_redis
@pytest.mark.django_db(transaction=True)
def test_a_burst_of_1000_appends_queues_one_catch_up_and_the_next_append_after_it_another(
    tasks_queued_not_run, settings
):
    # Given a debounce longer than the burst takes, however loaded the machine
    settings.LEDGER_CATCH_UP_DEBOUNCE_SECONDS = 600
    queue = Redis.from_url(settings.REDIS_URL)
    queued_before = queue.llen("celery")

    for n in range(1000):
        append(f"burst-{n % 10}", [SampleTallied("a", 1)])
    queued_after_burst = queue.llen("celery")
    catch_up_projections()  # the queued task, run here: it clears the debounce first
    append("burst-0", [SampleTallied("a", 1)])
    queued_after_next = queue.llen("celery")
    catch_up(totals(), wait=WAIT)  # (the task folds what is under the horizon; this also waits for the rest)

    assert (queued_before, queued_after_burst, queued_after_next) == (0, 1, 2)
    assert totals().snapshot() == {"a": {"amount": 1001, "facts": 1001}}


@pytest.mark.django_db
def test_the_checkpoint_moves_past_facts_the_projection_does_not_handle():
    tallied = append("counter-1", [SampleTallied("a", 2)])
    noted = append("notes", [SampleNoted("x"), SampleNoted("y")])

    folded = catch_up(totals(), wait=WAIT)

    assert folded == 1
    assert totals().snapshot() == {"a": {"amount": 2, "facts": 1}}
    assert checkpoint()[1] == noted.position > tallied.position
    assert checkpoint() == reading.head()


@pytest.mark.django_db
def test_small_batches_fold_everything_once():
    for n in range(23):
        append(f"counter-{n % 4}", [SampleTallied("abc"[n % 3], n)])

    folded = catch_up(totals(), batch_size=5) + catch_up(totals(), batch_size=5)

    assert folded == 23
    assert totals().snapshot() == {
        "a": {"amount": sum(range(0, 23, 3)), "facts": 8},
        "b": {"amount": sum(range(1, 23, 3)), "facts": 8},
        "c": {"amount": sum(range(2, 23, 3)), "facts": 7},
    }
