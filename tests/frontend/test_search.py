"""Searching the finder and the API's list by words (title, place, description, organisation, region
in any of the three languages, any case, Cyrillic included on SQLite) and near a typed settlement."""

import datetime as dt

import pytest
from django.utils import timezone

from events.services import event_approve, event_propose

pytestmark = pytest.mark.django_db


@pytest.fixture
def kazakh_event(world):
    """An approved clean-up written in Kazakh, in Almaty (the city), by the ENU Eco-club."""
    starts = timezone.now().replace(microsecond=0) + dt.timedelta(days=2)
    proposed = event_propose(
        actor=world.organiser,
        campaign_id=world.campaign.id,
        kind="cleanup",
        title="Көктөбе баурайын тазалау",
        description="Қоқыс қаптары мен қолғаптар беріледі.",
        region="KZ-75",
        address="Медеу ауданы, Көктөбе",
        latitude=43.2335,
        longitude=76.9766,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        capacity=20,
    )
    return event_approve(actor=world.admin, event_id=proposed.id)  # Almaty: not Saule's region


def titles(response) -> list[str]:
    return [event.title for event in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("words", "found"),
    [
        ("КӨКТӨБЕ", ["Көктөбе баурайын тазалау"]),  # capitals of a Kazakh word
        ("қолғаптар", ["Көктөбе баурайын тазалау"]),  # in the description
        ("медеу көктөбе", ["Көктөбе баурайын тазалау"]),  # every word must be found
        ("медеу esil", []),
        ("Алматы", ["Көктөбе баурайын тазалау"]),  # the region's name in Kazakh and Russian
        ("almaty", ["Көктөбе баурайын тазалау"]),  # and in English
        ("eco-club", None),  # the organisation: every event of the world and this one
    ],
)
def test_words_find_events_in_any_case_and_language(client, world, kazakh_event, words, found):
    response = client.get("/events/", {"q": words}, HTTP_ACCEPT_LANGUAGE="en")

    if found is None:
        assert sorted(titles(response)) == sorted(
            [world.soon.title, *(e.title for e in world.later), kazakh_event.title]
        )
    else:
        assert titles(response) == found


def test_the_api_lists_by_the_same_words(api_client, world, kazakh_event):
    answer = api_client.get("/api/v1/events/", {"q": "көктөбе"}, HTTP_ACCEPT_LANGUAGE="en").json()

    assert [event["title"] for event in answer["results"]] == ["Көктөбе баурайын тазалау"]


def test_near_a_typed_settlement_lists_the_nearest_first(client, world, kazakh_event):
    near_almaty = client.get("/events/", {"near": "Almaty", "radius_km": "25"}, HTTP_ACCEPT_LANGUAGE="en")
    near_astana = client.get("/events/", {"near": "Астана", "radius_km": "10"}, HTTP_ACCEPT_LANGUAGE="en")

    assert titles(near_almaty) == ["Көктөбе баурайын тазалау"]
    distances = [event.distance_km for event in near_astana.context["page"].object_list]
    assert sorted(titles(near_astana)) == sorted([world.soon.title, *(e.title for e in world.later)])
    assert distances == sorted(distances) and distances[-1] <= 10


def test_an_unknown_settlement_is_said_beside_the_field(client, world):
    response = client.get("/events/", {"near": "Atlantis"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.context["form"].errors == {
        "near": ["Atlantis is not in the list of settlements: choose one from the list."]
    }
    assert response.context["refused"] is True
