"""The tree's hashes kept as C2SP tlog-tiles of height 8: pure functions, no database.

A tile at level L holds up to 256 consecutive hashes of tree level 8·L: level-0 tiles the leaf
hashes, level-1 tiles the roots of complete 256-leaf subtrees, level-2 tiles of 65 536-leaf ones,
and so on. Tile N of level L covers hashes [256·N, 256·N + 256) of its level; it is *full* with
256, and the one at the right edge of a level is *partial* (1 to 255). The tile data is the hashes
concatenated, 32 bytes each, exactly the body C2SP tlog-tiles serves at `tile/<L>/<N>[.p/<W>]`.

Why this keeps proofs cheap: every complete subtree of the tree is either a hash in some tile
(levels that are multiples of 8) or the root of 2, 4, … 128 consecutive hashes of one tile (levels
in between), so any node a proof needs costs at most 127 hashes, and a proof at 4 million leaves
reads a handful of tiles. Hashes never change once written: a partial tile only grows, and its
first W hashes are what the tile of width W was (so `.p/<W>` is a prefix of what is stored).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from transparency.merkle import HASH_SIZE, Node, perfect_root

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT  # hashes in a full tile
FULL = TILE_WIDTH * HASH_SIZE  # bytes of a full tile

TileKey = tuple[int, int]  # (level, number)


def hashes_of(data: bytes) -> list[bytes]:
    return [data[i : i + HASH_SIZE] for i in range(0, len(data), HASH_SIZE)]


def tile_of(node: Node) -> tuple[TileKey, int, int]:
    """Where a complete subtree's hash comes from: the tile, and the hashes [first, first + count)
    of that tile whose perfect root it is (count 1: the hash itself)."""
    level, index = node
    tile_level, rest = divmod(level, TILE_HEIGHT)
    first = index << rest
    number, offset = divmod(first, TILE_WIDTH)
    return (tile_level, number), offset, 1 << rest


def tiles_for(nodes: Iterable[Node]) -> set[TileKey]:
    return {tile_of(node)[0] for node in nodes}


def node_from_tiles(tiles: Mapping[TileKey, bytes], node: Node) -> bytes:
    """The hash of a complete subtree, from the tile that holds it or the hashes under it."""
    key, offset, count = tile_of(node)
    data = tiles[key]
    if len(data) < (offset + count) * HASH_SIZE:
        raise KeyError(f"tile {key} does not hold node {node} yet")
    if count == 1:
        return data[offset * HASH_SIZE : (offset + 1) * HASH_SIZE]
    return perfect_root(hashes_of(data[offset * HASH_SIZE : (offset + count) * HASH_SIZE]))


def edge_keys(size: int) -> dict[int, TileKey]:
    """The partial tile at the right edge of each level of a tree of `size` leaves (levels whose
    hashes fill whole tiles have none)."""
    keys: dict[int, TileKey] = {}
    level = 0
    while size >> (TILE_HEIGHT * level):
        count = size >> (TILE_HEIGHT * level)
        if count % TILE_WIDTH:
            keys[level] = (level, count // TILE_WIDTH)
        level += 1
    return keys


def grow(size: int, edge: Mapping[int, bytes], leaf_hashes: Sequence[bytes]) -> dict[TileKey, bytes]:
    """The tiles that change when `leaf_hashes` are appended to a tree of `size` leaves whose partial
    tiles at the right edge are `edge` (level → data, as `edge_keys` names them): each with its
    whole new data. Set-wise: one pass per level, a tile's root computed once when it fills."""
    changed: dict[TileKey, bytes] = {}
    incoming = b"".join(leaf_hashes)
    level = 0
    while incoming:
        count = size >> (TILE_HEIGHT * level)  # hashes this level held before
        number = count // TILE_WIDTH
        start = edge.get(level, b"")
        if len(start) != (count % TILE_WIDTH) * HASH_SIZE:
            raise ValueError(
                f"the partial tile of level {level} holds {len(start) // HASH_SIZE} hashes, not {count % TILE_WIDTH}"
            )
        data = start + incoming
        roots = []
        offset = 0
        while len(data) - offset >= FULL:
            tile = data[offset : offset + FULL]
            changed[(level, number)] = tile
            roots.append(perfect_root(hashes_of(tile)))
            number += 1
            offset += FULL
        if offset < len(data):
            changed[(level, number)] = data[offset:]
        incoming = b"".join(roots)
        level += 1
    return changed


def tiles_from_leaf_hashes(leaf_hashes: Sequence[bytes]) -> dict[TileKey, bytes]:
    """Every tile of the tree over these leaves, built in one go (verify and the tests)."""
    return grow(0, {}, leaf_hashes)


def tile_path(level: int, number: int, width: int | None = None) -> str:
    """The C2SP tlog-tiles path of a tile: `tile/<L>/<N>[.p/<W>]`, N in groups of three digits,
    all but the last with an `x` ("tile/0/x001/x234/067")."""
    digits = f"{number:03d}"
    digits = "0" * (-len(digits) % 3) + digits
    groups = [digits[i : i + 3] for i in range(0, len(digits), 3)]
    path = "/".join([*(f"x{group}" for group in groups[:-1]), groups[-1]])
    suffix = f".p/{width}" if width is not None and width < TILE_WIDTH else ""
    return f"tile/{level}/{path}{suffix}"
