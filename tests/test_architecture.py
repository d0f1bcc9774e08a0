"""The import graph of the project's code: no module imports itself back through others (counting
imports inside functions, which hide a circle rather than break it), `config/` imports no app, and
the ledger and the outbox import nothing of the domain."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

PACKAGES = [
    "config",
    "ledger",
    "outbox",
    "reference",
    "volunteers",
    "campaigns",
    "events",
    "stats",
    "dumps",
    "photos",
    "transparency",
    "opendata",
    "certificates",
    "regional",
    "demo",
    "frontend",
]
DOMAIN_FREE = {"config": {"config"}, "ledger": {"config", "ledger"}, "outbox": {"config", "outbox"}}


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (settings.BASE_DIR / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(settings.BASE_DIR).with_suffix("").parts).removesuffix(".__init__")
            found[name] = path
    return found


def import_graph() -> dict[str, set[str]]:
    """Module -> the project's modules it imports, at the top or inside a function."""
    found = modules()

    def resolve(name: str) -> str | None:
        while name and name not in found:
            name = name.rpartition(".")[0]
        return name or None

    graph = {}
    for name, path in found.items():
        imported = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {resolve(alias.name) for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported |= {resolve(f"{node.module}.{a.name}") or resolve(node.module) for a in node.names}
        graph[name] = {module for module in imported if module and module != name}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in graph.get(module, ()):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                other = stack.pop()
                group.append(other)
                if other == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in graph:
        if module not in index:
            visit(module)
    return found


def test_no_module_imports_itself_back():
    assert circles(import_graph()) == []


def test_config_the_ledger_and_the_outbox_import_no_domain_app():
    graph = import_graph()
    arrows = {
        (module, other)
        for module, imported in graph.items()
        for other in imported
        if module.split(".")[0] in DOMAIN_FREE and other.split(".")[0] not in DOMAIN_FREE[module.split(".")[0]]
    }
    assert arrows == set()


def test_the_graph_is_read_from_the_code():
    # (the checks above would pass on an empty graph)
    graph = import_graph()
    assert {"ledger.stored", "ledger.facts"} <= graph["ledger.store"]
    assert "ledger.runner" in graph["ledger.tasks"]
