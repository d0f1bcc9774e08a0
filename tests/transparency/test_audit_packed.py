"""The auditor keeps a big log's leaves packed (32 + 8 + 16 bytes a leaf): the same roots and answers
as lists would give, and what a hostile feed serves that does not pack is kept as served."""

import uuid

from transparency import merkle
from transparency.audit import _Leaves


def test_packed_leaves_give_the_roots_and_slices_of_the_plain_list():
    hashes = [merkle.leaf_hash(str(i).encode()) for i in range(1000)]
    ids = [str(uuid.UUID(int=i * 7919)) for i in range(1000)]
    leaves = _Leaves()
    for i, (hashed, fact_id) in enumerate(zip(hashes, ids, strict=True)):
        leaves.add(hashed, 10 * i + 3, fact_id)

    assert len(leaves.hashes) == 1000
    assert merkle.root_from_leaf_hashes(leaves.hashes) == merkle.root_from_leaf_hashes(hashes)
    for a, b in ((0, 1), (0, 512), (512, 768), (999, 1000), (3, 997)):
        assert list(leaves.hashes[a:b]) == hashes[a:b]
        assert merkle.root_from_leaf_hashes(leaves.hashes[a:b]) == merkle.root_from_leaf_hashes(hashes[a:b])
    assert (leaves.hashes[-1], leaves.position(999), leaves.fact_id(999)) == (hashes[-1], 9993, ids[999])
    assert len(leaves.hashes.buffer) == 32_000 and leaves.positions.itemsize == 8


def test_a_position_or_fact_id_that_does_not_pack_is_kept_as_served():
    leaves = _Leaves()
    leaves.add(bytes(32), "12", "not-a-uuid")
    leaves.add(bytes(32), 2**70, str(uuid.UUID(int=5)))

    assert (leaves.position(0), leaves.fact_id(0)) == ("12", "not-a-uuid")
    assert (leaves.position(1), leaves.fact_id(1)) == (2**70, "00000000-0000-0000-0000-000000000005")
