"""The auditor (`manage.py audit_log`) against a live server, with nothing but the public API: a witnessed
checkpoint audits clean, the next one extends the one saved, and every rewriting of history the tests
make (a fact changed, deleted, two reordered, a fork to two witnesses) is found and said exactly."""

from __future__ import annotations

import pytest

from ledger.models import ProjectionCheckpoint
from tests.stats import conftest as stats
from tests.transparency.loop import (
    b64,
    change_fact,
    delete_fact,
    leaf_at,
    leaf_of_result,
    publish,
    resign,
    run,
    swap_facts,
    witness,
    witness_key,
)
from transparency import log, merkle
from transparency.models import Cosignature
from transparency.signing import verifier

# The stats story (six events of one campaign) as this module's fixtures.
history, story = stats.history, stats.story

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_stats_cache")]


def audit(live_server, *args: str) -> tuple[list[str], str | None]:
    printed, failed = run("audit_log", "--url", live_server.url, "--page", "7", *args)
    return printed.splitlines(), failed


def problems(failed: str) -> list[str]:
    return [line[2:] for line in failed.splitlines()[1:]]


def test_a_witnessed_checkpoint_audits_clean_and_the_next_one_extends_it(live_server, story, history, tmp_path):
    state, pin, saved = tmp_path / "university", tmp_path / "log.vkey", tmp_path / "checkpoint"
    university = witness_key(state, "witness.test/university")
    first = publish()
    assert witness(live_server, state)[1] is None
    cosigned = Cosignature.objects.get(size=first.size)
    position = ProjectionCheckpoint.objects.get(name="stats.totals").position

    lines, failed = audit(live_server, "--pin", str(pin), "--saved", str(saved), "--witness", university)

    assert failed is None
    assert lines[:5] == [
        f"The log's key, fetched from the site and pinned in {pin}: {verifier().vkey}",
        f"Checkpoint: tree size {first.size}, root {b64(first.root)}, signed by the log ({verifier().name}).",
        f"Witness witness.test/university cosigned checkpoint {first.size} at {cosigned.timestamp}.",
        f"The tree rebuilt from the feed's {first.size} leaves has the signed root.",
        f"National totals as of checkpoint {first.size} (ledger position {position}):",
    ]
    assert f"{'total.trees':<24}{'40':>22}{'40':>22}" in lines
    assert lines[-3:] == [
        "The published national totals match the recount from the facts.",
        f"Checkpoint {first.size} saved to {saved}: the next audit checks the log still extends it.",
        "The audit passed: the log, its witnesses and the totals hold.",
    ]
    assert pin.read_text() == verifier().vkey + "\n"

    # A fact appended and a new checkpoint, not yet witnessed: consistent with the saved one.
    history.result(story.events["E4"], area_ha="3", headcount=31, correction="the area measured again")
    second = publish()
    lines, failed = audit(live_server, "--pin", str(pin), "--saved", str(saved), "--witness", university)

    assert failed is None
    assert lines[:4] == [
        f"Checkpoint: tree size {second.size}, root {b64(second.root)}, signed by the log ({verifier().name}).",
        f"Witness witness.test/university has not cosigned checkpoint {second.size} (yet).",
        f"Consistent with the checkpoint of tree size {first.size} (root {b64(first.root)}) saved earlier.",
        f"The tree rebuilt from the feed's {second.size} leaves has the signed root.",
    ]
    assert f"{'total.participants':<24}{'53':>22}{'53':>22}" in lines


def test_the_figures_as_of_a_checkpoint_name_it_and_refuse_one_they_are_not_of(story, history, api_client):
    api_client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    first = publish()
    answer = api_client.get(f"/api/v1/stats/national/?checkpoint={first.size}").json()
    assert answer["checkpoint"] == {"tree_size": first.size, "root": b64(first.root)}

    history.result(story.events["E4"], area_ha="3", headcount=31, correction="the area measured again")
    publish()
    refused = api_client.get(f"/api/v1/stats/national/?checkpoint={first.size}")
    csv = api_client.get(f"/api/v1/stats/national/?checkpoint={first.size + 1}&format=csv")

    assert refused.status_code == 409
    assert refused.json()["error"] == {
        "code": "not_as_of_checkpoint",
        "message": "The figures are not as of this checkpoint.",
        "fields": {
            "checkpoint": [
                f"Not as of checkpoint {first.size}: "
                f"the figures are folded from the first {first.size + 1} public facts."
            ]
        },
    }
    assert csv.content.decode().splitlines()[0].endswith(",checkpoint_tree_size,checkpoint_root")
    unknown = api_client.get("/api/v1/stats/national/?checkpoint=999")
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "unknown_checkpoint")


