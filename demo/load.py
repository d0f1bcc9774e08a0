"""The demo: accounts of every role, an open campaign with targets, approved upcoming events,
and a small national history of past campaigns (demo/history.py) so the totals, plan-versus-fact
and leaderboards have something to show. `manage.py demo_load` runs it.

Everything goes through the services (facts in the ledger, projections inline), each write keyed
with an Idempotency-Key, so running the command again changes nothing. Regions come with the
migrations. Every demo account has the password `taza-demo-2026` and a verified email.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from campaigns.models import Campaign
from campaigns.services import Target, campaign_launch
from demo.history import history_load
from events.models import Event
from events.services import event_approve, event_propose, registration_create
from reference.models import Region
from volunteers.models import Organisation, User
from volunteers.roles import Role
from volunteers.services import role_grant

PASSWORD = "taza-demo-2026"  # the demo accounts' published password (README)  # nosec B105
CAMPAIGN_NAME = {
    "kk": "Таза Қазақстан — демо науқан",
    "ru": "Таза Казахстан — демо-кампания",
    "en": "Taza Kazakhstan — demo campaign",
}
ASTANA = "KZ-71"


@dataclass(frozen=True)
class DemoEvent:
    key: str
    kind: str
    title: str
    region: str
    address: str
    latitude: float
    longitude: float
    in_days: int
    hour: int
    capacity: int
    what_to_bring: str


EVENTS = (
    DemoEvent(
        "esil-embankment",
        "cleanup",
        "Esil embankment clean-up",
        ASTANA,
        "Esil embankment, near the Triumphal Arch",
        51.1283,
        71.4305,
        3,
        10,
        30,
        "Gloves, water, a hat.",
    ),
    DemoEvent(
        "botanical-garden",
        "tree_planting",
        "Tree planting in the Botanical garden",
        ASTANA,
        "Botanical garden, south gate",
        51.1067,
        71.4173,
        6,
        9,
        3,
        "Gloves; spades are provided.",
    ),
    DemoEvent(
        "almaty-foothills",
        "area_cleanup",
        "Medeu foothills area clean-up",
        "KZ-75",
        "Medeu, the lower car park",
        43.1577,
        77.0590,
        8,
        9,
        50,
        "Sturdy shoes, gloves, water.",
    ),
    DemoEvent(
        "shymkent-park",
        "cleanup",
        "Central park clean-up",
        "KZ-79",
        "Shymkent central park, main entrance",
        42.3174,
        69.5962,
        10,
        8,
        25,
        "Gloves and a cap.",
    ),
)
# Who registers for what (the second Astana event fills up: one volunteer waits).
REGISTRATIONS = {
    "esil-embankment": ["volunteer", "aigerim", "bolat"],
    "botanical-garden": ["volunteer", "aigerim", "bolat", "erlan"],
    "almaty-foothills": ["gulnara"],
}


@transaction.atomic
def demo_load(*, write: Callable[[str], object]) -> str:
    """Load the demo, then the small history (its progress told to `write`); return what is ready."""
    club = _organisation()
    admin = _person("admin@taza.demo", "Admin", Role.ADMIN, superuser=True)
    organiser = _person("organiser@taza.demo", "Arman (ENU Eco-club)", Role.ORGANISER, organisation=club)
    _person("coordinator@taza.demo", "Saule (Astana coordinator)", Role.COORDINATOR, region=ASTANA)
    people = {"volunteer": _person("volunteer@taza.demo", "Dana", birth_date=dt.date(2003, 4, 12))}
    for name, born in (("Aigerim", 2001), ("Bolat", 1990), ("Erlan", 2006), ("Gulnara", 1975)):
        people[name.lower()] = _person(f"{name.lower()}@taza.demo", name, birth_date=dt.date(born, 6, 1))

    campaign = _campaign(admin)
    for demo in EVENTS:
        event = _event(demo, campaign, organiser, admin)
        for who in REGISTRATIONS.get(demo.key, []):
            registration_create(actor=people[who], event_id=event.id, idempotency_key=f"demo-registration-{demo.key}")
    history_load(write=write)
    return (
        f"Demo ready: {User.objects.filter(email__endswith='@taza.demo').count()} accounts "
        f"(password {PASSWORD}), campaign “{campaign.name_en}”, "
        f"{Event.objects.filter(campaign=campaign).count()} events."
    )


def _organisation() -> Organisation:
    club, _ = Organisation.objects.get_or_create(
        name="ENU Eco-club", defaults={"kind": Organisation.Kind.UNIVERSITY, "region_id": ASTANA}
    )
    return club


def _person(
    email: str,
    name: str,
    *roles: Role,
    superuser: bool = False,
    organisation: Organisation | None = None,
    region: str | None = None,
    birth_date: dt.date | None = None,
) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        make = User.objects.create_superuser if superuser else User.objects.create_user
        user = make(
            email,
            PASSWORD,
            display_name=name,
            organisation=organisation,
            birth_date=birth_date,
            language="en",
        )
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    for role in roles:
        role_grant(user=user, role=role, region=Region.objects.get(pk=region) if region else None)
    return user


def _campaign(admin: User) -> Campaign:
    existing = Campaign.objects.filter(name_en=CAMPAIGN_NAME["en"]).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    return campaign_launch(
        actor=admin,
        name=CAMPAIGN_NAME,
        description={
            "kk": "Көктемгі сенбіліктер мен ағаш отырғызу.",
            "ru": "Весенние субботники и посадка деревьев.",
            "en": "Spring clean-ups and tree planting.",
        },
        starts_on=today - dt.timedelta(days=7),
        ends_on=today + dt.timedelta(days=60),
        event_kinds=["cleanup", "tree_planting", "area_cleanup"],
        targets=[
            Target(ASTANA, "events", Decimal("20")),
            Target(ASTANA, "participants", Decimal("800")),
            Target(ASTANA, "waste_kg", Decimal("25000")),
            Target(ASTANA, "trees", Decimal("1500")),
            Target("KZ-75", "events", Decimal("25")),
            Target("KZ-75", "area_ha", Decimal("120")),
            Target("KZ-79", "waste_kg", Decimal("18000")),
        ],
        idempotency_key="demo-campaign",
    )


def _event(demo: DemoEvent, campaign: Campaign, organiser: User, admin: User) -> Event:
    day = timezone.localdate() + dt.timedelta(days=demo.in_days)
    starts_at = timezone.make_aware(dt.datetime.combine(day, dt.time(demo.hour)))
    event = event_propose(
        actor=organiser,
        campaign_id=campaign.id,
        kind=demo.kind,
        title=demo.title,
        description=f"{demo.title}, with the ENU Eco-club.",
        region=demo.region,
        address=demo.address,
        latitude=demo.latitude,
        longitude=demo.longitude,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=3),
        capacity=demo.capacity,
        what_to_bring=demo.what_to_bring,
        idempotency_key=f"demo-event-{demo.key}",
    )
    return event_approve(actor=admin, event_id=event.id, idempotency_key=f"demo-approve-{demo.key}")
