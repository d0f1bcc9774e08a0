"""Projections fold facts into tables. Inline ones run inside the append's transaction; async ones
run in Celery (see runner.py) and keep a checkpoint in the same transaction as their tables.

Every handler of facts, in a projection or in the pure rules a projection folds with, is declared
the same way: by the fact classes it handles, `@handler(FactClass, …)` on a method. A class that
inherits `FactHandlers` collects its handlers by type name (`fact_handlers`); a projection's
`handles` is read off them, never typed by hand. A projection that folds set-wise and has no
handler of its own names its fact classes instead: `handles = fact_types(FactClass, …)`.
`ledger.checks` fails `manage.py check` for a handled type that no app's facts.py registers.

A domain app declares its projections in its `projections.py` and registers them:

    @register
    class RosterProjection(InlineProjection):
        name = "events.roster"
        models = (Registration,)          # the tables it owns; rebuild empties them

        @handler(VolunteerRegistered)
        def _registered(self, fact: StoredFact, data: dict) -> None: ...

        @handler(RegistrationCancelled)
        def _cancelled(self, fact: StoredFact, data: dict) -> None: ...

    @register
    class TotalsProjection(AsyncProjection):
        name = "stats.totals"
        handles = fact_types(VolunteerCheckedIn, ResultLogged)
        models = (Totals,)

        def fold(self, facts: list[StoredFact]) -> None: ...   # set-wise, one batch
        def compute(self, facts: Iterable[StoredFact]) -> dict: ...  # in memory, from scratch
        def snapshot(self) -> dict: ...   # the tables, in the same shape as compute()
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar, TypeVar

from django.db import models

from ledger.facts import fact_types
from ledger.stored import StoredFact

_REGISTRY: dict[str, Projection] = {}

Handler = TypeVar("Handler", bound=Callable[..., Any])


def handler(*fact_classes: type) -> Callable[[Handler], Handler]:
    """Declare a method the handler of facts of these classes (in a `FactHandlers` class)."""
    names = fact_types(*fact_classes)

    def declare(method: Handler) -> Handler:
        method.handles_fact_types = names  # type: ignore[attr-defined]
        return method

    return declare


class FactHandlers:
    """Collects the `@handler` methods of each subclass: `fact_handlers` maps a fact type's name to
    its function (unbound; a subclass's handler of a type replaces its parent's). A plain dict, read
    once per fact on the hot paths: never change it."""

    fact_handlers: ClassVar[dict[str, Callable[..., Any]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        found = dict(cls.fact_handlers)
        for value in vars(cls).values():
            for name in getattr(value, "handles_fact_types", ()):
                found[name] = value
        cls.fact_handlers = found


class Projection(FactHandlers):
    name: ClassVar[str]
    # The fact types it folds, by name: its handlers' unless it names them (fact_types(...)).
    handles: ClassVar[frozenset[str]]
    models: ClassVar[tuple[type[models.Model], ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "handles" not in vars(cls) and cls.fact_handlers:
            cls.handles = frozenset(cls.fact_handlers)

    def reset(self) -> None:
        """Empty the tables this projection owns (before a rebuild)."""
        for model in reversed(self.models):
            model.objects.all().delete()


class InlineProjection(Projection):
    """Runs in the append's transaction: state a command must see to decide."""

    def apply(self, fact: StoredFact) -> None:
        self.fact_handlers[fact.type](self, fact, fact.data)

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
