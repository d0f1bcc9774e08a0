"""The demo history's plantings have survival checks a season and a year on, two of three of them."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from ledger.models import Fact
from stats import selectors


@pytest.mark.slow
def test_the_history_checks_two_plantings_of_three_and_the_rate_is_over_those(db):
    with time_machine.travel(dt.datetime(2026, 12, 4, 9, tzinfo=dt.UTC), tick=False):
        call_command("demo_history", stdout=io.StringIO())

    checks = list(Fact.objects.filter(type="SurvivalChecked").values_list("data", flat=True))
    survival = selectors.survival_totals()["national"]

    assert len(checks) == 24
    assert sorted({c["label"] for c in checks}) == ["season", "year"]
    assert all(c["alive"]["elm"] <= c["planted"]["elm"] for c in checks)
    # 9 000 trees planted; those of the checked plantings, at the latest check of each, 79.94 % alive
    assert survival == {
        "trees_planted": 9000,
        "trees_checked": 5399,
        "trees_surviving": 4316,
        "survival_rate": "0.7994",
    }
