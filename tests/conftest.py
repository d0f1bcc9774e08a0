"""Fixtures shared by the whole suite. App-specific fixtures live in tests/<app>/conftest.py."""

import pytest
from celery._state import _set_task_join_will_block
from rest_framework.test import APIClient


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture(autouse=True)
def _celery_join_flag_cleared():
    # Eager tasks mark "a task is running" in one process-global flag and restore the value they
    # found on exit. Eager tasks run by several threads at once (the concurrency tests) can
    # restore each other's True, leaving every later `result.get()` in this process refused.
    yield
    _set_task_join_will_block(False)
