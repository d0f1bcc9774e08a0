"""Signed notes (C2SP signed-note) with Ed25519, and checkpoints (C2SP tlog-checkpoint): pure, no database.

A note is text ending in a newline, a blank line, then one line per signature:
`— <key name> <base64(key ID || signature)>`, the key ID being the first four bytes of
SHA-256(key name || 0x0A || 0x01 || public key) for Ed25519 (type 0x01). A verifier key is
`<name>+<hex key ID>+<base64(0x01 || public key)>`, and the private key form (Go's
golang.org/x/mod/sumdb/note, which this follows) is `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || seed)>`.

A checkpoint is a note whose text is the log's origin, the tree size in decimal and the root hash
in base64, one a line (optional extension lines after them). Witnesses add their cosignatures as
more signature lines; a verifier ignores signatures of keys it does not know (`open_note`), so a
checkpoint keeps verifying whatever is added to it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519 = 0x01
SIGNATURE_PREFIX = "\u2014 "  # em dash, space
MAX_SIGNATURES = 100  # notes with more are refused (the spec asks for at least 16)
_NAME = re.compile(r"^[^\s+]+$")


class NoteError(ValueError):
    """A note, key or checkpoint that is malformed, or whose signature does not verify."""


def key_id(name: str, public_key: bytes, signature_type: int = ED25519) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([signature_type]) + public_key).digest()[:4]


def _check_name(name: str) -> str:
    if not _NAME.match(name):
        raise NoteError("a key name is non-empty, with no spaces and no '+'")
    return name


def _b64decode(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as error:
        raise NoteError("not base64") from error


@dataclass(frozen=True)
class Verifier:
    name: str
    id: bytes  # 4 bytes
    public_key: bytes  # 32 bytes, RFC 8032

    @classmethod
    def from_vkey(cls, vkey: str) -> Verifier:
        parts = vkey.split("+", 2)  # base64 may hold "+" too
        if len(parts) != 3:
            raise NoteError("a verifier key is name+keyid+key")
        name, hex_id, key = parts
        _check_name(name)
        if not re.fullmatch(r"[0-9a-f]{8}", hex_id):
            raise NoteError("a key ID is 8 lowercase hex digits")
        raw = _b64decode(key)
        if len(raw) != 33 or raw[0] != ED25519:
            raise NoteError("only Ed25519 verifier keys (type 0x01, 32 bytes) are known")
        if key_id(name, raw[1:]) != bytes.fromhex(hex_id):
            raise NoteError("the key ID does not match the key")
        return cls(name, bytes.fromhex(hex_id), raw[1:])

    @property
    def vkey(self) -> str:
        return f"{self.name}+{self.id.hex()}+{base64.b64encode(bytes([ED25519]) + self.public_key).decode()}"

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class Signer:
    name: str
    seed: bytes = field(repr=False)  # the 32-byte Ed25519 private key (RFC 8032)

    @classmethod
    def from_skey(cls, skey: str) -> Signer:
        parts = skey.split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise NoteError("a private key is PRIVATE+KEY+name+keyid+key")
        name, hex_id, key = parts[2:]
        _check_name(name)
        raw = _b64decode(key)
        if len(raw) != 33 or raw[0] != ED25519:
            raise NoteError("only Ed25519 private keys (type 0x01, 32 bytes) are known")
        signer = cls(name, raw[1:])
        if signer.verifier.id.hex() != hex_id:
            raise NoteError("the key ID does not match the key")
        return signer

    @property
    def skey(self) -> str:
        encoded = base64.b64encode(bytes([ED25519]) + self.seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.verifier.id.hex()}+{encoded}"

    @property
    def verifier(self) -> Verifier:
        public = self._key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return Verifier(self.name, key_id(self.name, public), public)

    def _key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.seed)

    def signature_line(self, text: str) -> str:
        signature = self.verifier.id + self._key().sign(text.encode())
        return f"{SIGNATURE_PREFIX}{self.name} {base64.b64encode(signature).decode()}\n"


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise NoteError("a note's text ends with a newline")
    if any(ord(char) < 0x20 and char != "\n" for char in text):
        raise NoteError("a note holds no control characters but newlines")


def sign(text: str, *signers: Signer) -> str:
    """The signed note: the text, a blank line, a signature line per signer."""
    _check_text(text)
    return text + "\n" + "".join(signer.signature_line(text) for signer in signers)


@dataclass(frozen=True)
class Signature:
    name: str
    id: bytes
    signature: bytes  # without the key ID


@dataclass(frozen=True)
class Note:
    text: str
    signatures: tuple[Signature, ...]  # every signature line, in order
    verified: tuple[Signature, ...] = ()  # those of known keys, verified


def parse_note(message: str) -> Note:
    """Split a signed note into its text and signature lines (nothing is verified)."""
    if not message.endswith("\n"):
        raise NoteError("a note ends with a newline")
    cut = message.rfind("\n\n")
    if cut < 0:
        raise NoteError("a note has a blank line before its signatures")
    text, lines = message[: cut + 1], message[cut + 2 :].splitlines()
    _check_text(text)
    if not lines or len(lines) > MAX_SIGNATURES:
        raise NoteError("a note has 1 to 100 signatures")
    signatures = []
    for line in lines:
        if not line.startswith(SIGNATURE_PREFIX):
            raise NoteError("a signature line starts with an em dash and a space")
        name, _, encoded = line[len(SIGNATURE_PREFIX) :].partition(" ")
        _check_name(name)
        raw = _b64decode(encoded)
        if len(raw) < 5:
            raise NoteError("a signature is a key ID and the signature")
        signatures.append(Signature(name, raw[:4], raw[4:]))
    return Note(text, tuple(signatures))


def open_note(message: str, verifiers: list[Verifier]) -> Note:
    """Parse and verify a note against known keys: signatures of unknown keys are ignored, one of a
    known key that fails refuses the note, and at least one must verify."""
    note = parse_note(message)
    known = {(v.name, v.id): v for v in verifiers}
    verified = []
    for signature in note.signatures:
        verifier = known.get((signature.name, signature.id))
        if verifier is None:
            continue
        if not verifier.verify(note.text.encode(), signature.signature):
            raise NoteError(f"the signature of {signature.name} does not verify")
        verified.append(signature)
    if not verified:
        raise NoteError("no signature of a known key")
    return Note(note.text, note.signatures, tuple(verified))


# --- Checkpoints ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode(), *self.extensions]
        return "".join(f"{line}\n" for line in lines)


def parse_checkpoint(text: str) -> Checkpoint:
    """A checkpoint's note text (not the signatures: open_note first)."""
    if not text.endswith("\n"):
        raise NoteError("a checkpoint ends with a newline")
    lines = text[:-1].split("\n")
    if len(lines) < 3 or not all(lines):
        raise NoteError("a checkpoint is origin, size and root hash, each on a non-empty line")
    origin, size, root = lines[:3]
    if not re.fullmatch(r"0|[1-9][0-9]*", size):
        raise NoteError("a tree size is a decimal number with no leading zeroes")
    raw = _b64decode(root)
    if len(raw) != 32:
        raise NoteError("a root hash is 32 bytes")
    return Checkpoint(origin, int(size), raw, tuple(lines[3:]))
