"""The log as the projection builds it: the feed's facts, in the feed's order, as the feed serves them.

Every expectation is computed here, independently of the projection, from what `GET /api/v1/facts/`
returns over HTTP: canonical JSON of each item without `leaf_index`, RFC 9162 hashing.
"""

import pytest
from django.core.management import call_command

from ledger.api.serializers import FeedFactSerializer
from ledger.projections import get
from ledger.runner import catch_up, catch_up_all, projection_rebuild, projection_verify
from ledger.selectors import fact_feed
from tests.transparency.conftest import sample_facts
from transparency import log, merkle
from transparency.canonical import canonical_json
from transparency.leaves import feed_item, leaf_hashes
from transparency.models import Leaf, Tile

LOG = "transparency.log"


def feed_items(api_client) -> list[dict]:
    items, after = [], 0
    while True:
        page = api_client.get("/api/v1/facts/", {"after": after, "limit": 1000}).json()
        items += page["results"]
        if not page["next"]:
            return items
        after = page["next_after"]


def root_of(items: list[dict]) -> bytes:
    """The tree an auditor builds from the feed: nothing of the platform's code but the hash rule."""
    return merkle.root_from_leaves(
        canonical_json({k: v for k, v in item.items() if k != "leaf_index"}) for item in items
    )


def test_the_log_is_the_feed_in_its_order(api_client, public_facts):
    catch_up_all()

    items = feed_items(api_client)
    assert [item["leaf_index"] for item in items] == list(range(len(items)))
    assert len(items) == 5 + 1 + 1 + 1  # samples, notes and the campaign; the registrations are withheld
    assert log.tree_size() == len(items)
    assert log.root_at(len(items)) == root_of(items)
    assert list(Leaf.objects.order_by("index").values_list("position", flat=True)) == [i["position"] for i in items]


def test_a_feed_item_is_what_the_feed_serializer_renders(public_facts):
    for fact in fact_feed(limit=1000).facts:
        rendered = dict(FeedFactSerializer(fact).data)
        assert rendered.pop("leaf_index") is None  # not caught up: no leaf yet
        assert feed_item(fact) == rendered


def test_leaf_hashes_are_the_hash_of_the_canonical_feed_item_on_both_paths(public_facts):
    """The fast path (orjson writes the item at once) and the whole way (a float, a key beyond
    ASCII: canonical_json) give what an auditor computes from the item, in UTC and in a zone with
    an offset, with and without microseconds."""
    from dataclasses import replace

    from django.utils import timezone

    facts = fact_feed(limit=1000).facts
    odd = [
        replace(facts[0], data={**facts[0].data, "ratio": 2.0, "tiny": 1e-7}),
        replace(facts[0], data={**facts[0].data, "ключ": "значение"}),
        replace(facts[0], occurred_at=facts[0].occurred_at.replace(microsecond=120000)),
    ]
    for zone in ("Asia/Almaty", "UTC"):
        with timezone.override(zone):
            expected = [merkle.leaf_hash(canonical_json(feed_item(fact))) for fact in [*facts, *odd]]
            assert leaf_hashes([*facts, *odd]) == expected
    # the float went the whole way: written as JCS writes it (2, 1e-7), not as orjson does (2.0)
    assert b'"ratio":2,"tiny":1e-7' in canonical_json(feed_item(odd[0]))


def test_the_tree_grows_batch_by_batch_into_the_same_tiles(api_client, db):
    """700 leaves in batches of 97: tiles filled, partial tiles at two levels, leaf hashes across
    batches; the same tree as one built from the feed in one go."""
    sample_facts(700)
    projection = get(LOG)
    assert catch_up(projection, batch_size=97) == 700

    items = feed_items(api_client)
    assert log.tree_size() == 700
    assert log.root_at(700) == root_of(items)
    for size in (1, 255, 256, 257, 512, 699):
        assert log.root_at(size) == root_of(items[:size])
    widths = {(t.level, t.number): t.width for t in Tile.objects.all()}
    assert widths == {(0, 0): 256, (0, 1): 256, (0, 2): 700 - 512, (1, 0): 2}


def test_proofs_from_the_tiles_verify_against_the_feed(api_client, db):
    sample_facts(300)
    catch_up_all()
    items = feed_items(api_client)
    hashes = [merkle.leaf_hash(canonical_json({k: v for k, v in i.items() if k != "leaf_index"})) for i in items]
    for size in (1, 2, 3, 100, 256, 257, 300):
        root = merkle.root_from_leaf_hashes(hashes[:size])
        for index in {0, size // 2, size - 1}:
            merkle.verify_inclusion(index, size, hashes[index], log.inclusion_proof(index, size), root)
            assert log.leaf_hash_at(index) == hashes[index]
        for first in {1, size // 3, size - 1} - {0}:
            old = merkle.root_from_leaf_hashes(hashes[:first])
            merkle.verify_consistency(first, size, old, root, log.consistency_proof(first, size))


def test_rebuild_gives_the_same_leaves_and_tiles_and_verify_finds_nothing(public_facts):
    sample_facts(400)
    catch_up_all()
    before = get(LOG).snapshot()

    projection_rebuild(name=LOG)

    assert get(LOG).snapshot() == before
    assert projection_verify(name=LOG) == []


def test_verify_names_a_tile_that_was_changed(public_facts):
    catch_up_all()
    tile = Tile.objects.get(level=0, number=0)
    tile.hashes = bytes(32) + bytes(tile.hashes)[32:]
    tile.save()

    differences = {d.key for d in projection_verify(name=LOG)}

    assert differences == {"root", "tiles.tile/0/000"}


def test_the_ledger_command_verifies_the_log(public_facts, capsys):
    catch_up_all()
    call_command("ledger", "verify", LOG)
    assert LOG in capsys.readouterr().out


@pytest.mark.parametrize("batch", [1, 5000])
def test_withheld_facts_take_no_leaf(public_facts, batch):
    catch_up(get(LOG), batch_size=batch)
    proposed = [f.fact_id for f in fact_feed(limit=1000).facts]
    assert set(Leaf.objects.values_list("fact_id", flat=True)) == set(proposed)