def test_a_changed_fact_is_named_by_its_leaf_and_its_figure(live_server, story):
    checkpoint = publish()
    index = leaf_of_result(story.events["E4"])
    change_fact(index, headcount=300)
    leaf = leaf_at(index)

    lines, failed = audit(live_server, "--log-key", verifier().vkey)

    mine = merkle.root_from_leaf_hashes(_feed_hashes(live_server))
    assert problems(failed) == [
        f"The tree rebuilt from the feed's {checkpoint.size} leaves has root {b64(mine)}, "
        f"not the signed {b64(checkpoint.root)}.",
        f"Leaf {index} (position {leaf.position}, fact {leaf.fact_id}) is not what the log signed: "
        "the fact was changed after it was logged.",
        "The published national totals differ from the recount from the facts: "
        "total.participants, awaiting.participants.",
    ]


def test_a_deleted_fact_is_missing_from_the_feed(live_server, story):
    publish()
    delete_fact(7)

    lines, failed = audit(live_server, "--log-key", verifier().vkey)

    assert problems(failed)[0] == "Leaf 7 is missing from the feed: after leaf 6 comes leaf 8."


def test_two_reordered_facts_are_found_in_each_others_place(live_server, story):
    publish()
    first, second = leaf_at(5).position, leaf_at(6).position
    swap_facts(5, 6)

    lines, failed = audit(live_server, "--log-key", verifier().vkey)

    assert problems(failed)[1] == (
        f"Leaves 5 and 6 hold each other's facts (positions {first} and {second}): "
        "two facts were reordered after they were logged."
    )


def test_a_fork_to_two_witnesses_shows_in_the_cosignature_of_the_one_that_saw_the_other_tree(
    live_server, story, tmp_path
):
    university = witness_key(tmp_path / "university", "witness.test/university")
    newspaper = witness_key(tmp_path / "newspaper", "witness.test/newspaper")
    honest = publish()
    assert witness(live_server, tmp_path / "university")[1] is None
    change_fact(leaf_of_result(story.events["E2"]), trees=500)
    forked = resign(replace=True)
    assert witness(live_server, tmp_path / "newspaper")[1] is None
    newspaper_at = Cosignature.objects.get(name="witness.test/newspaper").timestamp

    lines, failed = audit(live_server, "--log-key", verifier().vkey, "--witness", university, "--witness", newspaper)

    assert lines[1:3] == [
        lines[1],
        f"Witness witness.test/newspaper cosigned checkpoint {honest.size} at {newspaper_at}.",
    ]
    assert problems(failed)[0] == (
        f"The cosignature of witness witness.test/university does not verify on checkpoint {honest.size} "
        f"(root {b64(forked.root)}): the witness cosigned another tree of this size, so the log showed two "
        "different trees (a fork)."
    )


def test_a_log_rewritten_after_an_audit_is_not_consistent_with_the_checkpoint_saved(
    live_server, story, history, tmp_path
):
    saved = tmp_path / "checkpoint"
    audited = publish()
    assert audit(live_server, "--log-key", verifier().vkey, "--saved", str(saved))[1] is None
    delete_fact(3)
    history.result(story.events["E4"], area_ha="3", headcount=31, correction="the area measured again")
    history.result(story.events["E4"], area_ha="3.5", headcount=31, correction="measured once more")
    forged = resign()
    with pytest.raises(merkle.ProofError) as why:
        merkle.verify_consistency(
            audited.size,
            forged.size,
            bytes(audited.root),
            bytes(forged.root),
            log.consistency_proof(audited.size, forged.size),
        )

    lines, failed = audit(live_server, "--log-key", verifier().vkey, "--saved", str(saved))

    assert problems(failed)[0] == (
        f"The checkpoint of tree size {forged.size} (root {b64(forged.root)}) is not consistent with the checkpoint "
        f"of tree size {audited.size} (root {b64(audited.root)}) saved earlier: {why.value}."
    )
    assert saved.read_text().startswith(f"{verifier().name}\n{audited.size}\n")


def _feed_hashes(live_server) -> list[bytes]:
    """The leaf hashes of the feed as served (what the auditor rebuilds the tree from)."""
    from transparency.leaves import leaf_data
    from transparency.remote import Site

    site, after, hashes = Site(live_server.url), 0, []
    while True:
        answer = site.get("/api/v1/facts/", after=after, limit=500)
        hashes += [merkle.leaf_hash(leaf_data(f)) for f in answer["results"] if f["leaf_index"] is not None]
        if not answer["next"]:
            return hashes
        after = answer["next_after"]
