"""Projections fold facts into tables. Inline ones run inside the append's transaction; async ones
run in Celery (see runner.py) and keep a checkpoint in the same transaction as their tables.

A domain app declares its projections in its `projections.py` and registers them:

    @register
    class RosterProjection(InlineProjection):
        name = "events.roster"
        handles = frozenset({"RegistrationCreated", "RegistrationCancelled"})
        models = (Registration,)          # the tables it owns; rebuild empties them

        def apply(self, fact: StoredFact) -> None: ...

    @register
    class TotalsProjection(AsyncProjection):
        name = "stats.totals"
        handles = frozenset({...})
        models = (Totals,)

        def fold(self, facts: list[StoredFact]) -> None: ...   # set-wise, one batch
        def compute(self, facts: Iterable[StoredFact]) -> dict: ...  # in memory, from scratch
        def snapshot(self) -> dict: ...   # the tables, in the same shape as compute()
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from django.db import models, transaction

from ledger.store import StoredFact

_REGISTRY: dict[str, Projection] = {}


class Projection:
    name: ClassVar[str]
    handles: ClassVar[frozenset[str]]
    models: ClassVar[tuple[type[models.Model], ...]] = ()

    def reset(self) -> None:
        """Empty the tables this projection owns (before a rebuild)."""
        for model in reversed(self.models):
            model.objects.all().delete()


class InlineProjection(Projection):
    """Runs in the append's transaction: state a command must see to decide."""

    def apply(self, fact: StoredFact) -> None:
        raise NotImplementedError

    def apply_many(self, facts: list[StoredFact]) -> None:
        """All facts of one append that this projection handles; override to work set-wise."""
        for fact in facts:
            self.apply(fact)


class AsyncProjection(Projection):
    """Runs in a Celery task over batches of facts, strictly in ledger order, gap-safe."""

    # Whether fold() and compute() read `fact.meta` (actor, causation, correlation, source). Off,
    # the reader leaves meta out of its query: the JSON the server renders and sends for it is
    # about a third of a catch-up's time, and totals never look at who did something.
    reads_meta: ClassVar[bool] = False

    def fold(self, facts: list[StoredFact]) -> None:
        raise NotImplementedError

    def compute(self, facts: Iterable[StoredFact]) -> dict:
        raise NotImplementedError

    def snapshot(self) -> dict:
        raise NotImplementedError


def register(cls: type[Projection]) -> type[Projection]:
    if cls.name in _REGISTRY and type(_REGISTRY[cls.name]) is not cls:
        raise TypeError(f"projection {cls.name!r} is registered twice")
    _REGISTRY[cls.name] = cls()
    return cls


def all_projections() -> dict[str, Projection]:
    return dict(_REGISTRY)


def inline_projections() -> list[InlineProjection]:
    return [p for p in _REGISTRY.values() if isinstance(p, InlineProjection)]


def async_projections() -> list[AsyncProjection]:
    return [p for p in _REGISTRY.values() if isinstance(p, AsyncProjection)]


def get(name: str) -> Projection:
    return _REGISTRY[name]


def inline_projections_for(types: set[str]) -> list[InlineProjection]:
    return [p for p in _REGISTRY.values() if isinstance(p, InlineProjection) and not p.handles.isdisjoint(types)]


def after_append(stored: tuple[StoredFact, ...]) -> None:
    """Called by append() inside its transaction: inline projections now, async ones after commit."""
    types = {fact.type for fact in stored}
    inline = inline_projections_for(types)
    for projection in inline:
        projection.apply_many([fact for fact in stored if fact.type in projection.handles])
    if any(not p.handles.isdisjoint(types) for p in async_projections()):
        from ledger.runner import schedule_catch_up

        # robust: the facts are committed whatever happens to the broker; beat catches up if a
        # schedule is lost, so a Redis hiccup must not turn a stored append into an error.
        transaction.on_commit(schedule_catch_up, robust=True)
