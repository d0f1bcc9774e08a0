"""The schemathesis run's figures (operations, cases, failures per role), printed at the end of the run.

Each distinct failure (role, operation, check, status) keeps the smallest failing request seen, as
curl, with the answer; the summary lists them by operation, and all of them, with the answers and
the status codes each operation gave each role, are written to test-artifacts/schemathesis-report.json
(TAZA_CONTRACT_REPORT names another file).
"""

from __future__ import annotations

import json
import os
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from _pytest.nodeid import coerce_node_id
from _pytest.nodes import Node

from tests.contract.world import ROLES

# schemathesis 4.32's `from_fixture` names each operation's subtest by rewriting the test item's
# `_nodeid`, an attribute pytest 9.2 replaced by `_id` (a NodeId): without this the lazy schema
# fails with AttributeError before sending anything. Reading it gives the node id, setting it sets `_id`.
if not hasattr(Node, "_nodeid"):
    Node._nodeid = property(lambda node: node.nodeid, lambda node, value: setattr(node, "_id", coerce_node_id(value)))

REPORT = Path(__file__).resolve().parents[2] / "test-artifacts" / "schemathesis-report.json"


@dataclass
class Figures:
    """What the schemathesis run did: operations, cases per role, distinct failures."""

    operations: set[str] = field(default_factory=set)
    cases: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    failing_cases: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    # "role operation" -> status -> how many answers: shows how often requests reached real objects
    statuses: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    # (role, operation, failure title, status) -> the smallest failing request seen and its answer
    failures: dict[tuple[str, str, str, int], dict] = field(default_factory=dict)
    first_case: float | None = None
    last_case: float | None = None

    def case_run(self, role: str, operation: str) -> None:
        self.operations.add(operation)
        self.cases[role] += 1
        self.last_case = time.monotonic()
        if self.first_case is None:
            self.first_case = self.last_case

    def record(self, role: str, operation: str, title: str, curl: str, status: int, body: str, detail: str) -> None:
        key = (role, operation, title, status)
        known = self.failures.get(key)
        entry = {"curl": curl, "status": status, "body": body[:600], "detail": detail[:1500], "seen": 1}
        if known is None:
            self.failures[key] = entry
            return
        entry["seen"] = known["seen"] + 1
        self.failures[key] = entry if len(curl) < len(known["curl"]) else {**known, "seen": entry["seen"]}

    def lines(self) -> list[str]:
        cases = sum(self.cases.values())
        lines = [
            f"operations: {len(self.operations)}, roles: {len(self.cases)}, cases: {cases}, "
            f"failing cases: {sum(self.failing_cases.values())}, distinct failures: {len(self.failures)}, "
            f"{(self.last_case or 0) - (self.first_case or 0):.0f} s from the first case to the last",
        ]
        for role in ROLES:
            if role in self.cases:
                distinct = sum(1 for key in self.failures if key[0] == role)
                failing = self.failing_cases[role]
                lines.append(f"  {role:12} cases {self.cases[role]:6}  failing {failing:5}  distinct {distinct}")
        by_title: dict[str, int] = defaultdict(int)
        for _role, _operation, title, _status in self.failures:
            by_title[title] += 1
        for title, count in sorted(by_title.items(), key=lambda item: -item[1]):
            lines.append(f"  {count:4} x {title}")
        return lines

    def groups(self) -> list[str]:
        """One line per failing operation, check and status, with its roles and shortest request."""
        grouped: dict[tuple[str, str, int], list[tuple[str, dict]]] = defaultdict(list)
        for (role, operation, title, status), entry in self.failures.items():
            grouped[(operation, title, status)].append((role, entry))
        lines = []
        for (operation, title, status), entries in sorted(grouped.items()):
            roles = ",".join(role for role in ROLES if role in {role for role, _entry in entries})
            shortest = min((entry["curl"] for _role, entry in entries), key=len)
            lines.append(f"{operation} | {title} | {status} | {roles}\n    {shortest[:300]}")
        return lines

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        document = {
            "figures": self.lines(),
            "operations": sorted(self.operations),
            "cases": dict(self.cases),
            "statuses": {key: dict(sorted(counts.items())) for key, counts in sorted(self.statuses.items())},
            "failures": [
                {"role": role, "operation": operation, "title": title, **entry}
                for (role, operation, title, _status), entry in sorted(self.failures.items())
            ],
        }
        path.write_text(json.dumps(document, indent=1, ensure_ascii=False))

    def export(self) -> dict:
        """The figures as plain data: what an xdist worker hands to the controller (tests/conftest.py)."""
        return {
            "operations": sorted(self.operations),
            "cases": dict(self.cases),
            "failing_cases": dict(self.failing_cases),
            "statuses": {key: dict(counts) for key, counts in self.statuses.items()},
            "failures": [[*key, entry] for key, entry in self.failures.items()],
            "first_case": self.first_case,
            "last_case": self.last_case,
        }

    def merge(self, exported: dict) -> None:
        """Add the figures of another process (`export`): the roles' runs spread over xdist workers."""
        self.operations |= set(exported["operations"])
        for role, count in exported["cases"].items():
            self.cases[role] += count
        for role, count in exported["failing_cases"].items():
            self.failing_cases[role] += count
        for key, counts in exported["statuses"].items():
            for status, count in counts.items():
                self.statuses[key][status] += count
        for role, operation, title, status, entry in exported["failures"]:
            key = (role, operation, title, status)
            known = self.failures.get(key)
            if known is None:
                self.failures[key] = entry
                continue
            shorter = entry if len(entry["curl"]) < len(known["curl"]) else known
            self.failures[key] = {**shorter, "seen": known["seen"] + entry["seen"]}
        # time.monotonic() is the machine's clock: comparable between the workers
        firsts = [t for t in (self.first_case, exported["first_case"]) if t is not None]
        lasts = [t for t in (self.last_case, exported["last_case"]) if t is not None]
        self.first_case, self.last_case = min(firsts, default=None), max(lasts, default=None)

    def report(self, terminalreporter) -> None:
        """Print the figures at the end of the run and write them to the report file."""
        terminalreporter.section("schemathesis: the API against its schema")
        for line in self.lines():
            terminalreporter.write_line(line)
        for line in self.groups():
            terminalreporter.write_line(line)
        report = Path(os.environ.get("TAZA_CONTRACT_REPORT", REPORT))
        self.write(report)
        terminalreporter.write_line(f"every failure with its request as curl: {report}")


# This process's figures. Under xdist each worker runs some roles and hands its figures to the
# controller, which prints and writes them all once (the hooks are in tests/conftest.py, the
# conftest the controller loads).
FIGURES = Figures()


@pytest.fixture(scope="session")
def contract_figures() -> Figures:
    return FIGURES
