"""/healthz: can this web process reach the database, Redis and a Celery worker? JSON, 200 or 503.

Load balancers and uptime checks poll it, so every check is bounded by a timeout of about one
second and a failure is reported in the body, never raised: a dead Redis gives a 503, not a 500.

    {"status": "ok", "database": {"ok": true, "vendor": "postgresql", "ms": 0.8},
     "redis": {"ok": true, "configured": true, "ms": 0.3},
     "celery": {"ok": true, "mode": "worker", "broker": "redis", "ms": 2.9}}
"""

from __future__ import annotations

import logging
import time
from urllib.parse import urlsplit

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 1.0


def _elapsed_ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)


def check_database() -> dict:
    start = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001  (any failure means "down": reported, not raised)
        logger.warning("healthz: database check failed: %r", exc)
        return {"ok": False, "vendor": connection.vendor, "error": type(exc).__name__}
    return {"ok": True, "vendor": connection.vendor, "ms": _elapsed_ms(start)}


def check_redis() -> dict:
    if not settings.REDIS_URL:
        # The embedded default runs without Redis; nothing is missing.
        return {"ok": True, "configured": False}
    start = time.perf_counter()
    client = redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
    )
    try:
        client.ping()
    except Exception as exc:  # noqa: BLE001
        logger.warning("healthz: redis check failed: %r", exc)
        return {"ok": False, "configured": True, "error": type(exc).__name__}
    finally:
        client.close()
    return {"ok": True, "configured": True, "ms": _elapsed_ms(start)}


def check_celery(*, redis_ok: bool) -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        # Tasks run inside the calling process: there is no worker to ask.
        return {"ok": True, "mode": "eager"}
    from config.celery_app import app

    broker = urlsplit(app.conf.broker_url or "").scheme or "unknown"
    if settings.REDIS_URL and not redis_ok:
        # The broker is Redis and Redis is down: a broadcast would only wait for its retries.
        return {"ok": False, "mode": "worker", "broker": broker, "error": "broker unreachable"}
    start = time.perf_counter()
    try:
        # limit=1: one live worker is enough to say "ok", and the answer comes as soon as it
        # replies instead of after the whole timeout.
        replies = app.control.inspect(timeout=TIMEOUT_SECONDS, limit=1).ping() or {}
    except Exception as exc:  # noqa: BLE001
        logger.warning("healthz: celery check failed: %r", exc)
        return {"ok": False, "mode": "worker", "broker": broker, "error": type(exc).__name__}
    if not replies:
        logger.warning("healthz: no celery worker answered within %.1f s", TIMEOUT_SECONDS)
        return {"ok": False, "mode": "worker", "broker": broker, "error": "no worker answered"}
    return {"ok": True, "mode": "worker", "broker": broker, "ms": _elapsed_ms(start)}


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    database = check_database()
    redis_status = check_redis()
    celery = check_celery(redis_ok=redis_status["ok"])
    ok = database["ok"] and redis_status["ok"] and celery["ok"]
    body = {"status": "ok" if ok else "unavailable", "database": database, "redis": redis_status, "celery": celery}
    return JsonResponse(body, status=200 if ok else 503)
