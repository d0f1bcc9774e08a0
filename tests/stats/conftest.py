"""The scripted history most stats tests read, and accounts of the volunteers in it."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import pytest
from django.core.cache import caches
from django.utils import timezone

from stats import cache as stats_cache
from tests.stats.history import History, at, fold_all
from volunteers.models import Organisation, User

ASTANA, ABAI, ULYTAU = "KZ-71", "KZ-10", "KZ-62"


@dataclass
class Story:
    today: dt.date
    campaign: uuid.UUID
    eco_club: uuid.UUID
    school: uuid.UUID
    aigerim: uuid.UUID  # on leaderboards
    bolat: uuid.UUID  # on leaderboards
    dana: uuid.UUID  # has an account, hidden
    erlan: uuid.UUID  # no account
    events: dict[str, uuid.UUID]


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """Every answer read anew: no process memory of positions, no answers of an earlier test."""
    settings.STATS_POSITION_TTL = 0
    stats_cache.local.clear()
    caches["default"].clear()
    yield
    stats_cache.local.clear()


@pytest.fixture
def history() -> History:
    return History()


@pytest.fixture
def story(db, history: History) -> Story:
    """Six events of one campaign that runs from 9 days ago to 10 days ahead (half the time gone).

    E1 Astana, eco club, two days ago: Aigerim (youth, leaves after 2 h), Bolat and Dana
       (stay to the end, 4 h); result 100.5 kg plastic + 200 kg mixed, 10 head-count, corrected to
       120.5 kg plastic + 200 kg mixed, 12 head-count; the correction is accepted.
    E2 Abai, school, two days ago: Aigerim and Erlan (youth, walk-in); 50 trees, 5 head-count,
       adjusted by the coordinator to 40 trees.
    E3 Ulytau, school: Bolat; 500 kg mixed, 20 head-count; rejected.
    E4 Astana, eco club, yesterday: no check-ins, 2.5 ha by 30 people, awaiting verification.
    E5 Abai: a registration cancelled, nothing else.
    E6 Astana: Dana checks in, then the event is cancelled.
    """
    today = timezone.localdate()
    two_days_ago, yesterday = today - dt.timedelta(days=2), today - dt.timedelta(days=1)
    eco_club = Organisation.objects.create(name_en="Eco club of ENU", kind="university", region_id=ASTANA).id
    school = Organisation.objects.create(name_en="School No. 7", kind="school", region_id=ABAI).id
    aigerim, bolat, dana, erlan = (uuid.uuid4() for _ in range(4))
    User.objects.create_user(
        "aigerim@example.kz", volunteer_id=aigerim, display_name="Aigerim", show_on_leaderboards=True
    )
    User.objects.create_user("bolat@example.kz", volunteer_id=bolat, display_name="Bolat", show_on_leaderboards=True)
    User.objects.create_user("dana@example.kz", volunteer_id=dana, display_name="Dana", show_on_leaderboards=False)

    campaign = history.campaign(
        starts_on=today - dt.timedelta(days=9),
        ends_on=today + dt.timedelta(days=10),
        targets=[
            (ASTANA, "participants", "80"),
            (ASTANA, "waste_kg", "600"),
            (ABAI, "trees", "200"),
            (ULYTAU, "waste_kg", "1000"),
        ],
    )
    e1 = history.event(campaign=campaign, region=ASTANA, organisation=eco_club, day=two_days_ago)
    history.check_in(e1, aigerim, when=at(two_days_ago, 10), age_band="14_35")
    history.check_in(e1, bolat, when=at(two_days_ago, 10), age_band="36_59")
    history.check_in(e1, dana, when=at(two_days_ago, 10), age_band="60_plus")
    history.check_out(e1, aigerim, when=at(two_days_ago, 12))
    history.result(e1, waste_kg={"plastic": "100.5", "mixed": "200"}, headcount=10)
    corrected = history.result(
        e1, waste_kg={"plastic": "120.5", "mixed": "200"}, headcount=12, correction="bags weighed again"
    )
    history.verify(e1, "accepted", corrected)

    e2 = history.event(campaign=campaign, region=ABAI, organisation=school, day=two_days_ago, kind="tree_planting")
    history.check_in(e2, aigerim, when=at(two_days_ago, 10))
    history.check_in(e2, erlan, when=at(two_days_ago, 10), walk_in=True)
    logged = history.result(e2, trees=50, headcount=5)
    history.verify(e2, "adjusted", logged, trees=40)

    e3 = history.event(campaign=campaign, region=ULYTAU, organisation=school, day=two_days_ago)
    history.check_in(e3, bolat, when=at(two_days_ago, 10))
    logged = history.result(e3, waste_kg={"mixed": "500"}, headcount=20)
    history.verify(e3, "rejected", logged)

    e4 = history.event(campaign=campaign, region=ASTANA, organisation=eco_club, day=yesterday, kind="area_cleanup")
    history.result(e4, area_ha="2.5", headcount=30)

    e5 = history.event(campaign=campaign, region=ABAI, organisation=eco_club, day=today)
    registration = history.register(e5, erlan)
    history.cancel_registration(e5, erlan, registration)

    e6 = history.event(campaign=campaign, region=ASTANA, organisation=eco_club, day=two_days_ago)
    history.check_in(e6, dana, when=at(two_days_ago, 10))
    history.cancel(e6)

    fold_all()
    return Story(
        today=today,
        campaign=campaign,
        eco_club=eco_club,
        school=school,
        aigerim=aigerim,
        bolat=bolat,
        dana=dana,
        erlan=erlan,
        events={"E1": e1, "E2": e2, "E3": e3, "E4": e4, "E5": e5, "E6": e6},
    )
