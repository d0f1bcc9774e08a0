import pytest
from django.core.cache import cache

from stats import cache as stats_cache


@pytest.fixture(autouse=True)
def _empty_cache():
    # allauth keeps rate-limit counters and login state in the cache; each test starts without them.
    # The stats answers are also kept in memory by position, and positions repeat after a rollback.
    cache.clear()
    stats_cache.local.clear()
    yield
    cache.clear()
    stats_cache.local.clear()


@pytest.fixture
def world(db):
    """Admin, an Astana eco-club's organiser, Astana's coordinator, a campaign and events (tests/browser/world.py)."""
    from tests.browser.world import build_world

    return build_world()


@pytest.fixture
def dana(db):
    from tests.browser.world import person

    return person("dana@taza.test", "Dana")
