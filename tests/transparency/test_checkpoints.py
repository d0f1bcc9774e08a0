"""Publishing checkpoints: the task beat and a starting worker run, and the log's refusal to sign a
tree that does not extend the checkpoint before it."""

import pytest
from django.conf import settings

from ledger.runner import catch_up_all
from tests.transparency.conftest import sample_facts
from transparency import merkle
from transparency.models import Checkpoint, Tile
from transparency.note import Checkpoint as CheckpointText
from transparency.note import Verifier, open_note, parse_checkpoint
from transparency.services import checkpoint_publish
from transparency.signing import verifier
from transparency.tasks import publish_checkpoint


def test_the_task_catches_the_log_up_and_publishes_once_per_growth(public_facts):
    assert publish_checkpoint.delay().get() == 8
    assert publish_checkpoint.delay().get() is None  # nothing new: the latest stands
    sample_facts(3)
    assert publish_checkpoint.delay().get() == 11
    assert list(Checkpoint.objects.values_list("size", flat=True)) == [11, 8]


def test_every_start_publishes_a_checkpoint_even_of_an_empty_log(db):
    assert "transparency.publish_checkpoint" in settings.TAZA_WORKER_ON_CONNECT_TASKS
    assert publish_checkpoint.delay().get() == 0
    checkpoint = Checkpoint.objects.get()
    assert parse_checkpoint(checkpoint.note.split("\n\n")[0] + "\n") == CheckpointText(
        settings.TAZA_LOG_ORIGIN, 0, merkle.EMPTY_ROOT
    )


def test_the_note_opens_with_the_published_verifier_key(public_facts):
    catch_up_all()
    checkpoint = checkpoint_publish()
    opened = open_note(checkpoint.note, [Verifier.from_vkey(verifier().vkey)])
    assert parse_checkpoint(opened.text) == CheckpointText(settings.TAZA_LOG_ORIGIN, 8, bytes(checkpoint.root))


def test_a_tree_that_does_not_extend_the_last_checkpoint_is_not_signed(public_facts):
    catch_up_all()
    checkpoint_publish()
    sample_facts(2)
    catch_up_all()
    tile = Tile.objects.get(level=0, number=0)
    tile.hashes = bytes(32) + bytes(tile.hashes)[32:]  # leaf 0 rewritten
    tile.save()

    with pytest.raises(merkle.ProofError):
        checkpoint_publish()
    assert list(Checkpoint.objects.values_list("size", flat=True)) == [8]


def test_the_signing_key_can_be_configured(settings, public_facts):
    settings.TAZA_LOG_SIGNING_KEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
    assert verifier().vkey == "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    settings.TAZA_LOG_SIGNING_KEY = "00" * 32
    assert verifier().name == settings.TAZA_LOG_ORIGIN
    settings.TAZA_LOG_SIGNING_KEY = ""
    assert verifier().vkey.startswith(settings.TAZA_LOG_ORIGIN + "+")


def test_the_key_command_prints_the_verifier_key_and_makes_new_keys(db, capsys):
    from django.core.management import call_command

    from transparency.note import Signer

    call_command("log_key")
    assert capsys.readouterr().out.strip() == verifier().vkey
    call_command("log_key", "--generate")
    setting, comment = capsys.readouterr().out.strip().split("\n")
    signer = Signer.from_skey(setting.removeprefix("TAZA_LOG_SIGNING_KEY="))
    assert signer.name == settings.TAZA_LOG_ORIGIN
    assert comment == f"# its verifier key: {signer.verifier.vkey}"
