"""People of every role around one Astana eco-club, an open campaign, and events made by the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from campaigns.models import Campaign
from campaigns.services import Target, campaign_launch
from events.models import Event, Registration
from events.services import event_approve, event_propose, registration_create
from reference.models import Region
from volunteers.models import Organisation, User
from volunteers.roles import Role
from volunteers.services import role_grant

ASTANA, ALMATY = "KZ-71", "KZ-75"
PASSWORD = "taza-test-2026"


@pytest.fixture(autouse=True)
def in_english():
    """Messages are asserted in English; outside a request the default language would be Kazakh."""
    with translation.override("en"):
        yield


def person(email: str, name: str, *roles: Role, **fields) -> User:
    region = fields.pop("region", None)
    user = User.objects.create_user(email, PASSWORD, display_name=name, **fields)
    for role in roles:
        role_grant(user=user, role=role, region=Region.objects.get(pk=region) if role is Role.COORDINATOR else None)
    return user


@pytest.fixture
def eco_club(db) -> Organisation:
    return Organisation.objects.create(name_en="ENU Eco-club", kind=Organisation.Kind.UNIVERSITY, region_id=ASTANA)


@pytest.fixture
def school(db) -> Organisation:
    return Organisation.objects.create(name_en="Almaty School No. 7", kind=Organisation.Kind.SCHOOL, region_id=ALMATY)


@pytest.fixture
def admin(db) -> User:
    return person("admin@taza.test", "Admin", Role.ADMIN)


@pytest.fixture
def organiser(eco_club) -> User:
    return person("arman@taza.test", "Arman", Role.ORGANISER, organisation=eco_club)


@pytest.fixture
def other_organiser(school) -> User:
    return person("bota@taza.test", "Bota", Role.ORGANISER, organisation=school)


@pytest.fixture
def coordinator(db) -> User:
    return person("saule@taza.test", "Saule", Role.COORDINATOR, region=ASTANA)


@pytest.fixture
def other_coordinator(db) -> User:
    return person("timur@taza.test", "Timur", Role.COORDINATOR, region=ALMATY)


@pytest.fixture
def volunteer(db) -> User:
    return person("dana@taza.test", "Dana", birth_date=dt.date(2004, 5, 1))


@pytest.fixture
def volunteers(db) -> list[User]:
    names = ["Aigerim", "Bolat", "Erlan", "Gulnara", "Kairat"]
    return [person(f"{name.lower()}@taza.test", name, birth_date=dt.date(1980, 1, 1)) for name in names]


@pytest.fixture
def campaign(admin) -> Campaign:
    today = timezone.localdate()
    return campaign_launch(
        actor=admin,
        name={"kk": "Таза Қазақстан", "ru": "Таза Казахстан", "en": "Taza Kazakhstan"},
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=60),
        event_kinds=["cleanup", "tree_planting"],
        targets=[Target(ASTANA, "waste_kg", Decimal("50000")), Target(ASTANA, "events", Decimal("20"))],
    )


def proposal(campaign: Campaign, **overrides) -> dict:
    """The keyword arguments of `event_propose` for a clean-up in Astana in two days; override any."""
    starts_at = overrides.pop("starts_at", timezone.now().replace(microsecond=0) + dt.timedelta(days=2))
    return {
        "campaign_id": campaign.id,
        "kind": "cleanup",
        "title": "Esil embankment clean-up",
        "description": "Litter picking along the left bank.",
        "region": ASTANA,
        "address": "Esil embankment, near the Triumphal Arch",
        "latitude": 51.1283,
        "longitude": 71.4305,
        "starts_at": starts_at,
        "ends_at": starts_at + dt.timedelta(hours=3),
        "capacity": 3,
        "what_to_bring": "Gloves and water.",
        **overrides,
    }


@pytest.fixture
def make_event(campaign, organiser, coordinator) -> Callable[..., Event]:
    """An approved event of the eco-club (or only proposed, with approved=False)."""

    def make(*, approved: bool = True, **overrides) -> Event:
        event = event_propose(actor=organiser, **proposal(campaign, **overrides))
        if approved:
            event = event_approve(actor=coordinator, event_id=event.id)
        return event

    return make


@pytest.fixture
def event(make_event) -> Event:
    return make_event()


@pytest.fixture
def client_for() -> Callable[[User | None], APIClient]:
    """An API client signed in with a token, as a phone app or a script would be, reading English
    (messages are asserted in English; without the header the site's default is Kazakh)."""

    def make(user: User | None) -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def places(event, volunteer, volunteers) -> dict[str, Registration]:
    """Dana (youth) and Aigerim (36-59) have places at the event; Bolat has an account and no place."""
    return {
        "dana": registration_create(actor=volunteer, event_id=event.id),
        "aigerim": registration_create(actor=volunteers[0], event_id=event.id),
    }


def confirmations_sent() -> None:
    """Send the emails recorded so far (each registration's confirmation among them) and forget them,
    so a test reads only what comes after."""
    from django.core import mail

    from outbox import sender

    sender.send_due()
    mail.outbox.clear()


# English messages write a day as Django's "N j, Y": the month in Associated Press style.
AP_MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")


def english_day(day: dt.date) -> str:
    """A day as English messages write it: never ISO in what people read."""
    return f"{AP_MONTHS[day.month - 1]} {day.day}, {day.year}"
