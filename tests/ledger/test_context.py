"""The origin of facts is per thread: threads appending at once each keep their own correlation id
(the request's story is tests/events/test_request_origin.py)."""

import threading
import uuid

import pytest
from django.db import connection

from ledger.context import acting
from ledger.models import Fact
from ledger.store import append
from tests.ledger.sampleapp.facts import SampleTallied


def correlation_ids(types: list[str]) -> list[str | None]:
    return [
        meta["correlation_id"]
        for meta in Fact.objects.filter(type__in=types).order_by("position").values_list("meta", flat=True)
    ]


@pytest.mark.django_db(transaction=True)
def test_threads_appending_at_once_each_keep_their_own():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers")
    ids = [uuid.uuid4() for _ in range(4)]

    def write(origin: uuid.UUID) -> None:
        try:
            with acting(correlation_id=origin):
                for _ in range(25):
                    append(f"context-{origin}", [SampleTallied("a", 1)])
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(origin,)) for origin in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    stored = Fact.objects.filter(stream__startswith="context-").values_list("stream", "meta")
    assert {(stream, meta["correlation_id"]) for stream, meta in stored} == {(f"context-{i}", str(i)) for i in ids}
    assert len(stored) == 100


@pytest.mark.django_db
def test_what_acting_does_not_name_stays_as_around_it():
    # Given a command acting as an import, and inside it a step caused by a fact
    request, cause = uuid.UUID(int=1), uuid.UUID(int=2)
    with acting(correlation_id=request, source="import"):
        with acting(causation_id=cause):
            append("context-nested", [SampleTallied("a", 1)])
        append("context-nested", [SampleTallied("b", 1)])
    # and a caller that names its own source
    with acting(source="import"):
        append("context-nested", [SampleTallied("c", 1)], source="bench")
    append("context-nested", [SampleTallied("d", 1)])

    # Then each fact carries what was set around it, and outside everything "web" as before
    metas = Fact.objects.filter(stream="context-nested").order_by("version").values_list("meta", flat=True)
    assert [(m["correlation_id"], m["causation_id"], m["source"]) for m in metas] == [
        (str(request), str(cause), "import"),
        (str(request), None, "import"),
        (None, None, "bench"),
        (None, None, "web"),
    ]
