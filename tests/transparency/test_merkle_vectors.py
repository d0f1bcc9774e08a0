"""Known answers for the hashing and the proofs: the published vectors of transparency-dev/merkle.

`data/merkle_vectors.json` holds, copied from https://github.com/transparency-dev/merkle at the
commit it names: every file of `testdata/inclusion/` and `testdata/consistency/` (probes: a proof
and the roots, and whether verification must fail), the leaves and roots of `testonly/constants.go`
(the tree of RFC 6962's examples, sizes 0 to 8), and the cases of `rfc6962/rfc6962_test.go`.
"""

import base64
import json
import random
from pathlib import Path

import pytest

from transparency import merkle, tiles

VECTORS = json.loads((Path(__file__).parent / "data" / "merkle_vectors.json").read_text())
CONSTANTS = VECTORS["testonly/constants.go"]
LEAVES = [bytes.fromhex(leaf) for leaf in CONSTANTS["LeafInputs"]]
ROOTS = [bytes.fromhex(root) for root in CONSTANTS["RootHashes"]]


def _b64(value):
    return base64.b64decode(value) if value else b""


def test_the_vectors_are_the_ones_cited():
    assert VECTORS["commit"] == "417fb0c314750d94e53942e9f92e79b6d35915db"
    assert len(VECTORS["inclusion"]) == 98
    assert len(VECTORS["consistency"]) == 98


@pytest.mark.parametrize("case", VECTORS["rfc6962/rfc6962_test.go"], ids=lambda case: case["desc"])
def test_rfc6962_hashes(case):
    if case["of"] == "EmptyRoot()":
        got = merkle.EMPTY_ROOT
    elif "leaf" in case:
        got = merkle.leaf_hash(case["leaf"].encode())
    else:
        got = merkle.node_hash(case["left"].encode(), case["right"].encode())
    assert got.hex() == case["want"]


@pytest.mark.parametrize("size", range(9))
def test_roots_of_the_rfc_tree(size):
    assert merkle.root_from_leaves(LEAVES[:size]) == ROOTS[size]
    assert merkle.range_hash(0, size, _node_of(LEAVES)) == ROOTS[size]


def test_complete_subtrees_are_the_node_hashes():
    node = _node_of(LEAVES)
    for level, hashes in enumerate(CONSTANTS["NodeHashes"]):
        assert [node(level, index).hex() for index in range(len(hashes))] == hashes


@pytest.mark.parametrize("path", sorted(VECTORS["inclusion"]))
def test_inclusion_probe(path):
    probe = VECTORS["inclusion"][path]
    proof = [_b64(p) for p in probe["proof"] or []]
    args = probe["leafIdx"], probe["treeSize"], _b64(probe["leafHash"]), proof, _b64(probe["root"])
    if probe["wantErr"]:
        with pytest.raises(merkle.ProofError):
            merkle.verify_inclusion(*args)
    else:
        merkle.verify_inclusion(*args)


@pytest.mark.parametrize("path", sorted(VECTORS["consistency"]))
def test_consistency_probe(path):
    probe = VECTORS["consistency"][path]
    proof = [_b64(p) for p in probe["proof"] or []]
    args = probe["size1"], probe["size2"], _b64(probe["root1"]), _b64(probe["root2"]), proof
    if probe["wantErr"]:
        with pytest.raises(merkle.ProofError):
            merkle.verify_consistency(*args)
    else:
        merkle.verify_consistency(*args)


HAPPY = [path for path in sorted(VECTORS["inclusion"]) if path.endswith("/happy-path.json")]
HAPPY_CONSISTENCY = [path for path in sorted(VECTORS["consistency"]) if path.endswith("/happy-path.json")]


@pytest.mark.parametrize("path", HAPPY)
def test_generated_inclusion_proofs_equal_the_published_ones(path):
    probe = VECTORS["inclusion"][path]
    index, size = probe["leafIdx"], probe["treeSize"]
    assert merkle.leaf_hash(LEAVES[index]) == _b64(probe["leafHash"])
    proof = merkle.inclusion_proof(index, size, _node_of(LEAVES))
    assert [base64.b64encode(p).decode() for p in proof] == (probe["proof"] or [])


