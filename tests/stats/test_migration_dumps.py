"""Stats 0006 counts the dumps: totals folded before it never saw the dump facts, so it starts the
totals again from the first fact, and the next catch-up folds the dumps with the rest; a database
with no dump fact keeps its totals as they are."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ledger import store
from ledger.models import ProjectionCheckpoint
from stats import selectors
from stats.models import Total
from tests.stats.history import fold_all
from tests.stats.test_dump_figures import M1, imported

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("stats", "0005_event_figures_survival")]
AFTER = [("stats", "0006_dump_figures")]


def migrate(target) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(target)


def test_totals_folded_before_dumps_were_counted_are_folded_anew(story, fresh_stats_cache):
    fold_all()
    national_before = selectors.national_totals()
    migrate(BEFORE)
    # A dump imported and folded by totals that did not count dumps: the checkpoint passes it.
    store.append(f"dump-{M1}", [imported(M1, "KC-1", "KZ-71")])
    ProjectionCheckpoint.objects.filter(name="stats.totals").update(position=10**9)
    assert Total.objects.filter(metric__startswith="dumps_").count() == 0

    migrate(AFTER)

    assert ProjectionCheckpoint.objects.get(name="stats.totals").position == 0
    assert Total.objects.count() == 0
    fold_all()
    national = selectors.national_totals()
    assert national["dumps"] == {"found": 1, "liquidated": 0, "rate": "0.0000"}
    assert national["total"] == national_before["total"]


def test_a_database_with_no_dump_keeps_its_totals(story, fresh_stats_cache):
    fold_all()
    rows = sorted(Total.objects.values_list("scope", "key", "metric", "verified", "awaiting"))
    checkpoint = ProjectionCheckpoint.objects.get(name="stats.totals").position
    migrate(BEFORE)

    migrate(AFTER)

    assert ProjectionCheckpoint.objects.get(name="stats.totals").position == checkpoint
    assert sorted(Total.objects.values_list("scope", "key", "metric", "verified", "awaiting")) == rows
