"""Hot reads come from the cache, keyed by the ledger position; with Redis down, from the database."""

import datetime as dt

from django.core.cache import caches
from django.test import override_settings

from stats.cache import key_for
from stats.selectors import freshness
from tests.stats.history import at, fold_all

DEAD_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/5",  # nothing listens on port 1
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


def test_an_answer_is_cached_under_the_position_it_reflects(story, api_client):
    key = key_for("national", {"today": story.today.isoformat()}, freshness().version)
    caches["default"].delete(key)

    first = api_client.get("/api/v1/stats/national/").json()

    assert caches["default"].get(key) == first


def test_a_new_fold_is_a_new_key_so_the_cache_never_serves_old_figures(story, api_client, history):
    before = api_client.get("/api/v1/stats/national/").json()
    e4 = story.events["E4"]
    history.check_in(e4, story.erlan, when=at(story.today - dt.timedelta(days=1), 10))
    fold_all()

    after = api_client.get("/api/v1/stats/national/").json()

    assert after["as_of_position"] > before["as_of_position"]
    assert after["data"]["total"]["participants"] == before["data"]["total"]["participants"] + 1


def test_answers_are_kept_per_language(story, api_client):
    english = api_client.get("/api/v1/stats/regions/KZ-10/", HTTP_ACCEPT_LANGUAGE="en").json()
    russian = api_client.get("/api/v1/stats/regions/KZ-10/", HTTP_ACCEPT_LANGUAGE="ru").json()

    assert (english["data"]["name"], russian["data"]["name"]) == ("Abai Region", "Абайская область")


def test_with_redis_down_the_endpoints_answer_from_the_database(story, api_client):
    with override_settings(CACHES=DEAD_REDIS):
        national = api_client.get("/api/v1/stats/national/")
        board = api_client.get("/api/v1/stats/leaderboards/regions/", {"metric": "trees"})
        plan = api_client.get(f"/api/v1/stats/campaigns/{story.campaign}/plan/")

    assert national.status_code == board.status_code == plan.status_code == 200
    assert national.json()["data"]["total"]["participants"] == 52
    assert board.json()["data"][0]["region"] == "KZ-10"
    assert plan.json()["data"]["behind_regions"] == ["KZ-10", "KZ-62"]
