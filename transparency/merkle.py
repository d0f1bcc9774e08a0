"""Merkle tree hashing and proofs exactly as RFC 9162 §2.1 defines them: pure functions, no database.

- The hash of a leaf is SHA-256(0x00 || data), of an interior node SHA-256(0x01 || left || right),
  of the empty tree SHA-256 of nothing (§2.1.1). MTH(D[n]) splits D at k, the largest power of two
  smaller than n, so the tree over n leaves is the same whoever builds it and however it grew: the
  left k leaves form a complete subtree that never changes again.
- A *range* [lo, hi) below is D[lo:hi] as the RFC's recursion reaches it: lo is always a multiple
  of the largest power of two not above hi - lo, so MTH(D[lo:hi]) is made of complete subtrees
  (`complete_subtrees`), and a store that keeps the hashes of complete subtrees (transparency/tiles.py)
  answers any proof without rebuilding the tree.
- Generation (§2.1.3.1 PATH, §2.1.4.1 PROOF/SUBPROOF) is split in two: which ranges a proof is made
  of (`inclusion_ranges`, `consistency_ranges`: arithmetic only) and their hashes (given by the
  caller), so a store can fetch everything a proof needs in one read.
- Verification (§2.1.3.2, §2.1.4.2) follows the RFC's algorithms step by step; it needs nothing but
  the proof and the roots, and is what a witness or auditor outside the platform runs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

_sha256 = hashlib.sha256


class ProofError(ValueError):
    """A proof does not verify, or its parameters are impossible (index beyond size, …)."""


def leaf_hash(data: bytes) -> bytes:
    return _sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return _sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """k: the largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_from_leaf_hashes(hashes: Sequence[bytes]) -> bytes:
    """MTH of the leaves whose hashes are given (in leaf order)."""
    if not hashes:
        return EMPTY_ROOT
    return _peaks_root(_peaks(hashes))


def root_from_leaves(leaves: Iterable[bytes]) -> bytes:
    """MTH of the leaves' data (in leaf order): what an auditor computes from the feed."""
    return root_from_leaf_hashes([leaf_hash(data) for data in leaves])


def perfect_root(hashes: Sequence[bytes]) -> bytes:
    """The root of a complete subtree over these hashes (a power of two of them), level by level."""
    level = list(hashes)
    while len(level) > 1:
        level = [_sha256(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level), 2)]
    return level[0]


def _peaks(hashes: Sequence[bytes]) -> list[bytes]:
    """The roots of the complete subtrees MTH splits the leaves into, largest (leftmost) first."""
    peaks: list[bytes] = []
    start, n = 0, len(hashes)
    while start < n:
        size = 1 << ((n - start).bit_length() - 1)
        peaks.append(perfect_root(hashes[start : start + size]))
        start += size
    return peaks


def _peaks_root(peaks: Sequence[bytes]) -> bytes:
    """MTH from the roots of its complete subtrees: the smaller ones on the right are hashed first."""
    root = peaks[-1]
    for peak in reversed(peaks[:-1]):
        root = _sha256(b"\x01" + peak + root).digest()
    return root


# --- Complete subtrees: what a store keeps ----------------------------------------------------------

Node = tuple[int, int]  # (level, index): the complete subtree over leaves [index << level, (index + 1) << level)


def complete_subtrees(lo: int, hi: int) -> list[Node]:
    """The complete subtrees MTH(D[lo:hi]) is made of, left to right (lo as the RFC's ranges have it:
    a multiple of the largest power of two not above hi - lo, or 0)."""
    nodes: list[Node] = []
    while lo < hi:
        size = 1 << ((hi - lo).bit_length() - 1)
        if lo % size:
            raise ValueError(f"[{lo}, {hi}) is not a range of the tree")
        level = size.bit_length() - 1
        nodes.append((level, lo >> level))
        lo += size
    return nodes


def range_hash(lo: int, hi: int, node: Callable[[int, int], bytes]) -> bytes:
    """MTH(D[lo:hi]) from the hashes of its complete subtrees, `node(level, index)`."""
    if lo == hi:
        return EMPTY_ROOT
    return _peaks_root([node(level, index) for level, index in complete_subtrees(lo, hi)])


