"""The demo data: every role can sign in, the season's campaigns and the upcoming events of every
region are there, written as organisers write them, the past campaigns are closed, and a second run
changes nothing."""

import datetime as dt
from collections import Counter

import time_machine
from allauth.account.models import EmailAddress
from django.core.management import call_command
from rest_framework.test import APIClient

from campaigns.models import Campaign
from events.models import CheckIn, Event, Registration
from ledger.models import Fact
from reference.regions import REGION_CODES
from volunteers.models import User
from volunteers.roles import is_admin, is_coordinator_of, is_organiser

ALMATY = dt.timezone(dt.timedelta(hours=5))
# Three events in every region, five in Astana, four in Almaty and Shymkent: the same on every day.
UPCOMING = dict.fromkeys(REGION_CODES, 3) | {"KZ-71": 5, "KZ-75": 4, "KZ-79": 4}
PAST = {
    "Spring clean-up 2024": "closed",
    "Autumn clean-up 2024": "closed",
    "Spring clean-up 2025": "closed",
    "Autumn clean-up 2025": "closed",
    "Nauryz tree planting 2026": "closed",
    "Taza Qazaqstan now": "open",
}


def upcoming_by_region() -> dict[str, int]:
    events = Event.objects.filter(status="approved", starts_at__gt=dt.datetime.now(tz=ALMATY))
    return dict(Counter(events.values_list("region_id", flat=True)))


@time_machine.travel(dt.datetime(2026, 12, 3, 9, tzinfo=ALMATY), tick=False)
def test_demo_load_makes_the_demo_and_running_it_again_changes_nothing(db):
    call_command("demo_load", verbosity=0)
    facts = Fact.objects.count()
    rows = (User.objects.count(), Campaign.objects.count(), Event.objects.count(), Registration.objects.count())

    call_command("demo_load", verbosity=0)

    assert (Fact.objects.count(), User.objects.count(), Campaign.objects.count()) == (facts, rows[0], rows[1])
    assert (Event.objects.count(), Registration.objects.count()) == rows[2:]
    people = {u.email: u for u in User.objects.filter(email__endswith="@taza.demo")}
    assert all(u.check_password("taza-demo-2026") for u in people.values())
    assert EmailAddress.objects.filter(email__endswith="@taza.demo", verified=True, primary=True).count() == len(people)
    assert is_admin(people["admin@taza.demo"]) and people["admin@taza.demo"].is_superuser
    assert is_organiser(people["organiser@taza.demo"])
    assert people["organiser@taza.demo"].organisation.name == "ENU Eco-club"
    assert is_coordinator_of(people["coordinator@taza.demo"], "KZ-71")
    assert not is_coordinator_of(people["coordinator@taza.demo"], "KZ-75")

    # The season's campaign is named for December, the campaigns over are closed by their facts
    statuses = {c.name_en: (c.status, c.starts_on, c.ends_on) for c in Campaign.objects.all()}
    assert statuses.pop("Winter clean-ups 2026–2027") == ("open", dt.date(2026, 12, 1), dt.date(2027, 2, 28))
    assert {name: status for name, (status, _start, _end) in statuses.items()} == PAST
    assert statuses["Nauryz tree planting 2026"][1:] == (dt.date(2026, 3, 1), dt.date(2026, 3, 21))
    closings = Fact.objects.filter(type="CampaignClosed").count()
    assert closings == 5
    winter = Campaign.objects.get(name_en="Winter clean-ups 2026–2027")
    assert (winter.name_kk, winter.name_ru) == ("Қысқы сенбіліктер 2026–2027", "Зимние субботники 2026–2027")
    assert not Campaign.objects.filter(targets__isnull=True).exists()

    # Every region has its upcoming events in the next five weeks, all in the winter's campaign and
    # kinds (the tree plantings of the list are clean-ups in the winter)
    assert upcoming_by_region() == UPCOMING
    winter_events = Event.objects.filter(campaign=winter)
    assert winter_events.count() == 64
    assert set(winter_events.values_list("kind", flat=True)) == {"cleanup", "area_cleanup"}
    assert max(winter_events.values_list("starts_at", flat=True)) < dt.datetime(2027, 1, 8, tzinfo=ALMATY)
    garden = Event.objects.get(title_en="Clean-up: Botanical garden")
    assert (garden.registered_count, garden.waitlisted_count) == (3, 1)

    # Written as organisers write: some in the three languages, most in Kazakh and Russian, some in one
    written = Counter(
        " ".join(lang for lang in ("kk", "ru", "en") if getattr(e, f"title_{lang}")) for e in winter_events
    )
    assert written == {"kk ru en": 20, "kk ru": 21, "ru": 13, "kk": 9, "ru en": 1}
    assert not winter_events.filter(address_kk="", address_ru="", address_en="").exists()

    # The demo's volunteer holds the history's first volunteer: signed in, she has a past, hours and
    # a certificate to show
    dana = people["volunteer@taza.demo"]
    held = CheckIn.objects.filter(volunteer_id=dana.volunteer_id)
    assert (held.count(), held.values("event").distinct().count()) == (4, 4)
    assert not User.objects.filter(email="volunteer1@demo.taza.kz").exists()


