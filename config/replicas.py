"""The public read side on streaming replicas; every write and every read that decides on the primary.

Replicas are the database aliases `replica_0`, `replica_1`, … made from `DATABASE_REPLICA_URL`
(config/settings/base.py). A request reads a replica only when all of these hold:

- its view is part of the public read side: its URL name is in `PUBLIC_READ_VIEWS`, or the view
  (function or DRF class) is marked with `@public_read_side`;
- it is a GET or HEAD, from a client that has not written in the last `TAZA_REPLICA_PIN_SECONDS`
  (a write sets the `taza_primary` cookie, so whoever just registered sees it on the next page);
- the primary's connection is not in a transaction (a command deciding reads what it decides on);
- a replica is up and lags the primary by at most `TAZA_REPLICA_MAX_LAG_SECONDS`.

Everything else (writes, commands' reads, Celery tasks, management commands, migrations, tests that
set no replica) never touches a replica: `ReplicaRouter` sends every write and every migration to
`default` and the test settings mirror the replicas onto it.

How the view reads the replica: `public_read()` makes the replica's connection this thread's
`default` connection for the view and its rendering (`django.db.connection` and the ORM alike),
and gives the primary's back afterwards. A router alone routes ORM queries only, and the public
selectors also read with raw SQL on `django.db.connection` (the totals' checkpoint, the feed's
horizon): the figures would come from the replica and `as_of_position` from the primary, a lie
whenever the replica lags. So one database answers the whole view, and its freshness is that
database's own. A replica runs every transaction read-only, so a public view that tried to write
would fail loudly instead of writing somewhere it should not.

Lag is measured against the primary, at most once every `TAZA_REPLICA_CHECK_SECONDS` per process
and replica (not a query per request): the primary's WAL position is read first; a replica that has
replayed past it has everything the primary had committed (lag 0); otherwise its lag is the age of
the oldest primary position this process saw that it has not replayed (`replica_lag`). A replica
that refuses connections, or fails in the middle of a view (it stopped, a query was cancelled by
recovery), is set aside for `TAZA_REPLICA_RETRY_SECONDS` and the view runs again on the primary: the
client sees the primary's answer, never a 500.

Reads are not monotonic across the primary and replicas: a client may get an older answer after a
newer one (each with its own true `as_of_position`); a mirror of the feed pages with `after`, which
any of them serves correctly.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

REPLICA_PREFIX = "replica_"
PIN_COOKIE = "taza_primary"
_SAFE_METHODS = frozenset({"GET", "HEAD"})

# The public read side by URL name: the public stats, the fact feed, the log's read-only API, tiles
# and checkpoint text, and the public pages. Each reads projections or the ledger and decides nothing.
PUBLIC_READ_VIEWS = frozenset(
    {
        # /api/v1/stats/…
        "stats-national",
        "stats-board-regions",
        "stats-regions",
        "stats-region",
        "stats-campaign-plan",
        "stats-board-organisations",
        "stats-board-volunteers",
        "stats-timeseries",
        "stats-as-of",
        "stats-survival",
        # /api/v1/facts/ and the transparency log (read-only views; cosignatures are written: not here)
        "fact-feed",
        "log-checkpoints",
        "log-checkpoint-latest",
        "log-checkpoint",
        "log-inclusion-proof",
        "log-consistency-proof",
        "log-key",
        "log-checkpoint-text",
        "log-entries",
        "log-tile",
        # public pages
        "home",
        "events",
        "event",
        "regions",
        "region",
        "campaign",
        "organisations",
        "organisation",
        "volunteers",
        "open-data",
        "dumps",
        "dump",
    }
)


def public_read_side(view: Callable) -> Callable:
    """Mark a view (a function, or a DRF view class) as part of the public read side."""
    view.public_read_side = True
    return view


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith(REPLICA_PREFIX)]


class ReplicaRouter:
    """Writes and migrations on the primary, whatever else happens; reads go where the thread's
    `default` connection is (the replica's, inside `public_read()`)."""

    def db_for_read(self, model, **hints):
        return None

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db.startswith(REPLICA_PREFIX) else None


# --- health: lag and reachability, per process, checked at most every TAZA_REPLICA_CHECK_SECONDS --------


@dataclass
class _Health:
    usable: bool = False
    lag: float | None = None  # seconds; None when it could not be measured
    checked_at: float = float("-inf")
    down_until: float = float("-inf")


_health: dict[str, _Health] = {}
_health_lock = threading.Lock()

_REPLICA_SQL = (
    "SELECT pg_is_in_recovery(), pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint,"
    " extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float"
)
# The primary's WAL position at each check of this process, (monotonic time, bytes), for a few
# seconds: what "everything the primary had written TAZA_REPLICA_MAX_LAG_SECONDS ago" was.
_primary_positions: deque[tuple[float, int]] = deque()


def _primary_wal_position(now: float) -> int:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")
        position = cursor.fetchone()[0]
    with _health_lock:
        _primary_positions.append((now, position))
        while _primary_positions and now - _primary_positions[0][0] > _history_seconds():
            _primary_positions.popleft()
    return position


def _history_seconds() -> float:
    return settings.TAZA_REPLICA_MAX_LAG_SECONDS + 2 * max(settings.TAZA_REPLICA_CHECK_SECONDS, 1.0)


def replica_lag(alias: str, now: float | None = None) -> float | None:
    """Seconds the replica is behind the primary; None when it has replayed nothing yet. Raises
    DatabaseError when either is down.

    0 when it has replayed all the primary had written when asked. Otherwise, from the primary's
    positions this process saw: the age of the oldest one it has not replayed yet, when one at least
    TAZA_REPLICA_MAX_LAG_SECONDS old is known (so a replica a moment behind after a quiet spell is
    not judged by how long the spell was); before that (a process just started), the age of the
    last transaction it replayed (`pg_last_xact_replay_timestamp()`), which errs on the primary's side."""
    now = time.monotonic() if now is None else now
    primary_at = _primary_wal_position(now)
    with connections[alias].cursor() as cursor:
        cursor.execute(_REPLICA_SQL)
        in_recovery, replayed, since_replayed = cursor.fetchone()
    if not in_recovery or (replayed is not None and replayed >= primary_at):
        return 0.0
    if replayed is None:
        return None
    max_lag = settings.TAZA_REPLICA_MAX_LAG_SECONDS
    with _health_lock:
        known = list(_primary_positions)
    if any(max_lag <= now - at for at, _ in known):
        return max(now - at for at, position in known if position > replayed)
    return since_replayed


def _check(alias: str, now: float) -> _Health:
    health = _Health(checked_at=now)
    try:
        health.lag = replica_lag(alias)
    except DatabaseError as exc:
        logger.warning("replica %s unusable, reading the primary: %r", alias, exc)
        connections[alias].close()
        health.down_until = now + settings.TAZA_REPLICA_RETRY_SECONDS
        return health
    health.usable = health.lag is not None and health.lag <= settings.TAZA_REPLICA_MAX_LAG_SECONDS
    if not health.usable:
        logger.info("replica %s lags %s s, reading the primary", alias, health.lag)
    return health


def set_aside(alias: str) -> None:
    """A replica failed under a view: not used again for TAZA_REPLICA_RETRY_SECONDS."""
    now = time.monotonic()
    with _health_lock:
        _health[alias] = _Health(checked_at=now, down_until=now + settings.TAZA_REPLICA_RETRY_SECONDS)
    with contextlib.suppress(DatabaseError):
        connections[alias].close()


def forget_health() -> None:
    """Check every replica afresh on the next read (tests)."""
    with _health_lock:
        _health.clear()


def usable_replica() -> str | None:
    """A replica fit to answer the public read side now, or None: read the primary."""
    aliases = replica_aliases()
    if not aliases:
        return None
    now = time.monotonic()
    usable = []
    for alias in aliases:
        with _health_lock:
            health = _health.get(alias, _Health())
        if now < health.down_until:
            continue
        if now - health.checked_at >= settings.TAZA_REPLICA_CHECK_SECONDS:
            try:
                health = _check(alias, now)
            except DatabaseError:  # the primary itself is down: the view will say so
                return None
            with _health_lock:
                _health[alias] = health
        if health.usable:
            usable.append(alias)
    # Spreading the load, not a secret: no need for a cryptographic choice.
    return random.choice(usable) if usable else None  # nosec B311


# --- the swap -----------------------------------------------------------------------------------------


class ReadSide:
    """Where one public read runs: `alias` (a replica) or None (the primary); `failed` once the
    replica failed under it."""

    def __init__(self, alias: str | None):
        self.alias = alias
        self.failed = False

    def watch(self, execute, sql, params, many, context):
        try:
            return execute(sql, params, many, context)
        except (OperationalError, InterfaceError):
            self.failed = True
            raise


@contextlib.contextmanager
def public_read() -> Iterator[ReadSide]:
    """Run the block on a usable replica as this thread's `default` connection, or on the primary.

    The primary stays in place while its connection is in a transaction: a read inside a
    transaction that decides reads what it decides on."""
    primary = connections[DEFAULT_DB_ALIAS]
    alias = None if primary.in_atomic_block else usable_replica()
    side = ReadSide(alias)
    if alias is None:
        yield side
        return
    replica = connections[alias]
    try:
        replica.ensure_connection()
    except DatabaseError:
        set_aside(alias)
        yield ReadSide(None)
        return
    store = connections._connections
    setattr(store, DEFAULT_DB_ALIAS, replica)
    try:
        with replica.execute_wrapper(side.watch):
            yield side
    finally:
        setattr(store, DEFAULT_DB_ALIAS, primary)
        if side.failed or replica.errors_occurred:
            side.failed = True
            set_aside(alias)


def is_public_read(request: HttpRequest, view: Callable) -> bool:
    if request.method not in _SAFE_METHODS or PIN_COOKIE in request.COOKIES:
        return False
    match = request.resolver_match
    if match is not None and match.url_name in PUBLIC_READ_VIEWS:
        return True
    view_class = getattr(view, "cls", None)  # a DRF view's as_view() keeps its class here
    return bool(getattr(view, "public_read_side", False) or getattr(view_class, "public_read_side", False))


class PublicReadSideMiddleware:
    """Runs the public read side's views (and their rendering) inside `public_read()`; the last
    middleware, so every other middleware's request part ran on the primary.

    A view whose replica failed under it runs again on the primary (a GET: nothing was written). A
    write sets the `taza_primary` cookie, so that client reads the primary for a few seconds."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.replicas = bool(replica_aliases())  # with none, the hot reads pay nothing for this

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.replicas:
            return self.get_response(request)
        response = self._respond(request)
        if request.method not in _SAFE_METHODS and request.method != "OPTIONS":
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.TAZA_REPLICA_PIN_SECONDS,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response

    def _respond(self, request: HttpRequest) -> HttpResponse:
        # Django's handler turns whatever a view raises into a response, so this returns.
        try:
            response = self.get_response(request)
        finally:
            reading = request.__dict__.pop("_taza_public_read", None)
            if reading is not None:
                reading.__exit__(None, None, None)
        side = request.__dict__.pop("_taza_read_side", None)
        if side is not None and side.failed:
            logger.warning("replica %s failed under %s, answering from the primary", side.alias, request.path)
            request._taza_on_primary = True
            response = self.get_response(request)
        return response

    def process_view(self, request: HttpRequest, view, view_args, view_kwargs) -> None:
        if getattr(request, "_taza_on_primary", False) or not is_public_read(request, view):
            return None
        # Who is asking is settled on the primary, before the swap (the session and the account).
        user = getattr(request, "user", None)
        if user is not None:
            user.is_authenticated  # noqa: B018  (evaluates the lazy user)
        reading = public_read()
        request._taza_read_side = reading.__enter__()
        request._taza_public_read = reading
        return None
