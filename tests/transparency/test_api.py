"""The log's API, checked as a witness or auditor outside the platform would: the checkpoint's
signature with `cryptography` alone, the proofs with a verifier written here from RFC 9162's
recursive definitions (not the platform's iterative one), the roots from the feed's items."""

import base64
import gzip
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import DatabaseError, transaction

from ledger.runner import catch_up_all
from tests.transparency.conftest import sample_facts
from tests.transparency.test_log import feed_items, root_of
from transparency.canonical import canonical_json
from transparency.models import Checkpoint
from transparency.services import checkpoint_publish

API = "/api/v1/log/"


def h(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def root_from_path(index: int, size: int, leaf: bytes, path: list[bytes]) -> bytes:
    """PATH(m, D[n]) of RFC 9162 §2.1.3.1 read backwards: the last element is the sibling at the top."""
    if size == 1:
        assert not path
        return leaf
    k = split(size)
    if index < k:
        return h(b"\x01" + root_from_path(index, k, leaf, path[:-1]) + path[-1])
    return h(b"\x01" + path[-1] + root_from_path(index - k, size - k, leaf, path[:-1]))


def roots_from_consistency(m: int, n: int, proof: list[bytes], old_root: bytes, whole: bool = True):
    """SUBPROOF(m, D[n], b) of RFC 9162 §2.1.4.1 read backwards: (old root, new root) it proves."""
    if m == n:
        if whole:
            assert not proof
            return old_root, old_root
        assert len(proof) == 1
        return proof[0], proof[0]
    k = split(n)
    if m <= k:
        old, new = roots_from_consistency(m, k, proof[:-1], old_root, whole)
        return old, h(b"\x01" + new + proof[-1])
    old, new = roots_from_consistency(m - k, n - k, proof[:-1], old_root, False)
    return h(b"\x01" + proof[-1] + old), h(b"\x01" + proof[-1] + new)


def b64(value: str) -> bytes:
    return base64.b64decode(value)


def leaf_hash(item: dict) -> bytes:
    from transparency.canonical import canonical_json

    return h(b"\x00" + canonical_json({k: v for k, v in item.items() if k != "leaf_index"}))


@pytest.fixture
def two_checkpoints(public_facts):
    catch_up_all()
    first = checkpoint_publish()
    sample_facts(300)
    catch_up_all()
    second = checkpoint_publish()
    return first.size, second.size


def test_the_latest_checkpoint_is_signed_by_the_published_key(api_client, two_checkpoints):
    first, second = two_checkpoints
    key = api_client.get(API + "key/").json()
    latest = api_client.get(API + "checkpoints/latest/").json()
    text_form = api_client.get("/log/checkpoint")

    name, key_id, encoded = key["vkey"].split("+", 2)
    public = b64(encoded)
    assert (name, public[0], len(public)) == (key["name"], 1, 33)
    assert key_id == h(name.encode() + b"\n\x01" + public[1:])[:4].hex()
    body, signatures = latest["note"].rsplit("\n\n", 1)
    assert body.split("\n") == [key["origin"], str(second), latest["root"]]
    dash, signer, signature = signatures.rstrip("\n").split(" ")
    assert (dash, signer) == ("\u2014", name)
    raw = b64(signature)
    assert raw[:4].hex() == key_id
    Ed25519PublicKey.from_public_bytes(public[1:]).verify(raw[4:], (body + "\n").encode())  # raises if not
    assert b64(latest["root"]) == root_of(feed_items(api_client))
    assert text_form["Content-Type"] == "text/plain; charset=utf-8"
    assert text_form.content.decode() == latest["note"]
    listed = api_client.get(API + "checkpoints/").json()
    assert [c["size"] for c in listed["results"]] == [second, first]
    assert api_client.get(API + f"checkpoints/{first}/").json()["size"] == first


def test_inclusion_proofs_verify_independently(api_client, two_checkpoints):
    first, second = two_checkpoints
    items = feed_items(api_client)
    root = b64(api_client.get(API + f"checkpoints/{first}/").json()["root"])
    for index in range(first):
        proof = api_client.get(API + "proofs/inclusion/", {"leaf_index": index, "tree_size": first}).json()
        assert b64(proof["leaf_hash"]) == leaf_hash(items[index])
        assert root_from_path(index, first, leaf_hash(items[index]), [b64(p) for p in proof["proof"]]) == root
    latest_root = b64(api_client.get(API + "checkpoints/latest/").json()["root"])
    for item in items[::37]:
        proof = api_client.get(API + "proofs/inclusion/", {"fact_id": item["fact_id"]}).json()
        assert (proof["leaf_index"], proof["tree_size"]) == (item["leaf_index"], second)
        path = [b64(p) for p in proof["proof"]]
        assert root_from_path(item["leaf_index"], second, leaf_hash(item), path) == latest_root


def test_the_consistency_proof_verifies_independently(api_client, two_checkpoints):
    first, second = two_checkpoints
    roots = {size: b64(api_client.get(API + f"checkpoints/{size}/").json()["root"]) for size in (first, second)}
    answer = api_client.get(API + "proofs/consistency/", {"first": first}).json()
    proof = [b64(p) for p in answer["proof"]]
    assert (answer["first"], answer["second"]) == (first, second)
    assert roots_from_consistency(first, second, proof, roots[first]) == (roots[first], roots[second])
    same = api_client.get(API + "proofs/consistency/", {"first": second, "second": second}).json()
    assert same["proof"] == []


@pytest.mark.parametrize(
    ("path", "params", "status", "code", "fields"),
    [
        ("proofs/inclusion/", {"leaf_index": 0, "tree_size": 7}, 404, "unknown_checkpoint", ["tree_size"]),
        ("proofs/inclusion/", {"leaf_index": 8}, 400, "leaf_not_in_tree", ["leaf_index"]),
        ("proofs/inclusion/", {}, 400, "validation_error", ["leaf_index"]),
        ("proofs/inclusion/", {"leaf_index": -1}, 400, "validation_error", ["leaf_index"]),
        (
            "proofs/inclusion/",
            {"leaf_index": 0, "fact_id": "6f1c2f9e-3f0b-4a53-9d0a-0f4b1f1b2c11"},
            400,
            "validation_error",
            ["leaf_index"],
        ),
        ("proofs/inclusion/", {"fact_id": "6f1c2f9e-3f0b-4a53-9d0a-0f4b1f1b2c11"}, 404, "unknown_leaf", ["fact_id"]),
        ("proofs/inclusion/", {"leaf_index": "x"}, 400, "validation_error", ["leaf_index"]),
        ("proofs/consistency/", {"first": 9, "second": 8}, 400, "sizes_out_of_order", ["first"]),
        ("proofs/consistency/", {"first": 3}, 404, "unknown_checkpoint", ["first"]),
        ("proofs/consistency/", {"first": 0}, 400, "validation_error", ["first"]),
        ("proofs/consistency/", {"first": 2**70}, 400, "validation_error", ["first"]),
        ("checkpoints/7/", {}, 404, "unknown_checkpoint", ["size"]),
        ("checkpoints/99999999999999999999999/", {}, 404, "unknown_checkpoint", ["size"]),
    ],
)
def test_bad_requests_are_refused_with_a_stable_code(api_client, public_facts, path, params, status, code, fields):
    catch_up_all()
    checkpoint_publish()  # the tree of 8 leaves

    response = api_client.get(API + path, params)

    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code
    assert sorted(response.json()["error"]["fields"]) == fields


def test_no_checkpoint_yet(api_client, db):
    assert api_client.get(API + "checkpoints/latest/").json()["error"]["code"] == "no_checkpoint"
    assert api_client.get(API + "proofs/consistency/", {"first": 1}).json()["error"]["code"] == "no_checkpoint"
    assert api_client.get("/log/checkpoint").status_code == 404


def test_the_tiles_are_served_as_tlog_tiles(api_client, two_checkpoints):
    _, second = two_checkpoints  # 308 leaves: a full tile 0/000, a partial 0/001 of 52
    items = feed_items(api_client)
    full = api_client.get("/log/tile/0/000")
    partial = api_client.get("/log/tile/0/001.p/52")
    narrower = api_client.get("/log/tile/0/001.p/10")

    assert second == 308
    assert full.content == b"".join(leaf_hash(item) for item in items[:256])
    assert full["Content-Type"] == "application/octet-stream"
    assert partial.content == b"".join(leaf_hash(item) for item in items[256:])
    assert narrower.content == partial.content[: 10 * 32]
    assert api_client.get("/log/tile/1/000.p/1").content == root_of(items[:256])
    for missing in (
        "/log/tile/0/001",
        "/log/tile/0/001.p/53",
        "/log/tile/0/002.p/1",
        "/log/tile/0/x000/001",
        "/log/tile/0/01",
        "/log/tile/0/000.p/256",
        "/log/tile/99/000",
    ):
        assert api_client.get(missing).status_code == 404, missing


def entries_of(bundle: bytes) -> list[bytes]:
    """A C2SP entry bundle read back: big-endian uint16 length, then that many bytes, to the end."""
    out, at = [], 0
    while at < len(bundle):
        length = int.from_bytes(bundle[at : at + 2], "big")
        out.append(bundle[at + 2 : at + 2 + length])
        at += 2 + length
    assert at == len(bundle)
    return out


def test_the_entries_are_served_as_tlog_tiles_bundles(api_client, two_checkpoints):
    """Each entry is a leaf's data as an auditor computes it from the feed, and hashes to the
    matching hash of the level-0 tile (RFC 6962 leaf hash); full bundles are immutable, and gzip is
    given to a client that takes it."""
    items = feed_items(api_client)
    data = [canonical_json({k: v for k, v in item.items() if k != "leaf_index"}) for item in items]
    full = api_client.get("/log/tile/entries/000")
    partial = api_client.get("/log/tile/entries/001.p/52")
    narrower = api_client.get("/log/tile/entries/001.p/10")
    zipped = api_client.get("/log/tile/entries/000", HTTP_ACCEPT_ENCODING="gzip, identity")

    assert entries_of(full.content) == data[:256]
    assert entries_of(partial.content) == data[256:308]
    assert entries_of(narrower.content) == data[256:266]
    tile = api_client.get("/log/tile/0/000").content
    assert b"".join(hashlib.sha256(b"\x00" + entry).digest() for entry in entries_of(full.content)) == tile
    assert (full["Content-Type"], full["Cache-Control"]) == (
        "application/octet-stream",
        "public, max-age=31536000, immutable",
    )
    assert (zipped["Content-Encoding"], gzip.decompress(zipped.content)) == ("gzip", full.content)
    for missing in (
        "/log/tile/entries/001",
        "/log/tile/entries/001.p/53",
        "/log/tile/entries/002.p/1",
        "/log/tile/entries/x000/001",
        "/log/tile/entries/000.p/256",
        "/log/tile/entries/../000",
    ):
        assert api_client.get(missing).status_code == 404, missing


def test_a_bundle_whose_fact_was_changed_no_longer_hashes_to_its_tile(api_client, two_checkpoints):
    """Made from the facts as served now: a fact changed in the database after it was logged gives
    an entry that a client checking the bundle against the tile sees is not what was logged."""
    from ledger.models import Fact
    from tests.transparency.loop import append_only_off

    first = Fact.objects.filter(type="SampleTallied").order_by("position").first()
    with append_only_off():
        Fact.objects.filter(position=first.position).update(data={**first.data, "amount": 999})

    entries = entries_of(api_client.get("/log/tile/entries/000").content)
    tile = api_client.get("/log/tile/0/000").content
    hashes = [hashlib.sha256(b"\x00" + entry).digest() for entry in entries]
    differing = [i for i, hashed in enumerate(hashes) if hashed != tile[32 * i : 32 * i + 32]]
    assert len(differing) == 1 and b'"amount":999' in entries[differing[0]]


def test_a_checkpoint_cannot_be_changed(public_facts):
    catch_up_all()
    checkpoint = checkpoint_publish()
    with pytest.raises(DatabaseError), transaction.atomic():
        Checkpoint.objects.filter(size=checkpoint.size).update(note="forged")
    assert checkpoint_publish() is None  # nothing new: the latest stands
