"""Auditing a Taza site from its public API alone: the log's checkpoint, its witnesses, the feed under it,
and the national totals folded from the same facts.

What it checks, in order, and what it says when a check fails:

1. the latest checkpoint (or one named) is signed by the log's key, given or pinned in a file on the
   first run (trust on first use, as ssh does): a note that does not verify is not the log's;
2. each witness given has a cosignature on it that verifies (C2SP tlog-cosignature): a cosignature
   that does not verify on the checkpoint served is a witness's statement about another tree of the
   same size, which is what a log that forked to two witnesses leaves behind;
3. it extends the checkpoint saved earlier in a file (RFC 9162 consistency proof), which is then
   replaced by this one once everything passed;
4. the feed, read whole, has leaves 0, 1, 2… in its order with none missing, and the tree rebuilt
   from their canonical JSON has the signed root. When it has not, the log's own hashes (inclusion
   proofs) are compared with the feed's down the tree, to the leaves that differ: changed, swapped
   (reordered) or missing facts are named by leaf index, position and fact id;
5. the national totals recounted from the same facts (stats' `totals_recompute` rules) equal the
   published ones as of the checkpoint (`?checkpoint=N`), or, when the figures have moved past it,
   as of the figures' own position (said so).

Memory: 32 bytes a leaf and the recount's small per-event state, so the full seed fits.
"""

from __future__ import annotations

import base64
import time
import uuid
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from stats.management.commands.totals_recompute import Recount, compare
from transparency import merkle
from transparency.leaves import leaf_data
from transparency.note import NoteError, Verifier, open_note, parse_checkpoint
from transparency.remote import RemoteError, Site
from transparency.witness import CosignatureError, WitnessKey, cosignatures_on

MAX_NAMED = 20  # leaves named one by one; more are counted
PROGRESS_SECONDS = 2.0  # a progress line at most this often (and at the end of each pass)


def _b64(root: bytes) -> str:
    return base64.b64encode(root).decode()


@dataclass
class Audit:
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def say(self, line: str) -> None:
        self.lines.append(line)

    def fail(self, line: str) -> None:
        self.lines.append(line)
        self.problems.append(line)


class _Hashes(Sequence):
    """Leaf hashes packed 32 bytes each in one buffer, read as a sequence of bytes: a list of two
    million hashes costs 130 MB of objects, the buffer 64 MB. Slices share the buffer."""

    def __init__(self, buffer: bytearray | memoryview | None = None):
        self.buffer = bytearray() if buffer is None else buffer

    def __len__(self) -> int:
        return len(self.buffer) // merkle.HASH_SIZE

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                raise ValueError("leaf hashes are sliced in order")
            return _Hashes(memoryview(self.buffer)[start * merkle.HASH_SIZE : stop * merkle.HASH_SIZE])
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return bytes(self.buffer[index * merkle.HASH_SIZE : (index + 1) * merkle.HASH_SIZE])

    def append(self, value: bytes) -> None:
        self.buffer += value


@dataclass
class _Leaves:
    """The feed's leaves as read: hash, position and fact id of leaves 0…n-1, and the first break in
    their order. Packed (hashes 32 bytes, positions 8, fact ids 16 a leaf): the auditor of a log of
    millions of leaves runs on a laptop."""

    hashes: _Hashes = field(default_factory=_Hashes)
    positions: array = field(default_factory=lambda: array("q"))
    _fact_ids: bytearray = field(default_factory=bytearray)
    broken: str = ""

    _odd: dict = field(default_factory=dict)  # what a feed served that does not pack: shown as served

    def add(self, hashed: bytes, position: object, fact_id: object) -> None:
        index = len(self.hashes)
        self.hashes.append(hashed)
        if type(position) is int and -(2**63) <= position < 2**63:
            self.positions.append(position)
        else:
            self.positions.append(-1)
            self._odd[("position", index)] = position
        try:
            self._fact_ids += uuid.UUID(str(fact_id)).bytes
        except ValueError:
            self._fact_ids += bytes(16)
            self._odd[("fact_id", index)] = fact_id

    def position(self, index: int) -> object:
        return self._odd.get(("position", index), self.positions[index])

    def fact_id(self, index: int) -> object:
        if ("fact_id", index) in self._odd:
            return self._odd[("fact_id", index)]
        return str(uuid.UUID(bytes=bytes(self._fact_ids[index * 16 : (index + 1) * 16])))


