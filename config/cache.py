"""The Redis cache, with this process's memory standing in while Redis cannot be reached.

Redis holds only what can be lost (DESIGN.md), but Django's RedisCache raises when Redis is down,
and allauth keeps its sign-in rate limits in the default cache: with Redis lost, every sign-in
and sign-up answered 500. Here a failed call marks Redis down for RETRY_SECONDS (so each request
does not wait out a socket timeout) and is answered from a local memory cache shared by the
process's threads; after that the next call tries Redis again.

What this means while Redis is down: rate limits count per web process instead of per site (a
limit of 10 per minute allows 10 per process), stats answers come from PostgreSQL (their keys
name a ledger position, so a local copy is never stale), and the catch-up debounce is per process.
Nothing is lost and nothing breaks; limits are looser for a few minutes. The alternative, limits
in the database, would cost a write on every sign-in attempt even when Redis is fine.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
UNREACHABLE = (RedisError, OSError)
# Per process, per Redis location: Django makes a cache object per thread, the outage is shared.
_down_until: dict[str, float] = {}
_lock = threading.Lock()


def _either(name: str):
    def method(self, *args, **kwargs):
        location = self._fallback_name
        if time.monotonic() >= _down_until.get(location, 0.0):
            try:
                return getattr(RedisCache, name)(self, *args, **kwargs)
            except UNREACHABLE as exc:
                with _lock:
                    first = time.monotonic() >= _down_until.get(location, 0.0)
                    _down_until[location] = time.monotonic() + RETRY_SECONDS
                if first:
                    logger.warning("cache: Redis unreachable, this process's memory stands in: %s", exc)
        return getattr(self._fallback, name)(*args, **kwargs)

    method.__name__ = name
    return method


class RedisCacheWithFallback(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._fallback_name = f"redis-fallback:{server}"
        # LocMemCache objects of one name share their storage: one stand-in per process.
        self._fallback = LocMemCache(self._fallback_name, {**params, "OPTIONS": {"MAX_ENTRIES": 10_000}})

    add = _either("add")
    get = _either("get")
    set = _either("set")
    touch = _either("touch")
    delete = _either("delete")
    get_many = _either("get_many")
    has_key = _either("has_key")
    incr = _either("incr")
    set_many = _either("set_many")
    delete_many = _either("delete_many")
    clear = _either("clear")
