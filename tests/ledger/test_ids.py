"""Time-ordered ids: what the ledger and the services mint is a version 7 UUID of the moment, so
it goes in at the right edge of a unique index."""

import time
import uuid

import pytest

from ledger.ids import uuid7, uuid7_int, uuid7_time_ms
from ledger.models import Fact
from ledger.store import append
from tests.ledger.sampleapp.facts import SampleTallied


def test_a_new_id_is_a_version_7_uuid_of_the_current_millisecond():
    before = time.time_ns() // 1_000_000
    made = uuid7()
    after = time.time_ns() // 1_000_000

    assert (made.version, made.variant) == (7, uuid.RFC_4122)
    assert before <= uuid7_time_ms(made) <= after


def test_ids_of_later_milliseconds_sort_after_earlier_ones_whatever_their_random_bits():
    # Given the largest random part at one millisecond and the smallest at the next
    early = uuid.UUID(int=uuid7_int(1_742_011_200_000, (1 << 80) - 1))
    late = uuid.UUID(int=uuid7_int(1_742_011_200_001, 0))

    # Then the later one sorts after, as text and as PostgreSQL's uuid ordering (bytes) does
    assert str(early) < str(late) and early.bytes < late.bytes
    assert str(early) == "019597f5-7200-7fff-bfff-ffffffffffff"
    assert str(late) == "019597f5-7201-7000-8000-000000000000"
    assert (early.version, early.variant, late.version, late.variant) == (7, uuid.RFC_4122, 7, uuid.RFC_4122)


def test_ids_made_in_a_row_are_distinct_and_never_go_back_in_time():
    made = [uuid7() for _ in range(10_000)]

    assert len(set(made)) == 10_000
    times = [uuid7_time_ms(i) for i in made]
    assert times == sorted(times)


@pytest.mark.django_db
def test_facts_appended_without_ids_get_time_ordered_ones():
    # Given two appends a few milliseconds apart, with no fact ids from the caller
    first = append("counter-ids", [SampleTallied("trees", 1), SampleTallied("trees", 2)])
    time.sleep(0.005)
    second = append("counter-ids", [SampleTallied("trees", 3)])

    # Then every stored id is a version 7 UUID, the later append's after the earlier's
    stored = list(Fact.objects.filter(stream="counter-ids").order_by("position").values_list("fact_id", flat=True))
    assert stored == [f.fact_id for f in (*first.facts, *second.facts)]
    assert {i.version for i in stored} == {7}
    assert max(first.facts, key=lambda f: f.fact_id.bytes).fact_id.bytes < second.facts[0].fact_id.bytes
