"""The propose form: the organiser's region first, only the campaigns that take events, and a point
found from the settlement's name (reference/data/kz_settlements.csv), no geocoder."""

import datetime as dt

import pytest
from django.utils import timezone

from campaigns.models import Campaign
from campaigns.services import campaign_launch
from events.models import Event
from tests.browser.world import person
from volunteers.models import Organisation
from volunteers.roles import Role

pytestmark = pytest.mark.django_db


def proposal(world, **fields) -> dict:
    starts = timezone.localtime() + dt.timedelta(days=5)
    return {
        "campaign": str(world.campaign.id),
        "kind": "cleanup",
        "title_en": "Clean-up by the lake",
        "region": "KZ-11",
        "address_en": "Kopa lake, the north shore",
        "settlement": "",
        "latitude": "",
        "longitude": "",
        "starts_at": starts.strftime("%Y-%m-%dT10:00"),
        "ends_at": starts.strftime("%Y-%m-%dT13:00"),
        "capacity": "20",
        **fields,
    }


def test_the_region_is_the_organisations_and_only_campaigns_taking_events_are_offered(client, world):
    ended = campaign_launch(
        actor=world.admin,
        name={"kk": "Өткен", "ru": "Прошедшая", "en": "Ended, not closed"},
        description={"kk": "", "ru": "", "en": ""},
        starts_on=dt.date(2024, 4, 1),
        ends_on=dt.date(2024, 6, 30),
        event_kinds=["cleanup"],
        targets=[],
    )
    club = Organisation.objects.create(name_en="Kokshetau Greens", kind=Organisation.Kind.NGO, region_id="KZ-11")
    organiser = person("erlan@taza.test", "Erlan", Role.ORGANISER, organisation=club)
    client.force_login(organiser)

    form = client.get("/organise/events/new/", HTTP_ACCEPT_LANGUAGE="en").context["form"]

    assert form["region"].value() == "KZ-11"
    assert [label for _value, label in form.fields["campaign"].choices] == ["Clean Kazakhstan — autumn"]
    assert Campaign.objects.get(pk=ended.id).status == "open"  # open, but its days are over


def test_a_settlement_gives_the_point_and_typed_coordinates_win(client, world):
    client.force_login(world.organiser)

    page = client.get("/organise/events/new/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<option value="Kokshetau · Көкчө-Тоо · Көкшетау"></option>' in page
    assert 'list="id_settlement-list"' in page

    client.post("/organise/events/new/", proposal(world, settlement="көкшетау"))
    client.post(
        "/organise/events/new/",
        proposal(world, title_en="Typed", settlement="Kokshetau", latitude="53.3", longitude="69.4"),
    )

    placed = Event.objects.get(title_en="Clean-up by the lake")
    typed = Event.objects.get(title_en="Typed")
    assert (placed.latitude, placed.longitude) == (53.28414, 69.39364)
    assert (typed.latitude, typed.longitude) == (53.3, 69.4)


@pytest.mark.parametrize(
    ("language", "error"),
    [
        ("en", "Atlantis is not in the list of settlements: choose one from the list, or type the coordinates."),
        ("ru", "Atlantis нет в списке населённых пунктов: выберите пункт из списка или введите координаты."),
        ("kk", "Atlantis елді мекендер тізімінде жоқ: тізімнен таңдаңыз немесе координаттарды енгізіңіз."),
    ],
)
def test_an_unknown_settlement_is_said_beside_the_field(client, world, language, error):
    client.force_login(world.organiser)
    before = Event.objects.count()

    response = client.post(
        "/organise/events/new/", proposal(world, settlement="Atlantis"), HTTP_ACCEPT_LANGUAGE=language
    )

    assert response.context["form"].errors == {"settlement": [error]}
    assert Event.objects.count() == before
