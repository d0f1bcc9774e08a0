"""The log grows as an async projection of the ledger: `transparency.log`.

It reads every type the feed can publish, in ledger order, gap-safe, a batch at a time (the
ledger's runner: ledger/runner.py), forms each fact as the feed serves it, and appends the public
ones as leaves, with their tiles, in the batch's transaction with the checkpoint. So the leaves are
the feed's facts in the feed's order: a fact committed late is read after the facts already
folded, exactly where the feed shows it to a reader that polls with `after=`, and a leaf index,
once given, is never given again (the projection only appends, and a rebuild replays the same
facts in the same order: the feed's order and content are fixed once served, ledger/public.py).

`manage.py ledger rebuild transparency.log` empties leaves and tiles and replays; checkpoints are
not the projection's and stay. `manage.py ledger verify transparency.log` rebuilds the tree in
memory from the facts and compares it with the tables: size, root, every tile, the leaves'
positions, and the root of every signed checkpoint: a fact changed in the database, taken out or
moved shows as a difference there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from itertools import islice

from ledger import public
from ledger.projections import AsyncProjection, register
from ledger.selectors import FeedFact, public_forms_of
from ledger.stored import StoredFact
from transparency import log, merkle, tiles
from transparency.leaves import leaf_hashes
from transparency.models import Checkpoint, Leaf, Tile


def published_types() -> frozenset[str]:
    """The fact types a public form may show (types always withheld are not read at all)."""
    return public.published_types()


@register
class LogProjection(AsyncProjection):
    name = "transparency.log"
    models = (Leaf, Tile)
    reads_meta = True  # the feed shows meta's `source`, so the leaf holds it

    @property
    def handles(self) -> frozenset[str]:  # type: ignore[override]
        # Read when the runner asks, after every app's public.py has declared its forms.
        return published_types()

    def fold(self, facts: list[StoredFact]) -> None:
        shown = _shown(facts)
        if shown:
            log.append(shown, leaf_hashes(shown))

    def compute(self, facts: Iterable[StoredFact]) -> dict:
        # A batch at a time, keeping only each leaf's hash and position: the facts of a big log
        # would not fit in memory at once.
        hashes: list[bytes] = []
        positions: list[int] = []
        for batch in _batches(iter(facts), 5000):
            shown = _shown(batch)
            hashes += leaf_hashes(shown)
            positions += [fact.position for fact in shown]
        built = tiles.tiles_from_leaf_hashes(hashes)
        size = len(hashes)

        def node(level: int, index: int) -> bytes:
            return tiles.node_from_tiles(built, (level, index))

        checkpoints = Checkpoint.objects.filter(size__lte=size).values_list("size", flat=True)
        return _shape(
            size,
            merkle.range_hash(0, size, node),
            list(enumerate(positions)),
            built,
            {checkpoint: merkle.range_hash(0, checkpoint, node) for checkpoint in checkpoints},
        )

    def snapshot(self) -> dict:
        size = log.tree_size()
        stored = {(t.level, t.number): bytes(t.hashes) for t in Tile.objects.all()}
        return _shape(
            size,
            log.root_at(size) if size else merkle.EMPTY_ROOT,
            list(Leaf.objects.order_by("index").values_list("index", "position")),
            stored,
            {c.size: bytes(c.root) for c in Checkpoint.objects.all()},
        )


def _shown(facts: list[StoredFact]) -> list[FeedFact]:
    return [fact for fact in public_forms_of(facts) if fact is not None]


def _batches(facts: Iterator[StoredFact], size: int) -> Iterator[list[StoredFact]]:
    while batch := list(islice(facts, size)):
        yield batch


def _shape(size: int, root: bytes, leaves: list, stored: dict, checkpoints: dict) -> dict:
    """What verify compares: the leaves' positions as one digest (a million of them would make a
    million differences to print), each tile's digest, each checkpoint's root."""
    positions = hashlib.sha256(b"".join(f"{i}:{p};".encode() for i, p in leaves)).hexdigest()
    return {
        "size": size,
        "root": root.hex(),
        "leaf_positions": positions,
        "tiles": {
            tiles.tile_path(level, number): hashlib.sha256(data).hexdigest() for (level, number), data in stored.items()
        },
        "checkpoints": {str(size): root.hex() for size, root in checkpoints.items()},
    }
