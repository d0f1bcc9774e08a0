"""Hot public reads cached in Redis as absolute values, keyed by the ledger position they reflect.

A key names the checkpoint position of `stats.totals` and the time its figures are as of (the
crediting moves figures without a new position: stats.crediting), so a new fold makes new keys and nothing
is ever invalidated or incremented; old keys expire. Losing Redis loses nothing: when the cache
cannot be reached the same answer is computed from the database.

In front of Redis each process keeps the last answers and the checkpoint position it read, for
STATS_POSITION_TTL seconds at most (default 1): a busy web worker then answers from memory, and the public figures
lag the totals by that second on top of the projection's own lag. The API keeps its rendered answers in the same
memory (`remembered`/`remember`), under keys that name the position too.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.utils.translation import get_language
from redis.exceptions import RedisError

from stats.selectors import freshness

logger = logging.getLogger(__name__)

ALIAS = "default"
TIMEOUT_SECONDS = 600
DEFAULT_POSITION_TTL = 1.0  # seconds; settings.STATS_POSITION_TTL overrides
LOCAL_ANSWERS = 512  # answers and their rendered bytes (per language and format)
# Errors that mean "no cache now", from Redis and from the file or memory caches alike.
_CACHE_DOWN = (RedisError, OSError)


def key_for(name: str, params: dict, version: str) -> str:
    """The key of an answer: names (regions, campaigns) come in the active language, so it counts.
    `version` (stats.selectors.Freshness.version) names the position and the figures' time."""
    digest = hashlib.blake2b(repr(sorted(params.items())).encode(), digest_size=8).hexdigest()
    return f"stats:{name}:{version}:{get_language() or ''}:{digest}"


@contextlib.contextmanager
def consistent_read() -> Iterator[None]:
    """One snapshot for the checkpoint and the figures, so an answer never mixes two folds.

    PostgreSQL: a read-only REPEATABLE READ transaction. Inside an outer transaction (tests) or on
    SQLite (one writer, the embedded default) the reads simply run where they are.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


class _Local:
    """This process's memory: the position read last (and when), and recent answers by key."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version = ""
        self.read_at = float("-inf")
        self.answers: OrderedDict[Hashable, object] = OrderedDict()

    def current_version(self) -> str:
        now = time.monotonic()
        if now - self.read_at >= getattr(settings, "STATS_POSITION_TTL", DEFAULT_POSITION_TTL):
            version = freshness().version
            with self.lock:
                self.version, self.read_at = version, now
        return self.version

    def get(self, key: Hashable) -> object | None:
        with self.lock:
            answer = self.answers.get(key)
            if answer is not None:
                self.answers.move_to_end(key)
            return answer

    def put(self, key: Hashable, answer: object) -> None:
        with self.lock:
            self.answers[key] = answer
            while len(self.answers) > LOCAL_ANSWERS:
                self.answers.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.read_at = float("-inf")
            self.answers.clear()


local = _Local()


def version() -> str:
    """The totals' version (checkpoint position and figures' time) as this process last read it: at
    most STATS_POSITION_TTL old."""
    return local.current_version()


def remembered(key: Hashable) -> object | None:
    """What this process kept under `key` (a key that names a position, so it is never stale)."""
    return local.get(key)


def remember(key: Hashable, value: object) -> None:
    local.put(key, value)


def read(name: str, params: dict, compute: Callable[[], dict | list]) -> dict:
    """The answer for `name` with `params`, with its freshness, from memory, Redis or the database."""
    key = key_for(name, params, local.current_version())
    answer = local.get(key)
    if answer is not None:
        return answer
    cache = caches[ALIAS]
    cache_up = True
    try:
        answer = cache.get(key)
    except _CACHE_DOWN as exc:
        logger.warning("stats cache unreachable, answering from the database: %s", exc)
        cache_up = False
    if answer is not None:
        local.put(key, answer)
        return answer
    with consistent_read():
        fresh = freshness()
        answer = {
            "as_of_position": fresh.position,
            "as_of_time": fresh.time.isoformat() if fresh.time else None,
            "data": compute(),
        }
    key = key_for(name, params, fresh.version)
    if cache_up:
        try:
            cache.set(key, answer, TIMEOUT_SECONDS)
        except _CACHE_DOWN as exc:
            logger.warning("stats cache unreachable, not storing: %s", exc)
    local.put(key, answer)
    return answer
