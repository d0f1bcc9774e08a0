"""The test settings with production's sign-in limits, for gunicorn behind the test's proxy
(tests/volunteers/test_behind_proxy.py). TAZA_TRUSTED_PROXY_COUNT comes from the environment."""

from config.settings import base
from config.settings.test import *  # noqa: F403

ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
