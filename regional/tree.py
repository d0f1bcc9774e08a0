"""The mirror's own Merkle tree of an instance's leaves, kept as its compact range: the roots of the
complete subtrees RFC 9162's MTH splits the leaves into (largest first), at most log2(n) + 1 hashes.
Appending a leaf merges the equal-sized subtrees on the right, as a binary counter carries; the
root hashes them right to left (merkle.py's MTH). So a mirror extends its tree batch by batch
without reading the leaves it already has, and gets the root the instance signed, or not.
tests/regional/test_tree.py holds it equal to merkle.root_from_leaf_hashes at every size.
"""

from __future__ import annotations

from collections.abc import Sequence

from transparency.merkle import EMPTY_ROOT, node_hash


def extend(peaks: Sequence[bytes], size: int, hashes: Sequence[bytes]) -> list[bytes]:
    """The compact range of `size` leaves (`peaks`) with `hashes` appended."""
    out = list(peaks)
    for index, node in enumerate(hashes, start=size):
        while index & 1:  # the subtree to the left is complete and the same size: merge
            node = node_hash(out.pop(), node)
            index >>= 1
        out.append(node)
    return out


def root(peaks: Sequence[bytes]) -> bytes:
    if not peaks:
        return EMPTY_ROOT
    out = peaks[-1]
    for peak in reversed(peaks[:-1]):
        out = node_hash(peak, out)
    return out
