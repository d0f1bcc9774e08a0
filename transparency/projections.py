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

from django.db import connection

from ledger import public
from ledger.projections import AsyncProjection, InlineProjection, register
from ledger.selectors import FeedFact, public_forms_of
from ledger.stored import StoredFact
from transparency import log, merkle, tiles
from transparency.leaves import leaf_hashes
from transparency.models import Checkpoint, Leaf, LeafHash, Tile


def published_types() -> frozenset[str]:
    """The fact types a public form may show (types always withheld are not read at all)."""
    return public.published_types()


@register
class LeafHashes(InlineProjection):
    """Each published fact's leaf hash, in its append's transaction (`LeafHash`; None: withheld).

    The log's catch-up takes the hashes from here instead of forming and hashing each fact itself.
    A fact with no row (appended before this projection existed, or when its rebuild is pending)
    is formed and hashed by the log as before, so the tree never depends on this table being
    complete, only its speed does; and `ledger verify transparency.log` recomputes every leaf from
    the facts, so a wrong row here shows there."""

    name = "transparency.leaf_hashes"
    models = (LeafHash,)

    @property
    def handles(self) -> frozenset[str]:  # type: ignore[override]
        return published_types()

    def apply_many(self, facts: list[StoredFact]) -> None:
        LeafHash.objects.bulk_create(
            [LeafHash(position=fact.position, hash=hashed) for fact, hashed in _hashes(facts)], batch_size=1000
        )


@register
class LogProjection(AsyncProjection):
    name = "transparency.log"
    models = (Leaf, Tile)
    # The feed shows meta's `source`, so a leaf holds it; but most leaves' hashes were worked out
    # at their append (LeafHashes), and reading meta is a third of a catch-up's time: the few
    # facts formed here have theirs read again (_with_meta).
    reads_meta = False

    @property
    def handles(self) -> frozenset[str]:  # type: ignore[override]
        # Read when the runner asks, after every app's public.py has declared its forms.
        return published_types()

    def fold(self, facts: list[StoredFact]) -> None:
        # The hashes worked out at each append (LeafHashes), in one query; a fact without one is
        # formed and hashed here.
        # The range of the batch's positions holds only published facts' rows: those of the batch,
        # and maybe some of a later batch (committed late), which are left for it.
        positions = [fact.position for fact in facts]
        known = dict(
            LeafHash.objects.filter(position__range=(min(positions), max(positions))).values_list("position", "hash")
        )
        missing = [fact for fact in facts if fact.position not in known]
        if missing:
            known.update((fact.position, hashed) for fact, hashed in _hashes(missing))
        shown, hashes = [], []
        for fact in facts:
            value = known[fact.position]
            if value is not None:
                shown.append(fact)
                hashes.append(bytes(value))
        if shown:
            log.append(shown, hashes)

    def compute(self, facts: Iterable[StoredFact]) -> dict:
        # A batch at a time, keeping only each leaf's hash and position: the facts of a big log
        # would not fit in memory at once.
        hashes: list[bytes] = []
        positions: list[int] = []
        for batch in _batches(iter(facts), 5000):
            # From the facts themselves, never from LeafHash: verify must not trust what it checks.
            for fact, hashed in _hashes(batch):
                if hashed is not None:
                    hashes.append(hashed)
                    positions.append(fact.position)
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


def _hashes(facts: list[StoredFact]) -> list[tuple[StoredFact, bytes | None]]:
    """Each fact with its leaf hash as the feed would serve it, None if withheld."""
    facts = _with_meta(facts)
    formed = public_forms_of(facts)
    shown = [fact for fact in formed if fact is not None]
    hashes = iter(leaf_hashes(shown))
    return [(fact, None if form is None else next(hashes)) for fact, form in zip(facts, formed, strict=True)]


def _with_meta(facts: list[StoredFact]) -> list[StoredFact]:
    """The facts, those read without their meta (reads_meta off) with it read again, one query."""
    lacking = [fact.position for fact in facts if fact.__dict__.get("_meta_json", "") is None]
    if not lacking:
        return facts
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT position, meta::text FROM ledger_fact WHERE position = ANY(%s)", [lacking])
        else:
            # Only placeholders are interpolated; values are bound parameters.
            marks = ", ".join(["%s"] * len(lacking))
            cursor.execute(f"SELECT position, meta FROM ledger_fact WHERE position IN ({marks})", lacking)  # nosec B608
        metas = dict(cursor.fetchall())
    out = []
    for fact in facts:
        if fact.position in metas:
            # A copy with its meta as JSON text, as a reader that read meta leaves it (stored.py).
            copy = object.__new__(StoredFact)
            copy.__dict__.update(fact.__dict__, _meta_json=metas[fact.position])
            fact = copy
        out.append(fact)
    return out


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