# --- Generation --------------------------------------------------------------------------------------

Range = tuple[int, int]


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """The ranges whose MTH make the inclusion proof of leaf `index` in the tree of `size` leaves,
    in proof order (nearest the leaf first): PATH(m, D[n]) of RFC 9162 §2.1.3.1."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is not in a tree of size {size}")
    out: list[Range] = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = _split(hi - lo)
        if index < lo + k:
            out.append((lo + k, hi))
            hi = lo + k
        else:
            out.append((lo, lo + k))
            lo += k
    out.reverse()  # PATH(m, D[0:k]) : MTH(D[k:n]) — the deeper part comes first
    return out


def consistency_ranges(size1: int, size2: int) -> list[Range]:
    """The ranges whose MTH make the consistency proof from the tree of `size1` leaves to the tree
    of `size2`, in proof order: PROOF(m, D[n]) = SUBPROOF(m, D[n], true) of RFC 9162 §2.1.4.1."""
    if not 0 <= size1 <= size2:
        raise ProofError(f"no consistency proof from size {size1} to size {size2}")
    if size1 == 0 or size1 == size2:
        return []
    out: list[Range] = []
    m, lo, hi, whole = size1, 0, size2, True
    while True:
        n = hi - lo
        if m == n:
            if not whole:
                out.append((lo, hi))
            break
        k = _split(n)
        if m <= k:
            # SUBPROOF(m, D[0:k], b) : MTH(D[k:n])
            out.append((lo + k, hi))
            hi = lo + k
        else:
            # SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])
            out.append((lo, lo + k))
            m, lo, whole = m - k, lo + k, False
    # Each step appended the part that comes after the recursion's: reverse into proof order.
    out.reverse()
    return out


def inclusion_proof(index: int, size: int, node: Callable[[int, int], bytes]) -> list[bytes]:
    return [range_hash(lo, hi, node) for lo, hi in inclusion_ranges(index, size)]


def consistency_proof(size1: int, size2: int, node: Callable[[int, int], bytes]) -> list[bytes]:
    return [range_hash(lo, hi, node) for lo, hi in consistency_ranges(size1, size2)]


def proof_nodes(ranges: Iterable[Range]) -> set[Node]:
    """Every complete subtree the hashes of these ranges need."""
    return {node for lo, hi in ranges for node in complete_subtrees(lo, hi)}


# --- Verification ------------------------------------------------------------------------------------


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes) -> None:
    """Check that `leaf` (a leaf hash) is leaf `index` of the tree of `size` leaves whose root is
    `root`, by RFC 9162 §2.1.3.2; raise ProofError if not."""
    if index >= size or index < 0:
        raise ProofError(f"leaf index {index} is not in a tree of size {size}")
    if len(leaf) != HASH_SIZE:
        raise ProofError("a leaf hash is 32 bytes")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ProofError("the proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the proof is shorter than the tree is deep")
    if r != root:
        raise ProofError("the proof does not lead to the root")


def verify_consistency(size1: int, size2: int, root1: bytes, root2: bytes, proof: Sequence[bytes]) -> None:
    """Check that the tree of `size1` leaves with root `root1` is a prefix of the tree of `size2`
    leaves with root `root2`, by RFC 9162 §2.1.4.2; raise ProofError if not."""
    if size2 < size1:
        raise ProofError(f"size {size1} cannot be a prefix of size {size2}")
    if size1 <= 0:
        # Every tree extends the empty one: a proof from it proves nothing (RFC 9162 has none).
        raise ProofError("a consistency proof starts from a tree of at least one leaf")
    if size1 == size2:
        if proof:
            raise ProofError("trees of the same size need an empty proof")
        if root1 != root2:
            raise ProofError("trees of the same size have different roots")
        return
    if not proof:
        raise ProofError("the proof is empty")
    path = list(proof)
    if size1 & (size1 - 1) == 0:  # a power of two: the old root is the proof's first node
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("the proof is longer than it can be")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the proof is shorter than it must be")
    if fr != root1:
        raise ProofError("the proof does not lead to the first root")
    if sr != root2:
        raise ProofError("the proof does not lead to the second root")