def audit_site(
    site: Site,
    *,
    log_key: str | None,
    pin: Path | None,
    witnesses: list[str],
    saved: Path | None,
    tree_size: int | None,
    page: int,
    progress: Callable[[str], None],
) -> Audit:
    audit = Audit()
    try:
        _audit(audit, site, log_key, pin, witnesses, saved, tree_size, page, progress)
    except RemoteError as error:
        audit.fail(f"The site could not be read: {error}")
    return audit


def _audit(audit, site, log_key, pin, witnesses, saved, tree_size, page, progress) -> None:
    verifier = _log_verifier(audit, site, log_key, pin)
    if verifier is None:
        return
    served = (site.latest_checkpoint() if tree_size is None else site.checkpoint(tree_size))["note"]
    try:
        opened = open_note(served, [verifier])
    except NoteError as error:
        audit.fail(f"The checkpoint served is not signed by the log's key {verifier.name}: {error}.")
        return
    checkpoint = parse_checkpoint(opened.text)
    size, root = checkpoint.size, checkpoint.root
    audit.say(f"Checkpoint: tree size {size}, root {_b64(root)}, signed by the log ({verifier.name}).")

    _witnesses(audit, served, witnesses, size, root)
    _saved(audit, site, saved, verifier, size, root)

    published, recount_note = _published(site, size)
    position = published["as_of_position"]
    recount = Recount()
    leaves = _read_feed(site, size, position, page, recount, progress)
    _tree(audit, site, leaves, size, root, page)

    lines, differ = compare(recount, published)
    audit.say(recount_note)
    audit.lines += lines
    if differ:
        audit.fail(f"The published national totals differ from the recount from the facts: {', '.join(differ)}.")
    else:
        audit.say("The published national totals match the recount from the facts.")
    if saved is not None and not audit.problems:
        saved.write_text(served, encoding="utf-8")
        audit.say(f"Checkpoint {size} saved to {saved}: the next audit checks the log still extends it.")


def _log_verifier(audit: Audit, site: Site, log_key: str | None, pin: Path | None) -> Verifier | None:
    pinned = pin.read_text(encoding="utf-8").strip() if pin is not None and pin.exists() else None
    if log_key and pinned and log_key.strip() != pinned:
        audit.fail(f"The log key given, {log_key.strip()}, is not the one pinned in {pin}: {pinned}.")
        return None
    vkey = (log_key or pinned or "").strip()
    if not vkey:
        if pin is None:
            audit.fail("Give the log's verifier key (--log-key), or a file to pin it in (--pin).")
            return None
        vkey = site.log_key()
        pin.write_text(vkey + "\n", encoding="utf-8")
        audit.say(f"The log's key, fetched from the site and pinned in {pin}: {vkey}")
    try:
        return Verifier.from_vkey(vkey)
    except NoteError as error:
        audit.fail(f"The log's verifier key {vkey!r} is not valid: {error}.")
        return None


def _witnesses(audit: Audit, served: str, witnesses: list[str], size: int, root: bytes) -> None:
    keys = []
    for vkey in witnesses:
        try:
            keys.append(WitnessKey.from_vkey(vkey))
        except CosignatureError as error:
            audit.fail(f"The witness key {vkey!r} is not valid: {error}.")
    found = cosignatures_on(served, keys)
    for key in keys:
        outcome = found.get(key.vkey)
        if outcome is None:
            audit.say(f"Witness {key.name} has not cosigned checkpoint {size} (yet).")
        elif isinstance(outcome, CosignatureError):
            audit.fail(
                f"The cosignature of witness {key.name} does not verify on checkpoint {size} (root {_b64(root)}): "
                "the witness cosigned another tree of this size, so the log showed two different trees (a fork)."
            )
        else:
            audit.say(f"Witness {key.name} cosigned checkpoint {size} at {outcome}.")


