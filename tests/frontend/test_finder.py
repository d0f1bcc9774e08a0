"""The event finder and the API's list agree: a campaign or dates ask for their events, past ones
too; without them the list is the events not ended yet; a reversed range is said in words."""

import datetime as dt
import zoneinfo

import pytest

from campaigns.services import campaign_launch
from events.services import event_approve, event_propose
from tests.browser.world import ASTANA

pytestmark = pytest.mark.django_db

ALMATY_TZ = zoneinfo.ZoneInfo("Asia/Almaty")


@pytest.fixture
def campaign_2024(world, time_machine):
    """A spring 2024 campaign with three clean-ups in May 2024, proposed and approved back then."""
    time_machine.move_to(dt.datetime(2024, 4, 1, 9, 0, tzinfo=ALMATY_TZ), tick=False)
    campaign = campaign_launch(
        actor=world.admin,
        name={"kk": "Таза Қазақстан — 2024", "ru": "Таза Казахстан — 2024", "en": "Clean Kazakhstan 2024"},
        description={"kk": "", "ru": "", "en": ""},
        starts_on=dt.date(2024, 4, 1),
        ends_on=dt.date(2024, 6, 30),
        event_kinds=["cleanup"],
        targets=[],
    )
    for day in (10, 17, 24):
        starts = dt.datetime(2024, 5, day, 10, 0, tzinfo=ALMATY_TZ)
        proposed = event_propose(
            actor=world.organiser,
            campaign_id=campaign.id,
            kind="cleanup",
            title=f"Clean-up of May {day}",
            description="",
            region=ASTANA,
            address="Central park",
            latitude=None,
            longitude=None,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=3),
            capacity=20,
            what_to_bring="",
        )
        event_approve(actor=world.coordinator, event_id=proposed.id)
    time_machine.move_to(world.soon.starts_at - dt.timedelta(minutes=30), tick=False)  # back to the world's now
    return campaign


def found(response) -> str:
    return response.content.decode().split('<p class="result-count" role="status">', 1)[1].split("</p>", 1)[0]


def test_a_past_campaign_and_its_dates_find_the_same_events(client, world, campaign_2024):
    by_campaign = client.get("/events/", {"campaign": str(campaign_2024.id)}, HTTP_ACCEPT_LANGUAGE="en")
    by_dates = client.get("/events/", {"date_from": "2024-05-01", "date_to": "2024-05-31"}, HTTP_ACCEPT_LANGUAGE="en")
    both = client.get(
        "/events/",
        {"campaign": str(campaign_2024.id), "date_from": "2024-05-15", "date_to": "2024-05-31"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert " ".join(found(by_campaign).split()) == "3 events found"
    assert " ".join(found(by_dates).split()) == "3 events found"
    assert " ".join(found(both).split()) == "2 events found"
    assert "Clean-up of May 10" in by_campaign.content.decode()


def test_with_no_filter_the_finder_lists_what_has_not_ended_and_says_so(client, world, campaign_2024):
    page = client.get("/events/", HTTP_ACCEPT_LANGUAGE="en")

    assert " ".join(found(page).split()) == (
        "3 events found "
        '<span class="note">Events that have not ended yet. Choose a campaign or dates to see past events too.</span>'
    )


@pytest.mark.parametrize(
    ("language", "error"),
    [
        ("en", "The range ends before it starts: give a day on or after May 31, 2024."),
        ("ru", "Диапазон заканчивается раньше, чем начинается: укажите 31 мая 2024 г. или более поздний день."),
        ("kk", "Аралық басталмай тұрып аяқталады: 31 мамыр 2024 ж. күнінен кейінгі немесе сол күнді көрсетіңіз."),
    ],
)
def test_a_reversed_range_is_said_in_words_not_answered_with_an_empty_list(client, world, language, error):
    page = client.get("/events/", {"date_from": "2024-05-31", "date_to": "2024-05-01"}, HTTP_ACCEPT_LANGUAGE=language)
    html = page.content.decode()

    assert page.status_code == 200
    assert f"<li>{error}</li>" in html
    assert "events found" not in found(page) and "event-card" not in html


def test_the_api_agrees_and_refuses_a_reversed_range(api_client, world, campaign_2024):
    def count(**query) -> int:
        return api_client.get("/api/v1/events/", query).json()["count"]

    assert count(campaign=str(campaign_2024.id)) == 3
    assert count(date_from="2024-05-01", date_to="2024-05-31") == 3
    assert count(campaign=str(campaign_2024.id), when="upcoming") == 0  # asked for explicitly, it still applies
    assert count() == 3  # the world's three approved events to come
    reversed_range = api_client.get(
        "/api/v1/events/", {"date_from": "2024-05-31", "date_to": "2024-05-01"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert reversed_range.status_code == 400
    assert reversed_range.json()["error"]["fields"] == {
        "date_to": ["The range ends before it starts: date_to is before date_from."]
    }
