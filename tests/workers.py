"""Each pytest-xdist worker's own share of the services the suite uses.

`make test` runs the suite in two worker processes (gw0, gw1). Their test databases are apart
already: pytest-django suffixes the test database's name with the worker (test_taza_gw0), and
SQLite's is in each process's memory. Redis is not: `cache.clear()` is a FLUSHDB, and the ledger's
tests purge and count the `celery` queue, so each worker takes a Redis database of its own,
REDIS_URL's number plus the worker's (gw0 +0, gw1 +1). Ports are asked of the kernel
(`tests.live.free_port`), files go under each worker's own `tmp_path`.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

# Set with the worker's URL in REDIS_URL: the processes a test starts inherit both and keep the URL.
DONE = "TAZA_TEST_REDIS_WORKER"


def worker_redis_url(redis_url: str) -> str:
    """REDIS_URL for this process: this xdist worker's database, and put in the environment.

    Unchanged outside xdist, and in a process a worker started (it inherited its worker's URL, or
    was given a server of its own)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not redis_url or not worker or os.environ.get(DONE) == worker:
        return redis_url
    url = urlsplit(redis_url)
    number = int(url.path.strip("/") or 0) + int(worker.removeprefix("gw"))
    if number > 15:
        raise RuntimeError(
            f"REDIS_URL {redis_url}: xdist worker {worker} would use Redis database {number}, past "
            "Redis's 16 (0-15); name a lower database, each worker takes the next one."
        )
    redis_url = url._replace(path=f"/{number}").geturl()
    os.environ.update({"REDIS_URL": redis_url, DONE: worker})
    return redis_url
