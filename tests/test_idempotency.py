"""config/idempotency.py: the header read from requests and the ids derived from it."""

import uuid

import pytest
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from config.idempotency import InvalidIdempotencyKey, idempotency_key
from ledger.keyed import derived_id, fact_ids

ACTOR = uuid.UUID("0b6f1d2a-8c4e-4f7a-9b1d-3e5c7a9f0d21")


def request_with(**headers) -> Request:
    return Request(APIRequestFactory().post("/", **headers))


def test_the_key_is_read_from_the_header_or_is_none():
    assert idempotency_key(request_with(HTTP_IDEMPOTENCY_KEY="3f2a-retry-me")) == "3f2a-retry-me"
    assert idempotency_key(request_with()) is None


@pytest.mark.parametrize("key", ["", "two words", "tab\there", "é", "k" * 256])
def test_keys_that_are_empty_too_long_or_not_visible_ascii_are_refused(key):
    with pytest.raises(InvalidIdempotencyKey) as refused:
        idempotency_key(request_with(HTTP_IDEMPOTENCY_KEY=key))

    assert (refused.value.code, refused.value.status_code) == ("invalid_idempotency_key", 400)


def test_ids_are_the_same_for_the_same_actor_and_key_and_differ_otherwise():
    ids = fact_ids(actor_id=ACTOR, key="k1", count=3)

    assert ids == fact_ids(actor_id=str(ACTOR), key="k1", count=3)
    assert ids[0] == uuid.uuid5(uuid.UUID("5f0c1c2e-6a8b-4f57-9f43-7a1d2c6b9e10"), f"{ACTOR}:k1")
    assert len(set(ids)) == 3
    assert fact_ids(actor_id=ACTOR, key="k2", count=1)[0] != ids[0]
    assert fact_ids(actor_id=uuid.uuid4(), key="k1", count=1)[0] != ids[0]
    assert derived_id(actor_id=ACTOR, key="k1", purpose="campaign_id") not in ids


def test_without_a_key_nothing_is_derived():
    assert fact_ids(actor_id=ACTOR, key=None, count=2) is None
    assert derived_id(actor_id=ACTOR, key=None, purpose="campaign_id") is None
