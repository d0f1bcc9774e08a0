"""append(): versions, optimistic concurrency, idempotency, validation, inline projections, upcasting."""

import datetime as dt
import uuid
from dataclasses import dataclass

import pytest
from django.db import connection, transaction
from django.utils import timezone

from ledger import reading
from ledger.facts import FactValidationError
from ledger.models import Fact
from ledger.runner import catch_up
from ledger.store import (
    ANY,
    NO_STREAM,
    ConcurrencyConflict,
    IdempotencyConflict,
    OccurredInFuture,
    append,
    read_stream,
)
from tests.ledger.helpers import WAIT, totals
from tests.ledger.sampleapp.facts import SampleNoted, SampleTallied
from tests.ledger.sampleapp.models import SampleStreamTally

pytestmark = pytest.mark.django_db


def test_facts_of_a_new_stream_are_numbered_from_one_in_ledger_order():
    result = append(
        "counter-1",
        [SampleTallied("trees", 3), SampleTallied("trees", 4)],
        expected_version=NO_STREAM,
        actor_id="actor-7",
        correlation_id="corr-1",
        source="api",
    )

    assert result.duplicate is False
    assert [(f.version, f.type, f.data) for f in result.facts] == [
        (1, "SampleTallied", {"counter": "trees", "amount": 3, "unit": "piece"}),
        (2, "SampleTallied", {"counter": "trees", "amount": 4, "unit": "piece"}),
    ]
    assert result.facts[1].position > result.facts[0].position
    assert (result.version, result.position) == (2, result.facts[1].position)
    assert [(f.position, f.version, f.data, f.meta) for f in read_stream("counter-1")] == [
        (
            f.position,
            f.version,
            f.data,
            {"actor_id": "actor-7", "causation_id": None, "correlation_id": "corr-1", "source": "api"},
        )
        for f in result.facts
    ]


def test_an_expected_version_appends_after_it_and_a_stale_one_is_refused_with_nothing_stored():
    append("counter-1", [SampleTallied("trees", 1)], expected_version=0)
    append("counter-1", [SampleTallied("trees", 2)], expected_version=1)

    with pytest.raises(ConcurrencyConflict) as refused:
        append("counter-1", [SampleTallied("trees", 3), SampleTallied("trees", 4)], expected_version=1)

    assert refused.value.fields == {"expected_version": ["The stream is at version 2."]}
    assert [f.version for f in read_stream("counter-1")] == [1, 2]


def test_no_stream_refuses_a_stream_that_exists_and_any_appends_at_its_end():
    append("counter-1", [SampleTallied("trees", 1)], expected_version=NO_STREAM)

    with pytest.raises(ConcurrencyConflict):
        append("counter-1", [SampleTallied("trees", 2)], expected_version=NO_STREAM)
    appended = append("counter-1", [SampleTallied("trees", 5)], expected_version=ANY)

    assert appended.version == 2
    assert [f.data["amount"] for f in read_stream("counter-1")] == [1, 5]


def test_the_same_fact_ids_again_return_the_original_result_and_add_nothing():
    ids = [uuid.uuid4(), uuid.uuid4()]
    first = append("counter-1", [SampleTallied("trees", 1), SampleTallied("trees", 2)], fact_ids=ids)

    again = append(
        "counter-1", [SampleTallied("trees", 1), SampleTallied("trees", 2)], fact_ids=ids, expected_version=0
    )

    assert again.duplicate is True
    assert [(f.position, f.fact_id, f.version) for f in again.facts] == [
        (f.position, f.fact_id, f.version) for f in first.facts
    ]
    assert Fact.objects.count() == 2


def test_fact_ids_used_on_another_stream_or_only_in_part_are_refused():
    used = uuid.uuid4()
    append("counter-1", [SampleTallied("trees", 1)], fact_ids=[used])

    with pytest.raises(IdempotencyConflict):
        append("counter-2", [SampleTallied("trees", 1)], fact_ids=[used])
    with pytest.raises(IdempotencyConflict):
        append("counter-1", [SampleTallied("trees", 1), SampleTallied("trees", 2)], fact_ids=[used, uuid.uuid4()])

    assert Fact.objects.count() == 1


def test_a_time_in_the_future_beyond_the_clock_skew_is_refused_with_nothing_stored(settings):
    settings.LEDGER_MAX_CLOCK_SKEW_SECONDS = 60
    now = timezone.now()

    append("counter-1", [SampleTallied("trees", 1)], occurred_at=now + dt.timedelta(seconds=30))
    with pytest.raises(OccurredInFuture) as refused:
        append("counter-1", [SampleTallied("trees", 2)], occurred_at=now + dt.timedelta(minutes=5))

    assert refused.value.fields == {"occurred_at": ["This time is in the future."]}
    assert Fact.objects.count() == 1


def test_an_unknown_fact_type_or_a_field_of_the_wrong_type_is_refused_with_nothing_stored():
    @dataclass(frozen=True)
    class NotDeclared:
        text: str

    with pytest.raises(FactValidationError, match="not a registered fact type"):
        append("counter-1", [SampleNoted("fine"), NotDeclared("x")])
    with pytest.raises(FactValidationError, match="amount: expected an integer"):
        append("counter-1", [SampleTallied("trees", 1), SampleTallied("trees", "many")])

    assert Fact.objects.count() == 0


def test_inline_projections_run_in_the_appends_transaction_and_roll_back_with_it():
    append("counter-1", [SampleTallied("trees", 2)])

    with pytest.raises(RuntimeError), transaction.atomic():
        append("counter-1", [SampleTallied("trees", 40)])
        assert SampleStreamTally.objects.get(stream="counter-1").amount == 42
        raise RuntimeError("the caller's transaction fails after the append")

    assert list(SampleStreamTally.objects.values_list("stream", "amount", "version")) == [("counter-1", 2, 1)]
    assert Fact.objects.count() == 1


def test_a_stored_v1_fact_is_read_as_v2_by_readers_and_projections():
    # Given a fact stored at schema version 1, when `count` was what version 2 calls `amount`
    Fact.objects.create(
        stream="counter-old",
        version=1,
        type="SampleTallied",
        schema_version=1,
        data={"counter": "trees", "count": 4},
        occurred_at=timezone.now(),
    )
    append("counter-old", [SampleTallied("trees", 6)], expected_version=1)

    stored = read_stream("counter-old")
    folded = catch_up(totals(), wait=WAIT)

    assert [(f.schema_version, f.data) for f in stored] == [
        (1, {"counter": "trees", "amount": 4, "unit": "piece"}),
        (2, {"counter": "trees", "amount": 6, "unit": "piece"}),
    ]
    assert stored[0].fact == SampleTallied(counter="trees", amount=4, unit="piece")
    assert folded == 2
    assert totals().snapshot() == {"trees": {"amount": 10, "facts": 2}}


def test_readers_leave_meta_out_when_asked_and_say_so_if_it_is_read_anyway():
    append("stream-m", [SampleTallied("m", 1)], actor_id=str(uuid.UUID(int=7)), source="test")

    with_meta = reading.read_batch(after=reading.START, limit=10, gap_safe=False)
    without = reading.read_batch(after=reading.START, limit=10, gap_safe=False, with_meta=False)

    assert (with_meta[0].meta["actor_id"], with_meta[0].meta["source"]) == (str(uuid.UUID(int=7)), "test")
    assert (without[0].data, without[0].position) == (with_meta[0].data, with_meta[0].position)
    if connection.vendor == "postgresql":  # SQLite reads meta along with the row anyway
        with pytest.raises(AttributeError, match="meta was not read with this fact: give the projection reads_meta"):
            _ = without[0].meta
