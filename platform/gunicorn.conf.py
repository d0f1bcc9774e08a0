"""gunicorn settings for the `web` process (platform/Procfile), read from the environment.

Threaded workers (gthread) with keep-alive: a connection from the proxy or a client carries many
requests, and a worker's threads overlap their waits on PostgreSQL and Redis. One worker process
per core by default (WEB_CONCURRENCY): Python runs one thread at a time per process, so more
processes than cores only add switching; GUNICORN_THREADS sizes the waits a worker overlaps. Every
thread holds its own PostgreSQL connection: WEB_CONCURRENCY × GUNICORN_THREADS per web machine.
Measured with bench/stats_bench.py (bench/README.md).
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
# A request slower than this is killed and logged: a stuck worker must not hold a slot forever.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Seconds an idle keep-alive connection stays open: keep it longer than the proxy's upstream idle
# timeout, or the proxy may send a request on a connection gunicorn is just closing.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then (with jitter so they do not restart together): bounds slow leaks.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# The app is imported once in the master and forked: faster start, less memory per worker.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
# Heartbeat files on tmpfs: a worker blocked on a slow disk is not mistaken for a dead one.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # gunicorn's own advice  # nosec B108
# One line per request on stdout ("-"), or a file; empty: none, when the proxy in front already
# logs every request (formatting the line is a measurable share of a cached answer's cost).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Behind a proxy that terminates TLS: trust its X-Forwarded-* headers (settings set the proxy header).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def pre_fork(server, worker) -> None:
    """Freeze the preloaded app's objects out of the garbage collector before forking a worker.

    They live as long as the worker: without this, each full collection in a worker walks the whole
    Django app again; on the loaded 2-core bench machine that paused a worker for 0.5-0.6 s in the
    middle of serving, against 40-85 ms frozen. Their memory pages also stay shared with the master
    instead of being copied when the collector touches them.
    """
    gc.collect()
    gc.freeze()
