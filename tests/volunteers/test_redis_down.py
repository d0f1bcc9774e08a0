"""Sign-in and sign-up keep working with Redis lost, and the limits keep holding (per process).

allauth keeps its rate limits in the default cache. A private redis-server is the cache here; it
is killed mid-story and started again, empty, on the same port.
"""

from __future__ import annotations

import pytest
import redis
from django.core.cache import cache

from config import cache as fallback
from config.settings import base
from tests.live import RedisServer
from tests.volunteers.factories import PASSWORD, user_create
from tests.volunteers.test_sign_in_limits import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_cache(settings):
    with RedisServer() as server:
        settings.CACHES = {
            "default": {
                "BACKEND": "config.cache.RedisCacheWithFallback",
                "LOCATION": server.url,
                "KEY_PREFIX": "taza",
                "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            }
        }
        settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
        fallback._down_until.clear()
        yield server
    fallback._down_until.clear()


def test_with_redis_lost_people_sign_in_and_sign_up_and_an_attacker_is_still_stopped(client, redis_cache):
    # Given Redis is the cache and holds a sign-in's rate-limit counter
    user_create(email="aigerim@example.kz")
    assert sign_in(client, "aigerim@example.kz", PASSWORD, "203.0.113.1").status_code == 302
    direct = redis.Redis.from_url(redis_cache.url)
    assert any(b"login" in key for key in direct.keys("*"))
    client.logout()

    # When Redis is lost
    redis_cache.stop()

    # Then signing in on the form and through the API works, and so does signing up
    assert sign_in(client, "aigerim@example.kz", PASSWORD, "203.0.113.2").status_code == 302
    client.logout()
    token = client.post(
        "/api/v1/auth/token/",
        {"email": "aigerim@example.kz", "password": PASSWORD},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert token.status_code == 200
    assert len(token.json()["token"]) == 40
    signed_up = client.post(
        "/accounts/signup/",
        {
            "email": "bolat@example.kz",
            "display_name": "Bolat",
            "region": "KZ-10",
            "password1": "saryarka-2026-taza",
            "password2": "saryarka-2026-taza",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert signed_up.status_code == 302
    client.logout()
    # … and five wrong passwords for one account still lock it (counted in this process)
    tries = [sign_in(client, "aigerim@example.kz", "wrong", "198.51.100.7").status_code for _ in range(5)]
    assert tries == [200] * 5
    assert sign_in(client, "aigerim@example.kz", PASSWORD, "198.51.100.7").status_code == 429

    # When Redis comes back, empty, where it was, and the stand-in's pause is over
    with RedisServer(port=redis_cache.port):
        fallback._down_until.clear()
        cache.set("after-the-outage", 1)
        # Then the cache is Redis again
        assert redis.Redis.from_url(redis_cache.url).exists("taza:1:after-the-outage") == 1