@pytest.mark.parametrize("path", HAPPY_CONSISTENCY)
def test_generated_consistency_proofs_equal_the_published_ones(path):
    probe = VECTORS["consistency"][path]
    proof = merkle.consistency_proof(probe["size1"], probe["size2"], _node_of(LEAVES))
    assert [base64.b64encode(p).decode() for p in proof] == (probe["proof"] or [])


def test_every_proof_of_a_bigger_tree_verifies_and_no_tampered_one_does():
    """Beyond the vectors' 8 leaves: proofs from the tiles of trees of up to 1 100 leaves (partial
    tiles at two levels), each verified, each with one bit flipped refused."""
    rng = random.Random(16)
    leaves = [rng.randbytes(rng.randrange(0, 40)) for _ in range(1100)]
    hashes = [merkle.leaf_hash(leaf) for leaf in leaves]
    stored = tiles.tiles_from_leaf_hashes(hashes)
    node = lambda level, index: tiles.node_from_tiles(stored, (level, index))  # noqa: E731
    roots = {}
    for size in [*range(1, 70), 255, 256, 257, 511, 512, 513, 1023, 1024, 1025, 1100]:
        roots[size] = merkle.root_from_leaf_hashes(hashes[:size])
        assert merkle.range_hash(0, size, node) == roots[size]
    for size, root in roots.items():
        for index in {0, size // 3, size - 1}:
            proof = merkle.inclusion_proof(index, size, node)
            merkle.verify_inclusion(index, size, hashes[index], proof, root)
            if proof:
                bad = [bytes([proof[0][0] ^ 1]) + proof[0][1:], *proof[1:]]
                with pytest.raises(merkle.ProofError):
                    merkle.verify_inclusion(index, size, hashes[index], bad, root)
        for size1 in {1, size // 2, size - 1} - {0}:
            proof = merkle.consistency_proof(size1, size, node)
            merkle.verify_consistency(
                size1, size, roots.get(size1) or merkle.root_from_leaf_hashes(hashes[:size1]), root, proof
            )
            if proof:
                with pytest.raises(merkle.ProofError):
                    merkle.verify_consistency(size1, size, merkle.EMPTY_ROOT, root, proof)


def test_growing_a_batch_at_a_time_gives_the_tiles_of_building_in_one_go():
    rng = random.Random(8)
    hashes = [merkle.leaf_hash(rng.randbytes(8)) for _ in range(70_000)]
    stored: dict = {}
    size = 0
    while size < len(hashes):
        batch = hashes[size : size + rng.choice([1, 7, 255, 256, 1000, 5000])]
        edge = {level: stored[key] for level, key in tiles.edge_keys(size).items()}
        stored.update(tiles.grow(size, edge, batch))
        size += len(batch)
    assert stored == tiles.tiles_from_leaf_hashes(hashes)
    assert (2, 1) not in stored and len(stored[(2, 0)]) == 32  # one complete 65 536-leaf subtree
    assert len(stored[(1, 1)]) == (70_000 // 256 - 256) * 32  # 273 complete 256-leaf subtrees


def test_tile_paths_are_c2sp_tlog_tiles():
    assert tiles.tile_path(0, 1234067) == "tile/0/x001/x234/067"
    assert tiles.tile_path(1, 0) == "tile/1/000"
    assert tiles.tile_path(0, 5, 17) == "tile/0/005.p/17"
    assert tiles.tile_path(2, 1000, 256) == "tile/2/x001/000"


def _node_of(leaves):
    hashes = [merkle.leaf_hash(leaf) for leaf in leaves]

    def node(level, index):
        return merkle.root_from_leaf_hashes(hashes[index << level : (index + 1) << level])

    return node
