"""The log as stored: its size, its tiles, roots and proofs read from them, and the batch append.

Reads need no lock. A tree of `size` leaves is answered from tiles read after its size was read,
which may hold more hashes than that tree has: full tiles never change and a partial tile only
grows, so every complete subtree of the smaller tree is in them, unchanged (transparency/tiles.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.db import connection
from django.db.models import Max, Q

from ledger.selectors import FeedFact
from transparency import merkle, tiles
from transparency.models import Leaf, Tile
from transparency.tiles import TileKey


def tree_size() -> int:
    last = Leaf.objects.aggregate(last=Max("index"))["last"]
    return 0 if last is None else last + 1


def load_tiles(keys: Iterable[TileKey]) -> dict[TileKey, bytes]:
    """The stored data of these tiles (one query); missing tiles are left out."""
    keys = set(keys)
    if not keys:
        return {}
    query = Q()
    for level, number in keys:
        query |= Q(level=level, number=number)
    return {(t.level, t.number): bytes(t.hashes) for t in Tile.objects.filter(query)}


def _node_reader(ranges: list[merkle.Range]):
    stored = load_tiles(tiles.tiles_for(merkle.proof_nodes(ranges)))
    return lambda level, index: tiles.node_from_tiles(stored, (level, index))


def root_at(size: int) -> bytes:
    """MTH of the first `size` leaves (size at most the tree's)."""
    return merkle.range_hash(0, size, _node_reader([(0, size)]))


def inclusion_proof(index: int, size: int) -> list[bytes]:
    ranges = merkle.inclusion_ranges(index, size)
    node = _node_reader(ranges)
    return [merkle.range_hash(lo, hi, node) for lo, hi in ranges]


def consistency_proof(size1: int, size2: int) -> list[bytes]:
    ranges = merkle.consistency_ranges(size1, size2)
    node = _node_reader(ranges)
    return [merkle.range_hash(lo, hi, node) for lo, hi in ranges]


def leaf_hash_at(index: int) -> bytes:
    return tiles.node_from_tiles(load_tiles([(0, index // tiles.TILE_WIDTH)]), (0, index))


def leaf_indexes(positions: list[int]) -> dict[int, int]:
    """Ledger position → leaf index, of the positions given that are leaves (the feed's hook)."""
    return dict(Leaf.objects.filter(position__in=positions).values_list("position", "index"))


def leaf_of_fact(fact_id: uuid.UUID) -> int | None:
    return Leaf.objects.filter(fact_id=fact_id).values_list("index", flat=True).first()


def append(facts: list[FeedFact], hashes: list[bytes]) -> int:
    """Append these public facts (in feed order) with their leaf hashes; the new tree size.

    Set-wise: one read of the right edge's partial tiles, one insert of the leaves, one upsert of
    the tiles that changed, whatever the batch's size. Run inside the projection's batch
    transaction, which holds its checkpoint row: no other writer meanwhile."""
    size = tree_size()
    edge_keys = tiles.edge_keys(size)
    stored = load_tiles(edge_keys.values())
    edge = {level: stored[key] for level, key in edge_keys.items()}
    changed = tiles.grow(size, edge, hashes)
    _insert_leaves(size, facts)
    Tile.objects.bulk_create(
        [Tile(level=level, number=number, hashes=data) for (level, number), data in changed.items()],
        update_conflicts=True,
        unique_fields=["level", "number"],
        update_fields=["hashes"],
        batch_size=500,
    )
    return size + len(facts)


def _insert_leaves(first: int, facts: list[FeedFact]) -> None:
    if connection.vendor == "postgresql":
        # COPY: a catch-up writes tens of thousands of leaves a second.
        # The rows as COPY's text format in one block: integers and uuids need no escaping, and
        # one write costs a fifth of a write_row per leaf.
        rows = "".join(f"{first + offset}\t{fact.position}\t{fact.fact_id}\n" for offset, fact in enumerate(facts))
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy("COPY transparency_leaf (index, position, fact_id) FROM STDIN") as copy,
        ):
            copy.write(rows)
        return
    Leaf.objects.bulk_create(
        [Leaf(index=first + offset, position=fact.position, fact_id=fact.fact_id) for offset, fact in enumerate(facts)],
        batch_size=500,
    )
