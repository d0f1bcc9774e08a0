"""A small world with one erratum of each kind, written to the ledger as the services would."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import pytest
from django.utils import timezone

from events.facts import CheckInUndone, EventApproved, EventProposed
from ledger import store
from ledger.models import Fact
from tests.stats.history import COORDINATOR, ORGANISER, History, at, fold_all
from volunteers.models import Organisation

ASTANA, ABAI, ULYTAU = "KZ-71", "KZ-10", "KZ-62"


def _written(text: str) -> str | dict[str, str]:
    """An organiser's text as the fact type takes it: one text (schema 1) or texts by language."""
    return {"en": text} if "dict" in str(EventProposed.__annotations__["title"]) else text


def _event(*, campaign: uuid.UUID, region: str, organisation: uuid.UUID, day: dt.date, kind: str = "cleanup"):
    """An approved event on `day` from 10:00 to 14:00 (tests.stats.history's, texts as the type takes them)."""
    event_id = uuid.uuid4()
    proposed = EventProposed(
        event_id=event_id,
        campaign_id=campaign,
        organisation_id=organisation,
        organiser_id=ORGANISER,
        kind=kind,
        title=_written("Clean-up"),
        description=_written(""),
        region=region,
        address=_written("Embankment"),
        latitude=None,
        longitude=None,
        starts_at=at(day, 10),
        ends_at=at(day, 14),
        capacity=100,
        what_to_bring=_written("gloves"),
        short_code="ABCD",
    )
    store.append(f"event-{event_id}", [proposed, EventApproved(event_id, COORDINATOR)], occurred_at=at(day, 9))
    return event_id


@dataclass
class World:
    today: dt.date
    campaign: uuid.UUID
    events: dict[str, uuid.UUID]


@pytest.fixture
def world(db, settings, tmp_path, fresh_stats_cache) -> World:
    """One campaign (9 days ago to 10 days ahead), four events two days ago or yesterday:

    E1 Astana: Aigerim, Bolat and Dana check in; 100.5 kg plastic + 200 kg mixed, 10 head-count,
       corrected to 120.5 kg plastic + 200 kg mixed, 12 head-count ("bags weighed again"), accepted;
       then Dana's check-in is undone (a reason that tries a formula and a script: never published).
    E2 Abai, tree planting: Aigerim; 50 trees, 5 head-count, adjusted to 40 trees ("checked on site").
    E3 Ulytau: Bolat; 500 kg mixed, 20 head-count; rejected ("checked on site").
    E4 Astana, yesterday: 2.5 ha by 30 people, awaiting verification.
    """
    settings.TAZA_OPEN_DATA_DIR = str(tmp_path / "open-data")
    settings.SITE_URL = "https://taza.example.kz"
    history = History()
    today = timezone.localdate()
    two_days_ago, yesterday = today - dt.timedelta(days=2), today - dt.timedelta(days=1)
    club = Organisation.objects.create(kind="university", region_id=ASTANA).id  # its name: on no table here
    aigerim, bolat, dana = (uuid.uuid4() for _ in range(3))
    campaign = history.campaign(
        starts_on=today - dt.timedelta(days=9),
        ends_on=today + dt.timedelta(days=10),
        targets=[(ASTANA, "waste_kg", "600"), (ABAI, "trees", "200")],
    )
    e1 = _event(campaign=campaign, region=ASTANA, organisation=club, day=two_days_ago)
    for volunteer in (aigerim, bolat, dana):
        history.check_in(e1, volunteer, when=at(two_days_ago, 10))
    history.result(e1, waste_kg={"plastic": "100.5", "mixed": "200"}, headcount=10)
    corrected = history.result(
        e1, waste_kg={"plastic": "120.5", "mixed": "200"}, headcount=12, correction="bags weighed again"
    )
    history.verify(e1, "accepted", corrected)
    checkin = Fact.objects.get(stream=f"event-{e1}", type="VolunteerCheckedIn", data__volunteer_id=str(dana))
    store.append(f"event-{e1}", [CheckInUndone(e1, checkin.fact_id, dana, '=HYPERLINK("x")<script>')])

    e2 = _event(campaign=campaign, region=ABAI, organisation=club, day=two_days_ago, kind="tree_planting")
    history.check_in(e2, aigerim, when=at(two_days_ago, 10))
    logged = history.result(e2, trees=50, headcount=5)
    history.verify(e2, "adjusted", logged, trees=40)

    e3 = _event(campaign=campaign, region=ULYTAU, organisation=club, day=two_days_ago)
    history.check_in(e3, bolat, when=at(two_days_ago, 10))
    logged = history.result(e3, waste_kg={"mixed": "500"}, headcount=20)
    history.verify(e3, "rejected", logged)

    e4 = _event(campaign=campaign, region=ASTANA, organisation=club, day=yesterday, kind="area_cleanup")
    history.result(e4, area_ha="2.5", headcount=30)
    fold_all()
    return World(today=today, campaign=campaign, events={"E1": e1, "E2": e2, "E3": e3, "E4": e4})
