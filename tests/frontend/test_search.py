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


def test_near_me_searches_around_the_point_the_browser_gave(client, world, kazakh_event):
    # What frontend/assets/nearme.js sends: the location rounded to three decimals, `near` empty
    at_kok_tobe = client.get("/events/", {"lat": "43.233", "lon": "76.977", "near": ""}, HTTP_ACCEPT_LANGUAGE="en")
    in_astana = client.get("/events/", {"lat": "51.128", "lon": "71.430", "radius_km": "10"}, HTTP_ACCEPT_LANGUAGE="ru")

    assert titles(at_kok_tobe) == ["Көктөбе баурайын тазалау"]
    assert [round(e.distance_km, 1) for e in at_kok_tobe.context["page"].object_list] == [0.1]
    assert "Near your location, within 25 km." in at_kok_tobe.text
    assert sorted(titles(in_astana)) == sorted([world.soon.title, *(e.title for e in world.later)])
    assert "Рядом с вами, в пределах 10 км." in in_astana.text


@pytest.mark.parametrize(
    "location",
    [{"lat": "43.233"}, {"lat": "nan", "lon": "76.977"}, {"lat": "91", "lon": "76.977"}, {"lat": "43", "lon": "x"}],
    ids=["half", "nan", "beyond-the-pole", "not-a-number"],
)
def test_a_location_that_cannot_be_read_is_said_beside_the_settlement_field(client, world, location):
    response = client.get("/events/", location, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.context["form"].errors["near"] == [
        "Your location could not be read: try again, or type a settlement."
    ]
    assert "The filters above need a correction" in response.text
