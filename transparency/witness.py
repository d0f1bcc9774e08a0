"""Witnessing the log: cosignatures (C2SP tlog-cosignature, `cosignature/v1`, Ed25519) and the witness's
own state in files. Pure but for the files: the platform verifies cosignatures with it, and
`manage.py witness` (a separate process, anyone's) makes them with it.

A cosignature is one more signature line on a checkpoint, `— <witness name> base64(key ID ||
timestamp || signature)`: the key ID is SHA-256(name || 0x0A || 0x04 || public key)[:4] (type 0x04,
not the log's 0x01, so a witness's signature can never pass for the log's), the timestamp eight bytes
big-endian, and the Ed25519 signature is over

    cosignature/v1
    time <timestamp>
    <the checkpoint's text, every line, with its final newline>

It says: as of that time, this is the largest tree of this log the witness has seen consistent with
every one it saw before. So a witness cosigns a checkpoint only after proving (RFC 9162 consistency)
that it extends the last one it cosigned, and it never moves its state back or sideways: a log
that shows it two trees that do not extend each other has forked, and the witness says so and keeps
what it had, which is the evidence.
"""

from __future__ import annotations

import base64
import os
import re
import struct
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from transparency import merkle
from transparency.note import (
    SIGNATURE_PREFIX,
    NoteError,
    Signature,
    Verifier,
    key_id,
    open_note,
    parse_checkpoint,
    parse_note,
)
from transparency.remote import RemoteError, Site

COSIGNATURE_V1 = 0x04  # the signature type of an Ed25519 cosignature/v1 (C2SP signed-note)
HEADER = "cosignature/v1\n"
_NAME = re.compile(r"^[^\s+]+$")


class CosignatureError(ValueError):
    """A cosignature or witness key that is malformed, or a cosignature that does not verify."""


def cosigned_message(text: str, timestamp: int) -> bytes:
    """What a witness signs: the header line, the time line, the checkpoint's whole text."""
    if not 0 <= timestamp < 2**63:
        raise CosignatureError("a timestamp is between 0 and 2^63 - 1")
    return f"{HEADER}time {timestamp}\n{text}".encode()


def _b64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except ValueError as error:
        raise CosignatureError("not base64") from error


@dataclass(frozen=True)
class WitnessKey:
    """A witness's verifier key: `<name>+<hex key ID>+<base64(0x04 || public key)>`."""

    name: str
    id: bytes
    public_key: bytes

    @classmethod
    def from_vkey(cls, vkey: str) -> WitnessKey:
        parts = vkey.strip().split("+", 2)
        if len(parts) != 3 or not _NAME.match(parts[0]) or not re.fullmatch(r"[0-9a-f]{8}", parts[1]):
            raise CosignatureError("a witness key is name+keyid+key")
        name, hex_id, encoded = parts
        raw = _b64(encoded)
        if len(raw) != 33 or raw[0] != COSIGNATURE_V1:
            raise CosignatureError("a witness key is an Ed25519 cosignature/v1 key (type 0x04, 32 bytes)")
        if key_id(name, raw[1:], COSIGNATURE_V1) != bytes.fromhex(hex_id):
            raise CosignatureError("the key ID does not match the key")
        return cls(name, bytes.fromhex(hex_id), raw[1:])

    @property
    def vkey(self) -> str:
        return f"{self.name}+{self.id.hex()}+{base64.b64encode(bytes([COSIGNATURE_V1]) + self.public_key).decode()}"

    def matches(self, signature: Signature) -> bool:
        return signature.name == self.name and signature.id == self.id

    def verify(self, text: str, signature: Signature) -> int:
        """The timestamp of this witness's cosignature on the checkpoint `text`; raise if it does not verify."""
        if not self.matches(signature):
            raise CosignatureError(f"the signature is not by {self.name}")
        if len(signature.signature) != 8 + 64:
            raise CosignatureError("a cosignature is a timestamp and an Ed25519 signature (72 bytes)")
        (timestamp,) = struct.unpack(">Q", signature.signature[:8])
        try:
            message = cosigned_message(text, timestamp)
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature.signature[8:], message)
        except InvalidSignature as error:
            raise CosignatureError(f"the cosignature of {self.name} does not verify") from error
        return timestamp


