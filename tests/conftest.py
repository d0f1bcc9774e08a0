"""Fixtures shared by the whole suite. App-specific fixtures live in tests/<app>/conftest.py."""

import sys

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


@pytest.fixture(autouse=True)
def _answers_match_the_schema(request, monkeypatch):
    """Every API answer a test gets must be one the schema documents (tests/answers.py)."""
    if request.node.get_closest_marker("answers_unchecked"):
        yield
        return
    from django.test import Client

    from tests.answers import Answers, checking

    answers = Answers()
    _, wrapped = checking(answers)
    monkeypatch.setattr(Client, "request", wrapped)
    yield
    if answers.violations:
        unique = list(dict.fromkeys(answers.violations))
        pytest.fail("answers the schema does not describe:\n" + "\n".join(unique), pytrace=False)


# --- The schemathesis figures (tests/contract/conftest.py), printed once at the end of the run.
# Under xdist the roles run in several workers, and a worker has no terminal: each hands its
# figures to the controller, which loads this conftest (not tests/contract's) and prints them all.
CONTRACT = "tests.contract.conftest"


def pytest_sessionfinish(session):
    contract = sys.modules.get(CONTRACT)
    if hasattr(session.config, "workeroutput") and contract and contract.FIGURES.cases:
        session.config.workeroutput["contract_figures"] = contract.FIGURES.export()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    exported = getattr(node, "workeroutput", {}).get("contract_figures")
    if exported:
        from tests.contract.conftest import FIGURES

        FIGURES.merge(exported)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    contract = sys.modules.get(CONTRACT)
    if contract and contract.FIGURES.cases:
        contract.FIGURES.report(terminalreporter)


@pytest.fixture
def fresh_stats_cache(settings):
    """Every stats answer read anew, for tests that recount from a live server's feed: an answer an
    earlier test cached at a position this test's ledger lacks would send the recount to a position
    the feed refuses (tests/stats/ uses the same reset for every test)."""
    from django.core.cache import caches

    from stats import cache as stats_cache

    settings.STATS_POSITION_TTL = 0
    stats_cache.local.clear()
    caches["default"].clear()
    yield
    stats_cache.local.clear()
