"""Known answers for signed notes and checkpoints: golang.org/x/mod/sumdb/note's tests (the keys of
PeterNeumann and EnochRoot, its signed message; golang/mod at fe2ec04f, sumdb/note/note_test.go)
and the C2SP examples (C2SP/C2SP at 5ba5ee83: signed-note.md's example key and note,
tlog-checkpoint.md's checkpoint). Ed25519 is deterministic, so signing is checked byte for byte."""

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from transparency import note

PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
PETER_SIG = (
    "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)
ENOCH_SIG = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"
C2SP_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
C2SP_NOTE = (
    "This is an example message.\n\n"
    "— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n"
)
C2SP_CHECKPOINT = (
    "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n"
    "— example.com/behind-the-sofa "
    "Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
)


def test_signing_gives_the_published_note_byte_for_byte():
    signer = note.Signer.from_skey(PETER_SKEY)
    assert signer.skey == PETER_SKEY
    assert signer.verifier.vkey == PETER_VKEY
    assert note.sign(TEXT, signer) == TEXT + "\n" + PETER_SIG


def test_opening_verifies_known_keys_and_ignores_unknown_ones():
    peter, enoch = note.Verifier.from_vkey(PETER_VKEY), note.Verifier.from_vkey(ENOCH_VKEY)
    opened = note.open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [peter])
    assert opened.text == TEXT
    assert [s.name for s in opened.verified] == ["PeterNeumann"]
    assert [s.name for s in opened.signatures] == ["PeterNeumann", "EnochRoot"]
    both = note.open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [peter, enoch])
    assert [(s.name, s.id.hex()) for s in both.verified] == [("PeterNeumann", "c74f20a3"), ("EnochRoot", "af0cfe78")]
    with pytest.raises(note.NoteError, match="no signature of a known key"):
        note.open_note(TEXT + "\n" + PETER_SIG + ENOCH_SIG, [])


def test_the_c2sp_example_verifies_and_a_changed_text_does_not():
    verifier = note.Verifier.from_vkey(C2SP_VKEY)
    assert note.open_note(C2SP_NOTE, [verifier]).text == "This is an example message.\n"
    with pytest.raises(note.NoteError, match="does not verify"):
        note.open_note(C2SP_NOTE.replace("example", "exemplary", 1), [verifier])


def test_the_c2sp_checkpoint_parses():
    opened = note.parse_note(C2SP_CHECKPOINT)
    checkpoint = note.parse_checkpoint(opened.text)
    assert checkpoint.origin == "example.com/behind-the-sofa"
    assert checkpoint.size == 20852163
    assert base64.b64encode(checkpoint.root).decode() == "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="
    assert checkpoint.text == opened.text
    assert opened.signatures[0].name == "example.com/behind-the-sofa"


@pytest.mark.parametrize(
    "vkey",
    [
        PETER_VKEY[:-1],
        PETER_VKEY.replace("c74f20a3", "c74f20a4"),
        "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",  # note_test.go
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  # note_test.go
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    ],
)
def test_mangled_verifier_keys_are_refused(vkey):
    with pytest.raises(note.NoteError):
        note.Verifier.from_vkey(vkey)


def test_a_signature_verifies_with_cryptography_alone():
    signer = note.Signer(name="taza.test/log", seed=bytes(range(32)))
    text = note.Checkpoint("taza.test/log", 3, bytes(32)).text
    signed = note.sign(text, signer)
    line = signed.rsplit("\n\n", 1)[1]
    raw = base64.b64decode(line.split(" ")[2].strip())
    vkey = base64.b64decode(signer.verifier.vkey.split("+", 2)[2])
    Ed25519PublicKey.from_public_bytes(vkey[1:]).verify(raw[4:], text.encode())
    assert raw[:4] == bytes.fromhex(signer.verifier.vkey.split("+")[1])


@pytest.mark.parametrize(
    "text",
    [
        "origin\n3\n",
        "origin\n03\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
        "origin\n3\nAAAA\n",
        "origin\n\n3\nx\n",
    ],
)
def test_malformed_checkpoints_are_refused(text):
    with pytest.raises(note.NoteError):
        note.parse_checkpoint(text)