@time_machine.travel(dt.datetime(2026, 12, 3, 9, tzinfo=ALMATY), tick=False)
def test_the_demo_reads_in_the_visitors_language_or_the_one_written(db):
    call_command("demo_load", verbosity=0)
    client = APIClient()

    # An event written in the three languages reads in each; one written in Russian only, in Russian
    for language, title, organisation in (
        ("kk", "Сенбілік: Есіл жағалауы", "Л. Н. Гумилев атындағы ЕҰУ экоклубы"),
        ("ru", "Субботник: набережная Есиля", "Экоклуб ЕНУ имени Л. Н. Гумилёва"),
        ("en", "Clean-up: Esil embankment", "ENU Eco-club"),
    ):
        found = client.get("/api/v1/events/", {"q": "Есіл жағалауы", "region": "KZ-71"}, HTTP_ACCEPT_LANGUAGE=language)
        (event,) = found.json()["results"]
        assert (event["title"], event["organisation"]["name"]) == (title, organisation)
    only_russian = Event.objects.get(title_ru="Субботник: Триатлон-парк")
    answer = client.get(f"/api/v1/events/{only_russian.id}/", HTTP_ACCEPT_LANGUAGE="kk").json()
    assert (answer["title"], answer["title_by_language"]) == (
        "Субботник: Триатлон-парк",
        {"ru": "Субботник: Триатлон-парк"},
    )


@time_machine.travel(dt.datetime(2027, 2, 20, 9, tzinfo=ALMATY), tick=False)
def test_a_demo_of_late_february_plants_trees_for_nauryz_before_the_21st_of_march(db):
    call_command("demo_load", verbosity=0)

    open_now = {c.name_en: (c.starts_on, c.ends_on) for c in Campaign.objects.filter(status="open")}
    assert open_now == {
        "Winter clean-ups 2026–2027": (dt.date(2026, 12, 1), dt.date(2027, 2, 28)),
        "Nauryz tree planting 2027": (dt.date(2027, 3, 1), dt.date(2027, 3, 21)),
        "Spring clean-ups 2027": (dt.date(2027, 3, 1), dt.date(2027, 5, 31)),
        "Taza Qazaqstan now": (dt.date(2026, 12, 22), dt.date(2027, 3, 22)),  # the history's, around the day
    }
    nauryz = Event.objects.filter(campaign__name_en="Nauryz tree planting 2027")
    assert set(nauryz.values_list("kind", flat=True)) == {"tree_planting"}
    assert max(nauryz.values_list("ends_at", flat=True)) < dt.datetime(2027, 3, 22, tzinfo=ALMATY)
    assert upcoming_by_region() == UPCOMING