@dataclass(frozen=True)
class Cosigner:
    """A witness's signing key."""

    name: str
    seed: bytes = field(repr=False)

    @classmethod
    def generate(cls, name: str) -> Cosigner:
        if not _NAME.match(name):
            raise CosignatureError("a witness name is non-empty, with no spaces and no '+'")
        return cls(name, Ed25519PrivateKey.generate().private_bytes_raw())

    @classmethod
    def from_skey(cls, skey: str) -> Cosigner:
        parts = skey.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise CosignatureError("a witness's private key is PRIVATE+KEY+name+keyid+key")
        raw = _b64(parts[4])
        if len(raw) != 33 or raw[0] != COSIGNATURE_V1:
            raise CosignatureError("a witness's private key is an Ed25519 cosignature/v1 key")
        cosigner = cls(parts[2], raw[1:])
        if cosigner.key.id.hex() != parts[3]:
            raise CosignatureError("the key ID does not match the key")
        return cosigner

    @property
    def skey(self) -> str:
        encoded = base64.b64encode(bytes([COSIGNATURE_V1]) + self.seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.key.id.hex()}+{encoded}"

    @property
    def key(self) -> WitnessKey:
        public = (
            Ed25519PrivateKey.from_private_bytes(self.seed).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        )
        return WitnessKey(self.name, key_id(self.name, public, COSIGNATURE_V1), public)

    def cosign(self, text: str, timestamp: int) -> str:
        """The cosignature line on the checkpoint `text` (no trailing newline)."""
        signature = Ed25519PrivateKey.from_private_bytes(self.seed).sign(cosigned_message(text, timestamp))
        raw = self.key.id + struct.pack(">Q", timestamp) + signature
        return f"{SIGNATURE_PREFIX}{self.name} {base64.b64encode(raw).decode()}"


def parse_cosignature(line: str) -> Signature:
    """One signature line, `— <name> <base64>`, as the note parser reads it."""
    line = line.rstrip("\n")
    if "\n" in line:
        raise CosignatureError("a cosignature is one line")
    try:
        return parse_note(f"x\n\n{line}\n").signatures[0]
    except NoteError as error:
        raise CosignatureError(str(error)) from error


def cosignatures_on(note: str, keys: list[WitnessKey]) -> dict[str, int | CosignatureError]:
    """Each known witness's cosignature on a served checkpoint note: its timestamp, or why it fails.
    Witnesses with no line on the note are left out; lines of unknown keys are ignored."""
    parsed = parse_note(note)
    found: dict[str, int | CosignatureError] = {}
    for signature in parsed.signatures:
        for key in keys:
            if key.matches(signature):
                try:
                    found[key.vkey] = key.verify(parsed.text, signature)
                except CosignatureError as error:
                    found[key.vkey] = error
    return found


# --- The witness's state: files in one directory -----------------------------------------------------


class WitnessState:
    """What a witness keeps between runs, in a directory of its own (no database):

    - `witness.key`: its private key (PRIVATE+KEY+…, mode 0600), made on the first run;
    - `log.vkey`: the log's verifier key it was first configured with (a later run with another key
      is refused: that is another log);
    - `checkpoint`: the last checkpoint it cosigned, as the log signed it.

    Files are replaced atomically (write, fsync, rename), so a crash leaves the old state or the new,
    never half of one."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory).expanduser()

    def _path(self, name: str) -> Path:
        return self.directory / name

    def _write(self, name: str, text: str, mode: int = 0o644) -> None:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=f".{name}.")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, self._path(name))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def _read(self, name: str) -> str | None:
        path = self._path(name)
        return path.read_text(encoding="utf-8") if path.exists() else None

    def cosigner(self, name: str) -> tuple[Cosigner, bool]:
        """The witness's key, and whether it was made just now."""
        stored = self._read("witness.key")
        if stored is not None:
            return Cosigner.from_skey(stored), False
        cosigner = Cosigner.generate(name)
        self._write("witness.key", cosigner.skey + "\n", 0o600)
        return cosigner, True

    def log_key(self) -> str | None:
        stored = self._read("log.vkey")
        return stored.strip() if stored else None

    def pin_log_key(self, vkey: str) -> None:
        self._write("log.vkey", vkey + "\n")

    def checkpoint(self) -> str | None:
        return self._read("checkpoint")

    def save_checkpoint(self, note: str) -> None:
        self._write("checkpoint", note)


# --- One run of a witness ------------------------------------------------------------------------------


class WitnessError(Exception):
    """The witness did not cosign: why, in a sentence for whoever runs it."""


class ForkDetected(WitnessError):
    """The log showed a tree that does not extend the one this witness cosigned last."""


@dataclass
class WitnessRun:
    tree_size: int
    cosignature: str


def _b64root(root: bytes) -> str:
    return base64.b64encode(root).decode()


