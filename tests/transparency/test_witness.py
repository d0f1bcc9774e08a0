"""Witnesses (`manage.py witness`) against a live server: each cosigns a checkpoint only when it extends
the last one it cosigned, the platform keeps and shows the cosignatures of the witnesses it lists, and a
log that rewrites its history is caught, loudly, by the witness that saw the history before."""

from __future__ import annotations

import time

import pytest

from tests.stats import conftest as stats
from tests.transparency.loop import (
    b64,
    change_fact,
    delete_fact,
    leaf_of_result,
    publish,
    resign,
    run,
    swap_facts,
    witness,
    witness_key,
)
from transparency import log, merkle
from transparency.models import Checkpoint, Cosignature
from transparency.note import parse_note
from transparency.signing import verifier
from transparency.witness import Cosigner, WitnessState

# The stats story (six events of one campaign) as this module's fixtures.
history, story = stats.history, stats.story

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_stats_cache")]


def test_a_witness_cosigns_the_checkpoint_and_again_each_one_that_extends_it(
    live_server, story, history, tmp_path, api_client
):
    state = tmp_path / "university"
    vkey = witness_key(state, "witness.test/university")
    first = publish()

    before = int(time.time())
    printed, failed = witness(live_server, state)

    assert failed is None
    kept = Cosignature.objects.get()
    assert before <= kept.timestamp <= time.time()
    assert (kept.size, kept.witness, kept.name) == (first.size, vkey, "witness.test/university")
    assert printed.splitlines() == [
        f"Checkpoint of tree size {first.size}, root {b64(first.root)}: signed by the log.",
        "The first checkpoint this witness sees: nothing earlier to check it against.",
        f"Cosigned tree size {first.size} at {kept.timestamp} and handed in: kept by the site.",
    ]
    # Shown: the checkpoint's note with the cosignature after the log's signature, in the API and as text.
    served = api_client.get("/api/v1/log/checkpoints/latest/").json()["note"]
    assert served == first.note + kept.line + "\n"
    assert api_client.get("/log/checkpoint").content.decode() == served
    assert WitnessState(state).checkpoint() == first.note
    # And on the open-data page, for a journalist: the size, the root, the key, the witness, the note.
    page = api_client.get("/open-data/", HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert f"<dd>{first.size}</dd>" in page
    assert f'<code translate="no">{b64(first.root)}</code>' in page
    assert f'<code translate="no">{verifier().vkey}</code>' in page
    assert '<span translate="no">witness.test/university</span>' in page
    assert "куәгер" in page

    # A fact appended, a new checkpoint: consistent with the old one, cosigned again.
    history.result(story.events["E4"], area_ha="3", headcount=31, correction="the area measured again")
    second = publish()
    printed, failed = witness(live_server, state)

    assert failed is None
    again = Cosignature.objects.get(size=second.size)
    assert printed.splitlines() == [
        f"Checkpoint of tree size {second.size}, root {b64(second.root)}: signed by the log.",
        f"Consistent with tree size {first.size} (root {b64(first.root)}) cosigned earlier: "
        f"a proof of {len(merkle.consistency_ranges(first.size, second.size))} hashes verified.",
        f"Cosigned tree size {second.size} at {again.timestamp} and handed in: kept by the site.",
    ]
    assert second.size == first.size + 1
    assert WitnessState(state).checkpoint() == second.note

    # Run again with nothing new: the same tree, cosigned again; the site keeps the first cosignature.
    printed, failed = witness(live_server, state)
    assert failed is None
    assert printed.splitlines()[1:] == [
        f"The same tree as cosigned last, tree size {second.size} (root {b64(second.root)}).",
        printed.splitlines()[2].split(" at ")[0]
        + f" at {printed.splitlines()[2].split(' at ')[1].split()[0]} and handed in: "
        "the site already had this witness's cosignature of it.",
    ]
    assert Cosignature.objects.filter(size=second.size).get() == again


def test_a_witness_prints_its_new_key_and_the_site_refuses_a_witness_it_does_not_list(live_server, story, tmp_path):
    checkpoint = publish()
    state = tmp_path / "newspaper"

    printed, failed = witness(live_server, state)

    made = Cosigner.from_skey((state / "witness.key").read_text()).key.vkey
    assert printed.splitlines()[:2] == [
        f"A new witness key was made in {state}. Its verifier key, for the site's TAZA_LOG_WITNESSES:",
        made,
    ]
    assert failed == (
        f"Cosigned tree size {checkpoint.size}, but the site did not take the cosignature: "
        f"{live_server.url}/api/v1/log/cosignatures/ answered 403 "
        "(unknown_witness: This key is not one of the witnesses the platform lists.)."
    )
    assert not Cosignature.objects.exists()
    assert (state / "witness.key").stat().st_mode & 0o777 == 0o600


def test_the_witness_refuses_a_checkpoint_not_signed_by_the_log_it_follows(live_server, story, tmp_path):
    publish()
    other = Cosigner.generate("not.the.log").key.vkey
    state = tmp_path / "w"
    witness_key(state, "witness.test/w")
    # A key of another type is not a log key at all; the log's own name with another key is another log.
    printed, failed = run("witness", "--url", live_server.url, "--state", str(state), "--log-key", other)
    assert failed == (
        f"The log's verifier key {other!r} is not valid: only Ed25519 verifier keys (type 0x01, 32 bytes) are known."
    )
    assert WitnessState(state).checkpoint() is None


TAMPERING = {
    "a fact changed": lambda story: change_fact(leaf_of_result(story.events["E2"]), trees=500),
    "a fact deleted": lambda story: delete_fact(5),
    "two facts reordered": lambda story: swap_facts(5, 6),
}


@pytest.mark.parametrize("tamper", TAMPERING.values(), ids=TAMPERING.keys())
def test_a_log_rewritten_under_a_checkpoint_is_a_fork_the_witness_refuses(
    live_server, story, history, tmp_path, tamper
):
    state = tmp_path / "university"
    witness_key(state, "witness.test/university")
    cosigned = publish()
    assert witness(live_server, state)[1] is None
    kept = WitnessState(state).checkpoint()

    # The operator rewrites history under the checkpoint, adds two facts and signs the new tree.
    tamper(story)
    history.result(story.events["E4"], area_ha="3", headcount=31, correction="measured again")
    history.result(story.events["E4"], area_ha="3.5", headcount=31, correction="measured once more")
    forged = resign()
    with pytest.raises(merkle.ProofError) as why:
        merkle.verify_consistency(
            cosigned.size,
            forged.size,
            bytes(cosigned.root),
            bytes(forged.root),
            log.consistency_proof(cosigned.size, forged.size),
        )

    printed, failed = witness(live_server, state)

    assert failed == (
        f"Fork detected: the log's checkpoint of tree size {forged.size} (root {b64(forged.root)}) is not consistent "
        f"with tree size {cosigned.size} (root {b64(cosigned.root)}) that this witness cosigned last ({why.value}). "
        "Not cosigned; the witness keeps its state."
    )
    assert WitnessState(state).checkpoint() == kept
    assert not Cosignature.objects.filter(size=forged.size).exists()


def test_a_log_that_shows_two_witnesses_two_trees_of_one_size_is_caught_by_the_first(
    live_server, story, tmp_path, api_client
):
    first_state, second_state = tmp_path / "university", tmp_path / "newspaper"
    witness_key(first_state, "witness.test/university")
    witness_key(second_state, "witness.test/newspaper")
    honest = publish()
    assert witness(live_server, first_state)[1] is None

    # The operator shows the newspaper another tree of the same size: one fact changed, re-signed.
    change_fact(leaf_of_result(story.events["E2"]), trees=500)
    forked = resign(replace=True)
    assert forked.size == honest.size and bytes(forked.root) != bytes(honest.root)
    assert witness(live_server, second_state)[1] is None

    printed, failed = witness(live_server, first_state)

    assert failed == (
        f"Fork detected: the log's checkpoint of tree size {honest.size} (root {b64(forked.root)}) has another root "
        f"than tree size {honest.size} (root {b64(honest.root)}) that this witness cosigned last. "
        "Not cosigned; the witness keeps its state."
    )
    # Both cosignatures stay and are shown: the university's on the honest tree no longer verifies there.
    served = api_client.get(f"/api/v1/log/checkpoints/{honest.size}/").json()["note"]
    assert [s.name for s in parse_note(served).signatures] == [
        verifier().name,
        "witness.test/university",
        "witness.test/newspaper",
    ]
    assert Checkpoint.objects.get(size=honest.size).note != honest.note


def test_a_cosignature_that_does_not_verify_or_names_no_checkpoint_is_refused(story, tmp_path, api_client, settings):
    api_client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    checkpoint = publish()
    cosigner = Cosigner.generate("witness.test/w")
    settings.TAZA_LOG_WITNESSES = [cosigner.key.vkey]
    other_text = parse_note(checkpoint.note).text.replace(f"\n{checkpoint.size}\n", f"\n{checkpoint.size + 1}\n")

    wrong = api_client.post(
        "/api/v1/log/cosignatures/",
        {"tree_size": checkpoint.size, "cosignature": cosigner.cosign(other_text, int(time.time()))},
        format="json",
    )
    unknown = api_client.post(
        "/api/v1/log/cosignatures/",
        {"tree_size": checkpoint.size + 7, "cosignature": cosigner.cosign(other_text, int(time.time()))},
        format="json",
    )
    future = api_client.post(
        "/api/v1/log/cosignatures/",
        {
            "tree_size": checkpoint.size,
            "cosignature": cosigner.cosign(parse_note(checkpoint.note).text, int(time.time()) + 3600),
        },
        format="json",
    )

    assert (wrong.status_code, wrong.json()["error"]["code"]) == (400, "cosignature_invalid")
    assert wrong.json()["error"]["fields"] == {"cosignature": ["The cosignature does not verify on this checkpoint."]}
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "unknown_checkpoint")
    assert future.json()["error"]["fields"] == {"cosignature": ["The cosignature's time is in the future."]}
    assert not Cosignature.objects.exists()
