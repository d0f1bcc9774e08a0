"""The public fact feed: /api/v1/facts/."""

import threading
import time

import pytest
from django.db import transaction

from ledger.store import append
from tests.ledger.helpers import WAIT, in_thread, needs_postgres, settled
from tests.ledger.sampleapp.facts import SampleNoted, SampleTallied

URL = "/api/v1/facts/"


@pytest.fixture
def positions(db) -> list[int]:
    facts = [
        append(
            "counter-1", [SampleTallied("trees", 3)], actor_id="volunteer-42", correlation_id="correlation-of-request-1"
        ),
        append("counter-2", [SampleTallied("bags", 1)], source="import"),
        append("notes", [SampleNoted("hello")]),
        append("counter-1", [SampleTallied("trees", 4)]),
    ]
    settled()
    return [f.position for f in facts]


def read(api_client, **params) -> dict:
    response = api_client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_feed_pages_by_position_without_the_actor_or_the_correlation(api_client, positions):
    first = read(api_client, limit=2)
    second = read(api_client, after=first["next_after"], limit=2)
    last = read(api_client, after=second["next_after"], limit=2)

    assert [f["position"] for f in first["results"]] == positions[:2]
    assert first["results"][0] == {
        "position": positions[0],
        "fact_id": first["results"][0]["fact_id"],
        "stream": "counter-1",
        "version": 1,
        "type": "SampleTallied",
        "schema_version": 2,
        "data": {"counter": "trees", "amount": 3, "unit": "piece"},
        "meta": {"source": "web"},
        "occurred_at": first["results"][0]["occurred_at"],
        "recorded_at": first["results"][0]["recorded_at"],
        "leaf_index": None,  # the transparency log has not run yet (tests/transparency/ test it)
    }
    assert first["next"] == f"http://testserver{URL}?limit=2&after={positions[1]}"
    assert [f["position"] for f in second["results"]] == positions[2:]
    assert (last["results"], last["next_after"], last["next"]) == ([], positions[3], None)
    assert "volunteer-42" not in str(first)
    assert "correlation-of-request-1" not in str(first)  # (a short id could occur inside a uuid)


def test_the_feed_filters_by_stream_and_by_type_and_stops_at_until(api_client, positions):
    by_stream = read(api_client, stream="counter-1")
    by_type = read(api_client, type="SampleNoted")
    until = read(api_client, until=positions[1])

    assert [(f["stream"], f["version"]) for f in by_stream["results"]] == [("counter-1", 1), ("counter-1", 2)]
    assert [f["data"] for f in by_type["results"]] == [{"text": "hello"}]
    assert [f["position"] for f in until["results"]] == positions[:2]


def test_bad_parameters_are_refused_in_the_error_format(api_client, positions):
    unknown = api_client.get(URL, {"after": positions[-1] + 100})
    too_many = api_client.get(URL, {"limit": 5000})

    assert unknown.status_code == 400
    assert unknown.json()["error"]["code"] == "unknown_position"
    assert unknown.json()["error"]["fields"] == {"after": [f"No fact has position {positions[-1] + 100}."]}
    assert too_many.status_code == 400
    assert too_many.json()["error"]["code"] == "validation_error"
    assert list(too_many.json()["error"]["fields"]) == ["limit"]


def test_the_feed_is_described_in_the_api_schema(api_client, db):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()

    operation = schema["paths"][URL]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"after", "until", "limit", "stream", "type"}
    assert "A page of one fact" in str(operation["responses"]["200"])


@pytest.mark.postgres
@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_mirror_reading_after_its_last_position_misses_no_fact_that_commits_late(api_client):
    # Given transaction A appended first and is still open, and B appended after it and committed
    appended, end = threading.Event(), threading.Event()

    def writer_a() -> None:
        with transaction.atomic():
            append("stream-a", [SampleTallied("a", 1)])
            appended.set()
            assert end.wait(10)

    thread = in_thread(writer_a)
    assert appended.wait(10)
    append("stream-b", [SampleTallied("b", 2)])

    # When a mirror reads the feed while A is open, and again after A commits
    while_open = read(api_client)
    end.set()
    thread.join(10)
    after_commit = read(api_client, after=while_open["next_after"])
    deadline = time.monotonic() + WAIT  # (a transaction elsewhere on the server may hold the horizon)
    while not after_commit["results"] and time.monotonic() < deadline:
        time.sleep(0.05)
        after_commit = read(api_client, after=while_open["next_after"])

    # Then it sees B only after A, and each once, though A has the lower position
    assert while_open["results"] == []
    assert [f["stream"] for f in after_commit["results"]] == ["stream-a", "stream-b"]
    assert after_commit["results"][0]["position"] < after_commit["results"][1]["position"]