def _saved(audit: Audit, site: Site, saved: Path | None, verifier: Verifier, size: int, root: bytes) -> None:
    if saved is None or not saved.exists():
        return
    try:
        earlier = parse_checkpoint(open_note(saved.read_text(encoding="utf-8"), [verifier]).text)
    except NoteError as error:
        audit.fail(f"The checkpoint saved in {saved} is not signed by the log's key: {error}.")
        return
    old, new = f"tree size {earlier.size} (root {_b64(earlier.root)})", f"tree size {size} (root {_b64(root)})"
    try:
        if earlier.size > size:
            raise merkle.ProofError("the log went back")
        if earlier.size > 0:
            proof = site.consistency_proof(earlier.size, size) if earlier.size < size else []
            merkle.verify_consistency(earlier.size, size, earlier.root, root, proof)
    except (merkle.ProofError, RemoteError) as error:
        audit.fail(f"The checkpoint of {new} is not consistent with the checkpoint of {old} saved earlier: {error}.")
        return
    audit.say(f"Consistent with the checkpoint of {old} saved earlier.")


def _published(site: Site, size: int) -> tuple[dict, str]:
    """The national figures as of the checkpoint, or, when they are not, as they are now."""
    try:
        answer = site.get("/api/v1/stats/national/", checkpoint=size)
        return answer, f"National totals as of checkpoint {size} (ledger position {answer['as_of_position']}):"
    except RemoteError as error:
        if "not_as_of_checkpoint" not in str(error):
            raise
    answer = site.get("/api/v1/stats/national/")
    return answer, (
        f"National totals as of ledger position {answer['as_of_position']}: the figures are not as of checkpoint "
        f"{size}, so the facts up to their position are recounted, whether the checkpoint holds them or not:"
    )


def _read_feed(site: Site, size: int, position: int, page: int, recount: Recount, progress) -> _Leaves:
    """Read the feed in ledger order: every fact up to the figures' `position` into the recount, and the
    leaf hash of every fact with a leaf index below `size`. Two passes over one read: up to the
    figures (`until`), then on to the checkpoint's last leaf if the figures are behind it."""
    leaves, read, after, said = _Leaves(), 0, 0, time.monotonic()

    def take(fact: dict) -> None:
        index = fact.get("leaf_index")
        if index is None or index >= size:
            return
        expected = len(leaves.hashes)
        if not leaves.broken and index != expected:
            leaves.broken = (
                f"Leaf {expected} is missing from the feed: after leaf {expected - 1} comes leaf {index}."
                if index > expected
                else f"Leaf {index} comes again after leaf {expected - 1} in the feed: the feed's order changed."
            )
        leaves.add(merkle.leaf_hash(leaf_data(fact)), fact["position"], fact["fact_id"])

    for until in ([position] if position else []) + [None]:
        while True:
            query = {"after": after, "limit": page} | ({"until": until} if until else {})
            answer = site.get("/api/v1/facts/", **query)
            for fact in answer["results"]:
                if until:
                    recount.add(fact)
                take(fact)
            read += len(answer["results"])
            after = answer["next_after"]
            done = not answer.get("next") or (until is None and len(leaves.hashes) >= size)
            if done or time.monotonic() - said >= PROGRESS_SECONDS:
                progress(f"facts read: {read}, leaves: {len(leaves.hashes)} of {size}")
                said = time.monotonic()
            if done:
                break
        if len(leaves.hashes) >= size:
            break
    return leaves


