"""The demo's tests read the totals anew and their messages in English, as the stats and events tests
they came from did."""

from tests.events.conftest import in_english  # noqa: F401  (autouse)
from tests.stats.conftest import fresh_cache  # noqa: F401  (autouse)
