"""Public pages: live counters' first figures, the regions' map and board, the finder's filters."""

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from events.services import checkin_from_roster, registration_create, result_log
from frontend import display
from ledger.runner import catch_up_all
from tests.browser.world import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(world):
    """The Esil clean-up held: one volunteer checked in, 4 more people, 80 kg of plastic; totals caught up."""
    dana = person("dana@taza.test", "Dana")
    place = registration_create(actor=dana, event_id=world.soon.id)
    checkin_from_roster(actor=world.organiser, event_id=world.soon.id, registration_id=place.id)
    with time_machine.travel(world.soon.starts_at + dt.timedelta(minutes=30), tick=False):
        result_log(
            actor=world.organiser, event_id=world.soon.id, waste_kg={"plastic": "80"}, trees=0, area_ha="0", headcount=4
        )
        catch_up_all(wait=30)  # after the start: an event counts as held once it has started
    return world


def test_the_home_page_shows_the_national_totals_ready_for_live_updates(client, held):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="kk").content.decode()

    assert 'data-live-totals="/api/v1/stats/national/"' in page
    assert (
        '<span class="counter__value" data-metric="participants" data-part="total" data-value="5" '
        'aria-live="polite">5</span>'
    ) in page
    assert 'data-metric="waste_kg" data-part="total" data-value="80.000" aria-live="polite">0,1</span>' in page
    assert '<span class="counter__unit">т</span>' in page


@pytest.mark.parametrize(
    ("language", "rule"),
    [
        ("kk", "Іс-шара басталған соң, кемінде бір еріктінің келуі белгіленсе немесе нәтижесі енгізілсе"),
        ("ru", "Мероприятие считается проведённым, когда оно уже началось и на нём отмечен"),
        ("en", "An event counts as held once it has started and at least one volunteer has checked in"),
    ],
)
def test_the_home_page_says_when_an_event_counts_and_how_hours_are_counted(client, world, language, rule):
    page = " ".join(client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode().split())

    assert rule in page


def test_the_regions_page_marks_the_regions_behind_their_plan(client, held):
    campaign = held.campaign.id

    page = client.get(f"/regions/?mode=plan&campaign={campaign}", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    # Astana has 5 of 500 participants ten days into a 71-day campaign; Almaty has none of its 400.
    assert '<li class="tile tile--behind tile--column-5 tile--row-2">' in page
    assert (
        "<strong>Behind target:</strong>\n        "
        '<a href="/regions/KZ-71/">Astana</a>, <a href="/regions/KZ-75/">Almaty</a>' in page
    )
    assert '<li class="tile tile--none tile--column-1 tile--row-2">' in page  # West Kazakhstan


def test_the_leaderboard_ranks_raw_and_per_1000_and_links_its_csv(client, held):
    response = client.get("/regions/?metric=participants&period=all&basis=per_1000", HTTP_ACCEPT_LANGUAGE="en")

    board = response.context["board"]
    assert (board[0]["region"], board[0]["value"], board[0]["per_1000_residents"]) == ("KZ-71", 5, "0.0037")
    page = response.content.decode()
    assert (
        'href="/api/v1/stats/leaderboards/regions/?metric=participants&amp;period=all&amp;per_capita=true&amp;format=csv"'
        in page
    )
    # 0.0037 per 1 000 (5 of Astana's 1 350 228) would read as nothing: the column is per million
    assert '<th scope="col" class="num">Per 1,000,000 residents</th>' in page
    assert '<td class="num">3.7</td>' in page


def test_the_finder_filters_by_kind_and_region(client, world):
    response = client.get("/events/", {"kind": "tree_planting", "region": "KZ-71"}, HTTP_ACCEPT_LANGUAGE="en")

    assert [e.title for e in response.context["page"]] == ["Tree planting in the Botanical Garden"]
    assert "1 event found" in response.content.decode()
    nothing = client.get("/events/", {"region": "KZ-75"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "0 events found" in nothing


def test_proposed_events_stay_off_the_public_pages(client, world):
    assert client.get(f"/events/{world.proposed.id}/").status_code == 404
    assert "Kerey-Zhanibek" not in client.get("/events/").content.decode()


@pytest.mark.parametrize(
    ("language", "heading", "privacy"),
    [
        ("en", "The fact feed", "No personal data. A volunteer appears only as <code>volunteer_pseudonym</code>"),
        (
            "ru",
            "Лента фактов",
            "Никаких персональных данных. Волонтёр виден только как <code>volunteer_pseudonym</code>",
        ),
        ("kk", "Фактілер легі", "Жеке деректер жоқ. Ерікті тек <code>volunteer_pseudonym</code> ретінде көрінеді"),
    ],
)
def test_the_open_data_page_links_the_fact_feed_and_explains_it_in_each_language(client, language, heading, privacy):
    page = client.get("/open-data/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert '<a href="/api/v1/facts/" translate="no"><code>GET /api/v1/facts/</code></a>' in page
    assert f'<h2 id="fact-feed">{heading}</h2>' in page
    assert privacy in page
    for parameter in ("after=", "until=", "stream=", "type="):
        assert f"<code>{parameter}</code>" in page


@pytest.mark.parametrize(
    ("language", "sentence"),
    [("kk", "{start} бастап {end} дейін."), ("ru", "С {start} по {end}"), ("en", "From {start} to {end}.")],
)
def test_a_campaigns_dates_end_their_sentence_once(client, world, language, sentence):
    """Russian dates end in «г.»: a sentence ending in a date takes no second period."""
    page = client.get(f"/campaigns/{world.campaign.id}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    with translation.override(language):
        start, end = display.day(world.campaign.starts_on), display.day(world.campaign.ends_on)
    assert f"<p>{sentence.format(start=start, end=end)}\n" in page
    assert ".." not in page.replace("...", "")
