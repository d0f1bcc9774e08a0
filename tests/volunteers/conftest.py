import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    # allauth keeps rate-limit counters and login state in the cache; each test starts without them.
    cache.clear()
    yield
    cache.clear()
