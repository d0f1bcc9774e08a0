"""Organisations and volunteers in public (issue 14): the organisations' leaderboard, an
organisation's page with its figures, place and events, and the volunteers who chose to appear."""

import datetime as dt

import pytest
import time_machine

from events.services import checkin_from_roster, checkout_record, registration_create, result_log
from ledger.runner import catch_up_all
from tests.browser.world import person
from volunteers.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(world):
    """The Esil clean-up held by the ENU Eco-club: Dana (on the leaderboards) stays 2 hours, Erlan
    (not) the whole 3; 4 more people and 80 kg of plastic. A school has no figure yet."""
    dana = person("dana@taza.test", "Dana", show_on_leaderboards=True)
    erlan = person("erlan@taza.test", "Erlan")
    places = [registration_create(actor=who, event_id=world.soon.id) for who in (dana, erlan)]
    start = world.soon.starts_at
    with time_machine.travel(start, tick=False):
        checkins = [
            checkin_from_roster(actor=world.organiser, event_id=world.soon.id, registration_id=p.id) for p in places
        ]
    with time_machine.travel(start + dt.timedelta(hours=2), tick=False):
        checkout_record(actor=world.organiser, event_id=world.soon.id, checkin_id=checkins[0].checkin.id)
    with time_machine.travel(world.soon.ends_at + dt.timedelta(minutes=30), tick=False):
        result_log(
            actor=world.organiser, event_id=world.soon.id, waste_kg={"plastic": "80"}, trees=0, area_ha="0", headcount=4
        )
        catch_up_all(wait=30)
    Organisation.objects.create(name_en="School 12", kind=Organisation.Kind.SCHOOL, region_id="KZ-75")
    return world


def test_the_organisations_leaderboard_ranks_and_links_each_organisation(client, held):
    club = held.organiser.organisation
    with time_machine.travel(held.soon.ends_at + dt.timedelta(hours=1), tick=False):
        response = client.get("/organisations/?metric=participants&period=all", HTTP_ACCEPT_LANGUAGE="en")

    assert [(row["rank"], row["name"], row["value"]) for row in response.context["board"]] == [(1, "ENU Eco-club", 6)]
    page = response.content.decode()
    assert f'<a href="/organisations/{club.id}/" translate="no">ENU Eco-club</a>' in page
    assert '<a href="/regions/KZ-71/">Astana</a>' in page
    assert 'href="/api/v1/stats/leaderboards/organisations/?metric=participants&amp;period=all&amp;format=csv"' in page


def test_an_organisations_page_shows_its_figures_place_and_events(client, held):
    club = held.organiser.organisation
    with time_machine.travel(held.soon.ends_at + dt.timedelta(hours=1), tick=False):
        response = client.get(f"/organisations/{club.id}/", HTTP_ACCEPT_LANGUAGE="en")

    figures = {s.metric: (s.total, s.rank, s.ranked) for s in response.context["standings"]}
    assert figures == {
        "participants": (6, 1, 1),
        "waste_kg": ("80.000", 1, 1),
        "trees": (0, None, 0),
        "area_ha": (0, None, 0),
        "events": (1, 1, 1),
        "volunteer_hours": ("5.00", 1, 1),  # Dana 2 h, Erlan the whole 3 h
    }
    assert [e.title for e in response.context["past"]] == ["Esil embankment clean-up"]
    assert [e.title for e in response.context["upcoming"]] == [e.title for e in held.later]
    page = response.content.decode()
    assert '<h1 translate="no" lang="en">ENU Eco-club</h1>' in page  # written in English only
    assert "place 1 of 1" in page and "no figure yet" in page


def test_an_unknown_organisation_is_a_404(client, held):
    assert client.get("/organisations/01a23907-cc53-75a2-b4a7-8a5aa0b1bd39/").status_code == 404


def test_the_event_page_links_its_organisation(client, held):
    page = client.get(f"/events/{held.soon.id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert f'<a href="/organisations/{held.organiser.organisation_id}/">ENU Eco-club</a>' in page


@pytest.mark.parametrize(("metric", "first"), [("volunteer_hours", "2.00"), ("events", 1)])
def test_the_volunteers_leaderboard_shows_only_those_who_chose_to_appear(client, held, metric, first):
    with time_machine.travel(held.soon.ends_at + dt.timedelta(hours=1), tick=False):
        response = client.get(f"/volunteers/?metric={metric}&period=all", HTTP_ACCEPT_LANGUAGE="en")

    board = response.context["board"]
    assert [(row["rank"], row["display_name"], row["events"], row["volunteer_hours"]) for row in board] == [
        (1, "Dana", 1, "2.00")
    ]
    assert "Erlan" not in response.content.decode()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_footer_links_the_organisations_and_the_volunteers_in_each_language(client, held, language):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert '<a href="/organisations/">' in page and '<a href="/volunteers/">' in page