def _tree(audit: Audit, site: Site, leaves: _Leaves, size: int, root: bytes, page: int) -> None:
    if leaves.broken:
        audit.fail(leaves.broken)
        return
    if len(leaves.hashes) < size:
        audit.fail(
            f"The feed holds {len(leaves.hashes)} leaves; checkpoint {size} signed {size}: "
            f"leaves {len(leaves.hashes)} to {size - 1} are missing from the feed."
        )
        return
    mine = merkle.root_from_leaf_hashes(leaves.hashes)
    if mine == root:
        audit.say(f"The tree rebuilt from the feed's {size} leaves has the signed root.")
        return
    audit.fail(f"The tree rebuilt from the feed's {size} leaves has root {_b64(mine)}, not the signed {_b64(root)}.")
    for line in _differing(site, leaves, size, page):
        audit.fail(line)


def _items_at(site: Site, leaves: _Leaves, indexes: list[int], page: int) -> dict[int, dict]:
    """The feed's items of these leaves, read again from just before the first of them (the pass that
    hashed them kept 32 bytes a leaf, not the items)."""
    wanted, items = set(indexes), {}
    after = leaves.position(min(indexes) - 1) if indexes and min(indexes) > 0 else 0
    while wanted - items.keys():
        answer = site.get("/api/v1/facts/", after=after, limit=page)
        items.update({f["leaf_index"]: f for f in answer["results"] if f.get("leaf_index") in wanted})
        if not answer.get("next"):
            break
        after = answer["next_after"]
    return items


def _differing(site: Site, leaves: _Leaves, size: int, page: int) -> list[str]:
    """The leaves where the feed and the log's hashes part, found down the tree: a subtree whose hash
    differs has a child that differs, and the log's hash of each child is in the inclusion proof of a
    leaf of its sibling. About 2·log2(size) proofs a leaf found."""
    theirs: dict[merkle.Range, bytes] = {}
    asked: set[int] = set()

    def log_hash(lo: int, hi: int, via: int) -> bytes:
        if (lo, hi) not in theirs and via not in asked:
            asked.add(via)
            leaf, proof = site.inclusion_proof(via, size)
            theirs[(via, via + 1)] = leaf
            theirs.update(zip(merkle.inclusion_ranges(via, size), proof, strict=True))
        return theirs[(lo, hi)]

    found: list[int] = []

    def descend(lo: int, hi: int) -> None:
        if len(found) > MAX_NAMED:
            return
        if hi - lo == 1:
            found.append(lo)
            return
        k = 1 << ((hi - lo - 1).bit_length() - 1)
        for (a, b), via in (((lo, lo + k), lo + k), ((lo + k, hi), lo)):
            if merkle.root_from_leaf_hashes(leaves.hashes[a:b]) != log_hash(a, b, via):
                descend(a, b)

    descend(0, size)
    signed = {index: log_hash(index, index + 1, index) for index in found}
    items = _items_at(site, leaves, found[:MAX_NAMED], page)

    def moved(index: int, to: int) -> bool:
        """Is leaf `index`'s fact what the log signed as leaf `to`, but for the position it now has?"""
        item = {**items[index], "position": leaves.position(to)}
        return merkle.leaf_hash(leaf_data(item)) == signed[to]

    lines, said = [], set()
    for index in found[:MAX_NAMED]:
        if index in said:
            continue
        swapped = next(
            (other for other in found[:MAX_NAMED] if other != index and moved(index, other) and moved(other, index)),
            None,
        )
        if swapped is not None:
            said |= {index, swapped}
            lines.append(
                f"Leaves {index} and {swapped} hold each other's facts (positions {leaves.position(index)} and "
                f"{leaves.position(swapped)}): two facts were reordered after they were logged."
            )
            continue
        lines.append(
            f"Leaf {index} (position {leaves.position(index)}, fact {leaves.fact_id(index)}) is not what the log "
            "signed: the fact was changed after it was logged."
        )
    if len(found) > MAX_NAMED:
        lines.append(f"… and more leaves than the {MAX_NAMED} named differ.")
    return lines
