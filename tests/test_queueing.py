"""Writes with the broker gone: each commits and is answered, a failed publish is not retried in the
request, leaves no debounce key behind (the next write after the pause may queue again) and pauses
this process's attempts instead of paying a dead broker's price on every write."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from tests.live import django_env, free_port, run_python

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WRITES = """
import json, logging, django
django.setup()
from django.core.cache import cache
from ledger.tasks import DEBOUNCE_KEY
from ledger.store import append
from outbox.services import Draft, messages_record
from outbox.tasks import KICK_KEY
from tests.ledger.sampleapp.facts import SampleTallied

warnings = []
class Keep(logging.Handler):
    def emit(self, record):
        warnings.append(record.getMessage())
logging.getLogger("config.queueing").addHandler(Keep())
for n in range(50):
    append(f"queueing-{n % 5}", [SampleTallied("a", 1)])
messages_record([Draft("rendered", "rendered:broker-gone", to="dana@example.kz", payload={})])
print(json.dumps({"warnings": warnings, "keys": [cache.get(DEBOUNCE_KEY), cache.get(KICK_KEY)]}))
"""


def test_writes_with_the_broker_gone_commit_and_try_it_once_per_pause():
    if connection.vendor != "postgresql":
        pytest.skip("the subprocess must share the test's database")
    db = connection.settings_dict
    env = django_env(
        DATABASE_URL=f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
        CELERY_TASK_ALWAYS_EAGER="0",
    )

    result = run_python(WRITES, env=env)

    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    (warning,) = out["warnings"]  # one failed publish; the other 49 appends and the message waited
    assert warning.startswith("Could not queue ledger.catch_up_projections (the worker's reconnection and beat")
    assert out["keys"] == [None, None]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM ledger_fact WHERE stream LIKE 'queueing-%%'")
        assert cursor.fetchone()[0] == 50
        cursor.execute("SELECT count(*) FROM outbox_message WHERE key = 'rendered:broker-gone'")
        assert cursor.fetchone()[0] == 1
