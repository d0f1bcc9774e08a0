import datetime as dt
import uuid

import pytest

from campaigns.facts import CampaignLaunched
from events.facts import VolunteerRegistered
from ledger.store import append
from tests.ledger.sampleapp.facts import SampleNoted, SampleTallied


@pytest.fixture
def public_facts(db) -> None:
    """A ledger of public and withheld facts: sample facts (one with text JSON must escape), a
    campaign launched (dates, names in three languages), and registrations (never published)."""
    for i in range(5):
        append(f"counter-{i % 2}", [SampleTallied("trees", i, "piece")], source="import" if i % 2 else "web")
    append("notes", [SampleNoted('Сәлем, мир! \u2028 "quoted" \\ end \U0001f333')])
    campaign = uuid.UUID("00000000-0000-0000-0000-0000000000c1")
    name = {"kk": "Таза Қазақстан", "ru": "Таза Казахстан", "en": "Clean Kazakhstan"}
    append(
        f"campaign-{campaign}",
        [CampaignLaunched(campaign, name, name, dt.date(2026, 4, 1), dt.date(2026, 5, 31), ["cleanup"])],
    )
    event = uuid.UUID("00000000-0000-0000-0000-0000000000e1")
    for _ in range(2):
        append(f"event-{event}", [VolunteerRegistered(event, uuid.uuid4(), uuid.uuid4(), "14_35", False)])
    append("notes", [SampleNoted("after the withheld ones")])


def sample_facts(count: int, start: int = 0) -> None:
    for i in range(start, start + count):
        append(f"counter-{i % 7}", [SampleTallied("bags", i, "bag")])