def witness_once(
    site: Site, state: WitnessState, *, name: str, log_key: str | None, now: float, say: Callable[[str], None]
) -> WitnessRun:
    """Fetch the log's latest checkpoint, check its signature and that it extends the last checkpoint
    this witness cosigned, cosign it, keep it as the new state, and hand the cosignature in.

    The state moves only after every check passed: a checkpoint that is not signed by the log's key,
    is smaller than the last one, has another root at the same size, or has no valid consistency
    proof from it, is refused (WitnessError, ForkDetected) and the state stays as it was. What was
    checked is said as it is checked (`say`), so a refusal follows the lines that led to it."""
    cosigner, made = state.cosigner(name)
    if made:
        say(f"A new witness key was made in {state.directory}. Its verifier key, for the site's TAZA_LOG_WITNESSES:")
        say(cosigner.key.vkey)
    pinned = state.log_key()
    if log_key and pinned and log_key.strip() != pinned:
        raise WitnessError(
            f"This witness follows the log with key {pinned}, not {log_key.strip()}: a new key is a new log "
            "(use a new --state directory for it)."
        )
    vkey = (log_key or pinned or "").strip()
    if not vkey:
        raise WitnessError("Give the log's verifier key (--log-key name+keyid+key, as the site publishes it).")
    try:
        verifier = Verifier.from_vkey(vkey)
    except NoteError as error:
        raise WitnessError(f"The log's verifier key {vkey!r} is not valid: {error}.") from error

    try:
        served = site.latest_checkpoint()["note"]
        opened = open_note(served, [verifier])
        latest = parse_checkpoint(opened.text)
    except RemoteError as error:
        raise WitnessError(str(error)) from error
    except NoteError as error:
        raise WitnessError(
            f"The log's latest checkpoint is not signed by the log's key {verifier.name}: {error}."
        ) from error
    if latest.origin != verifier.name:
        raise WitnessError(f"The checkpoint is of the log {latest.origin!r}, not of {verifier.name!r}.")
    if not pinned:
        state.pin_log_key(vkey)
    say(f"Checkpoint of tree size {latest.size}, root {_b64root(latest.root)}: signed by the log.")

    kept = state.checkpoint()
    if kept is None:
        say("The first checkpoint this witness sees: nothing earlier to check it against.")
    else:
        last = parse_checkpoint(parse_note(kept).text)
        old, new = (
            f"tree size {last.size} (root {_b64root(last.root)})",
            f"tree size {latest.size} (root {_b64root(latest.root)})",
        )
        kept_note = "Not cosigned; the witness keeps its state."
        if latest.size < last.size:
            raise ForkDetected(
                f"Fork detected: the log's latest checkpoint, {new}, is smaller than {old} that this witness "
                f"cosigned last: the log went back. {kept_note}"
            )
        if latest.size == last.size and latest.root != last.root:
            raise ForkDetected(
                f"Fork detected: the log's checkpoint of {new} has another root than {old} that this witness "
                f"cosigned last. {kept_note}"
            )
        if latest.size > last.size:
            try:
                proof = site.consistency_proof(last.size, latest.size)
                merkle.verify_consistency(last.size, latest.size, last.root, latest.root, proof)
            except RemoteError as error:
                raise ForkDetected(
                    f"Fork detected: the log proves no consistency of {new} with {old} that this witness "
                    f"cosigned last ({error}). {kept_note}"
                ) from error
            except merkle.ProofError as error:
                raise ForkDetected(
                    f"Fork detected: the log's checkpoint of {new} is not consistent with {old} that this "
                    f"witness cosigned last ({error}). {kept_note}"
                ) from error
            say(f"Consistent with {old} cosigned earlier: a proof of {len(proof)} hashes verified.")
        else:
            say(f"The same tree as cosigned last, {old}.")

    timestamp = int(now)
    run = WitnessRun(latest.size, cosigner.cosign(opened.text, timestamp))
    state.save_checkpoint(
        opened.text
        + "\n"
        + "".join(
            f"{SIGNATURE_PREFIX}{s.name} {base64.b64encode(s.id + s.signature).decode()}\n" for s in opened.verified
        )
    )
    try:
        status, _answer = site.cosign(latest.size, run.cosignature)
    except RemoteError as error:
        raise WitnessError(
            f"Cosigned tree size {latest.size}, but the site did not take the cosignature: {error}."
        ) from error
    taken = "kept by the site" if status == 201 else "the site already had this witness's cosignature of it"
    say(f"Cosigned tree size {latest.size} at {timestamp} and handed in: {taken}.")
    return run
