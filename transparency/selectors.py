"""Reads of the log for the API and the pages: checkpoints, proofs, the verifier key."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from config.errors import DomainError, NotFound
from ledger.models import Fact
from ledger.selectors import public_forms_of
from ledger.stored import StoredFact
from transparency import log
from transparency.leaves import feed_item, leaf_data
from transparency.models import Checkpoint, Leaf
from transparency.signing import verifier


class NoCheckpoint(NotFound):
    code = "no_checkpoint"
    default_message = _("No checkpoint has been published yet.")


class UnknownCheckpoint(NotFound):
    code = "unknown_checkpoint"
    default_message = _("No checkpoint has this tree size.")


class UnknownLeaf(NotFound):
    code = "unknown_leaf"
    default_message = _("No leaf holds this fact: it is withheld, unknown, or not in the log yet.")


class LeafNotInTree(DomainError):
    code = "leaf_not_in_tree"
    default_message = _("The leaf is not in the tree of this size.")


class SizesOutOfOrder(DomainError):
    code = "sizes_out_of_order"
    default_message = _("The first tree size must not be larger than the second.")


def checkpoints() -> QuerySet[Checkpoint]:
    return Checkpoint.objects.order_by("-size")


def latest_checkpoint() -> Checkpoint:
    checkpoint = checkpoints().first()
    if checkpoint is None:
        raise NoCheckpoint()
    return checkpoint


def checkpoint_at(size: int, field: str = "tree_size") -> Checkpoint:
    # A size beyond bigint is no checkpoint's (and no query's: PostgreSQL would refuse the number).
    checkpoint = Checkpoint.objects.filter(size=size).first() if 0 <= size < 2**62 else None
    if checkpoint is None:
        raise UnknownCheckpoint(fields={field: [str(_("No checkpoint has tree size %(size)d.") % {"size": size})]})
    return checkpoint


@dataclass(frozen=True)
class InclusionProof:
    leaf_index: int
    tree_size: int
    leaf_hash: bytes
    root: bytes
    proof: list[bytes]


def inclusion(
    *, tree_size: int | None, leaf_index: int | None = None, fact_id: uuid.UUID | None = None
) -> InclusionProof:
    """The proof that a leaf (by index, or the fact's leaf) is in the tree of a checkpoint (the
    latest unless `tree_size` names one)."""
    checkpoint = latest_checkpoint() if tree_size is None else checkpoint_at(tree_size)
    if fact_id is not None:
        leaf_index = log.leaf_of_fact(fact_id)
        if leaf_index is None:
            raise UnknownLeaf(fields={"fact_id": [str(UnknownLeaf.default_message)]})
    if leaf_index is None:  # the API asks for one of the two; a caller naming neither is a bug
        raise TypeError("inclusion() needs a leaf_index or a fact_id")
    if leaf_index >= checkpoint.size:
        raise LeafNotInTree(
            fields={
                "leaf_index" if fact_id is None else "fact_id": [
                    str(_("Leaf %(index)d is not in the tree of %(size)d leaves."))
                    % {"index": leaf_index, "size": checkpoint.size}
                ]
            }
        )
    return InclusionProof(
        leaf_index=leaf_index,
        tree_size=checkpoint.size,
        leaf_hash=log.leaf_hash_at(leaf_index),
        root=bytes(checkpoint.root),
        proof=log.inclusion_proof(leaf_index, checkpoint.size),
    )


@dataclass(frozen=True)
class ConsistencyProof:
    first: int
    second: int
    first_root: bytes
    second_root: bytes
    proof: list[bytes]


def consistency(*, first: int, second: int | None) -> ConsistencyProof:
    """The proof that the tree of checkpoint `first` is a prefix of the tree of checkpoint `second`
    (the latest unless given)."""
    later = latest_checkpoint() if second is None else checkpoint_at(second, "second")
    if first > later.size:
        raise SizesOutOfOrder(fields={"first": [str(SizesOutOfOrder.default_message)]})
    earlier = checkpoint_at(first, "first")
    return ConsistencyProof(
        first=earlier.size,
        second=later.size,
        first_root=bytes(earlier.root),
        second_root=bytes(later.root),
        proof=log.consistency_proof(earlier.size, later.size),
    )


@dataclass(frozen=True)
class VerifierKey:
    origin: str
    name: str
    key_id: str
    vkey: str


def verifier_key() -> VerifierKey:
    key = verifier()
    return VerifierKey(origin=settings.TAZA_LOG_ORIGIN, name=key.name, key_id=key.id.hex(), vkey=key.vkey)


# --- entry bundles (C2SP tlog-tiles) ------------------------------------------------------------------

MAX_ENTRY = 0xFFFF  # an entry of a bundle is prefixed with its length as a big-endian uint16


class EntryTooLarge(Exception):
    """A leaf's data is longer than a bundle can carry (65 535 bytes): read it from the feed."""


class EntryNotServed(Exception):
    """A logged fact the feed no longer serves: its bundle cannot be made as it was logged."""


def entry_bundle(first: int, count: int) -> bytes | None:
    """The entries of leaves [first, first + count) as a C2SP tlog-tiles entry bundle: each leaf's
    data (the canonical JSON of its feed item, the bytes its leaf hash is over), prefixed with its
    length, in leaf order; None if the log does not hold them all yet.

    Made from the facts as the feed serves them now, like every read of the feed: a fact changed in
    the database after it was logged gives an entry that no longer hashes to its leaf, which is what
    a client that checks the bundle against the level-0 tile must see."""
    positions = list(
        Leaf.objects.filter(index__gte=first, index__lt=first + count)
        .order_by("index")
        .values_list("position", flat=True)
    )
    if len(positions) < count:
        return None
    stored = {row.position: StoredFact.from_row(row) for row in Fact.objects.filter(position__in=positions)}
    if len(stored) < count:
        raise EntryNotServed(f"a fact of leaves {first} to {first + count - 1} is missing from the ledger")
    out = bytearray()
    for index, formed in enumerate(public_forms_of([stored[position] for position in positions]), first):
        if formed is None:
            raise EntryNotServed(f"leaf {index}'s fact is withheld by the feed now")
        data = leaf_data(feed_item(formed))
        if len(data) > MAX_ENTRY:
            raise EntryTooLarge(f"leaf {index} holds {len(data)} bytes")
        out += len(data).to_bytes(2, "big") + data
    return bytes(out)
