"""`manage.py ledger status | rebuild NAME…|--all | verify [NAME…]`: look after the projections.

Exit codes: 0 all well; 1 `verify` found a projection whose tables differ from a recomputation;
2 a usage error (unknown projection, nothing to rebuild).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ledger.projections import AsyncProjection, all_projections, async_projections
from ledger.runner import projection_rebuild, projection_verify
from ledger.selectors import ledger_head, projection_statuses

USAGE_ERROR = 2
DIFFERS = 1


class Command(BaseCommand):
    help = "The ledger's projections: status (lag), rebuild (drop and replay), verify (recompute and compare)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{status,rebuild,verify}")
        actions.add_parser("status", help="Checkpoint and facts behind of every projection.")
        rebuild = actions.add_parser("rebuild", help="Empty projections' tables and replay the ledger into them.")
        rebuild.add_argument("names", nargs="*", metavar="NAME", help="Projections to rebuild.")
        rebuild.add_argument("--all", action="store_true", help="Rebuild every projection.")
        verify = actions.add_parser("verify", help="Recompute async projections in memory and compare with tables.")
        verify.add_argument("names", nargs="*", metavar="NAME", help="Projections to verify (default: all async).")

    def handle(self, *args, action: str, **options) -> None:
        {"status": self.status, "rebuild": self.rebuild, "verify": self.verify}[action](**options)

    def status(self, **options) -> None:
        head = ledger_head()
        horizon = f"; horizon: transaction {head.horizon}" if head.horizon is not None else ""
        self.stdout.write(f"Ledger: {head.facts} facts; last in ledger order: {_pair(head.last)}{horizon}")
        self.stdout.write(f"{'projection':<40}{'kind':<8}{'checkpoint (tx, position)':>28}{'behind':>10}")
        for status in projection_statuses():
            checkpoint = _pair(status.checkpoint) if status.checkpoint else "-"
            behind = str(status.behind) if status.behind is not None else "-"
            self.stdout.write(f"{status.name:<40}{status.kind:<8}{checkpoint:>28}{behind:>10}")
        if head.held_back:
            self.stdout.write("Committed facts wait for these older transactions of this database to end:")
            for holder in head.holders:
                self.stdout.write(
                    f"  pid {holder.pid}, transaction {holder.tx}, {holder.state} for {holder.seconds:.0f} s: "
                    f"{holder.query}"
                )

    def rebuild(self, *, names: list[str], all: bool, **options) -> None:  # noqa: A002 - the option is --all
        if all == bool(names):
            raise CommandError("Name the projections to rebuild, or give --all (not both).", returncode=USAGE_ERROR)
        for name in sorted(all_projections()) if all else _known(names):
            count = projection_rebuild(name=name)
            self.stdout.write(f"{name}: rebuilt from {count} facts")

    def verify(self, *, names: list[str], **options) -> None:
        chosen = _known(names) if names else sorted(p.name for p in async_projections())
        differing = []
        for name in chosen:
            if not isinstance(all_projections()[name], AsyncProjection):
                self.stdout.write(f"{name}: inline, rebuilt with every append (nothing to verify)")
                continue
            differences = projection_verify(name=name)
            if not differences:
                self.stdout.write(f"{name}: OK")
                continue
            differing.append(name)
            self.stdout.write(f"{name}: {len(differences)} difference(s)")
            self.stdout.write(f"  {'key':<50}{'recomputed':>20}{'in tables':>20}")
            for d in differences:
                self.stdout.write(f"  {d.key:<50}{d.computed!r:>20}{d.stored!r:>20}")
        if differing:
            raise CommandError(
                f"Tables differ from a recomputation from the facts: {', '.join(differing)}", returncode=DIFFERS
            )


def _known(names: list[str]) -> list[str]:
    unknown = sorted(set(names) - set(all_projections()))
    if unknown:
        raise CommandError(
            f"Unknown projection(s): {', '.join(unknown)}. Known: {', '.join(sorted(all_projections()))}",
            returncode=USAGE_ERROR,
        )
    return names


def _pair(checkpoint: tuple[int, int]) -> str:
    return f"({checkpoint[0]}, {checkpoint[1]})"
