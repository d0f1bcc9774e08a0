"""The mirror's compact range gives the root RFC 9162's MTH gives, at every size and however the
leaves are split into batches."""

import hashlib

from regional import tree
from transparency import merkle


def test_the_compact_range_extended_batch_by_batch_has_the_root_of_the_whole_tree():
    hashes = [merkle.leaf_hash(hashlib.sha256(str(i).encode()).digest()) for i in range(70)]
    for batch in (1, 3, 7, 64):
        peaks, size = [], 0
        while size < len(hashes):
            step = hashes[size : size + batch]
            peaks = tree.extend(peaks, size, step)
            size += len(step)
            assert tree.root(peaks) == merkle.root_from_leaf_hashes(hashes[:size])
            assert len(peaks) == bin(size).count("1")
    assert tree.root([]) == merkle.EMPTY_ROOT
