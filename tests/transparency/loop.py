"""The witness and auditor tests' world: the stats story on a live server, a checkpoint of it, witnesses
with keys in files, and the operator turned rogue (tampering with the ledger as its owner, with the
append-only triggers off, then re-signing the log)."""

from __future__ import annotations

import base64
import importlib
import io
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from ledger.models import Fact
from ledger.runner import projection_rebuild
from tests.stats.history import fold_all
from transparency import log
from transparency.models import Checkpoint, Leaf
from transparency.note import Checkpoint as CheckpointText
from transparency.note import sign
from transparency.signing import signer, verifier
from transparency.tasks import publish_checkpoint
from transparency.witness import WitnessState

_LEDGER = importlib.import_module("ledger.migrations.0002_append_only_and_tx")
_CHECKPOINTS = importlib.import_module("transparency.migrations.0002_checkpoints_never_change")


def b64(root: bytes) -> str:
    return base64.b64encode(bytes(root)).decode()


def publish() -> Checkpoint:
    """Fold everything appended and sign a checkpoint of it, as the worker's task does."""
    fold_all()
    publish_checkpoint()
    return Checkpoint.objects.order_by("-size").first()


def witness_key(directory: Path, name: str) -> str:
    """A witness's key made ahead of its first run, and listed by the operator."""
    cosigner, _ = WitnessState(directory).cosigner(name)
    settings.TAZA_LOG_WITNESSES = [*settings.TAZA_LOG_WITNESSES, cosigner.key.vkey]
    return cosigner.key.vkey


def run(command: str, *args: str) -> tuple[str, str | None]:
    """What a command printed, and the message it failed with (None: exit 0)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, *args, stdout=out, stderr=err)
    except CommandError as error:
        assert error.returncode == 1
        return out.getvalue(), str(error)
    return out.getvalue(), None


def witness(live_server, state: Path) -> tuple[str, str | None]:
    return run("witness", "--url", live_server.url, "--state", str(state), "--log-key", verifier().vkey)


# --- The operator turned rogue ---------------------------------------------------------------------------


@contextmanager
def append_only_off():
    """The ledger's and the checkpoints' triggers off, as the tables' owner can (ledger/migrations/0002,
    transparency/migrations/0002), and back on after."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE ledger_fact DISABLE TRIGGER ledger_fact_append_only")
            cursor.execute("ALTER TABLE transparency_checkpoint DISABLE TRIGGER transparency_checkpoint_kept")
        else:
            for name in ("ledger_fact_no_update", "ledger_fact_no_delete", "transparency_checkpoint_no_update"):
                cursor.execute(f"DROP TRIGGER {name}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("ALTER TABLE ledger_fact ENABLE TRIGGER ledger_fact_append_only")
                cursor.execute("ALTER TABLE transparency_checkpoint ENABLE TRIGGER transparency_checkpoint_kept")
            else:
                for statement in _LEDGER.SQLITE_FORWARD + _CHECKPOINTS.SQLITE_FORWARD:
                    cursor.execute(statement)


def leaf_at(index: int) -> Leaf:
    return Leaf.objects.get(index=index)


def leaf_of_result(event) -> int:
    """The leaf of an event's first ResultLogged (a public fact with figures in it)."""
    fact = Fact.objects.filter(stream=f"event-{event}", type="ResultLogged").order_by("version").first()
    return Leaf.objects.get(position=fact.position).index


def change_fact(index: int, **changes) -> None:
    """Change the data of the fact at leaf `index`."""
    fact = Fact.objects.get(position=leaf_at(index).position)
    with append_only_off():
        Fact.objects.filter(position=fact.position).update(data={**fact.data, **changes})


def delete_fact(index: int) -> None:
    with append_only_off(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM ledger_fact WHERE position = %s", [leaf_at(index).position])


def swap_facts(first: int, second: int) -> None:
    """Put the facts of two leaves in each other's place in ledger order: their positions (and, on
    PostgreSQL, their transaction ids, which order the ledger first) swapped."""
    a, b = leaf_at(first).position, leaf_at(second).position
    with append_only_off(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "UPDATE ledger_fact f SET tx = o.tx FROM ledger_fact o "
                "WHERE (f.position, o.position) IN ((%s, %s), (%s, %s))",
                [a, b, b, a],
            )
        cursor.execute("UPDATE ledger_fact SET position = -1 WHERE position = %s", [a])
        cursor.execute("UPDATE ledger_fact SET position = %s WHERE position = %s", [a, b])
        cursor.execute("UPDATE ledger_fact SET position = %s WHERE position = -1", [b])


def resign(*, replace: bool = False) -> Checkpoint:
    """The rogue log: rebuild the tree from the tampered ledger and sign a checkpoint of it, bypassing
    checkpoint_publish's own consistency check (which would refuse); `replace`: the checkpoints of the
    same size are taken out first, to show the new tree under an old size."""
    projection_rebuild(name="transparency.log")
    fold_all()
    size = log.tree_size()
    root = log.root_at(size)
    with append_only_off():
        if replace:
            Checkpoint.objects.filter(size__gte=size).delete()
    text = CheckpointText(settings.TAZA_LOG_ORIGIN, size, root).text
    return Checkpoint.objects.create(size=size, root=root, note=sign(text, signer()), published_at=timezone.now())
