import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _empty_cache():
    # allauth keeps rate-limit counters and login state in the cache; each test starts without them.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def in_english():
    """Messages raised outside a request are asserted in English; the site's default is Kazakh, and
    a request without Accept-Language leaves Kazakh active for the rest of the thread."""
    with translation.override("en"):
        yield
