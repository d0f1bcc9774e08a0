"""The people, campaign and events the browser tests meet, made through the services like real ones.

Also used by hand to fill a development database for screenshots:
    TAZA_VAR_DIR=/tmp/x .venv/bin/python -c "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE',
    'config.settings.local'); django.setup(); from tests.browser.world import build_world; build_world()"
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import time_machine
from allauth.account.models import EmailAddress
from django.utils import timezone

from campaigns.models import Campaign
from campaigns.services import Target, campaign_launch
from events.models import Event, Registration
from events.services import checkin_from_roster, event_approve, event_propose, registration_create, result_log
from ledger.runner import catch_up_all
from reference.models import Region
from volunteers.models import Organisation, User
from volunteers.roles import Role
from volunteers.services import role_grant

PASSWORD = "kokterek-2026-taza"
ASTANA = "KZ-71"


@dataclass
class World:
    admin: User
    organiser: User
    coordinator: User
    campaign: Campaign
    soon: Event  # starts in 30 minutes: registration and check-in are both open
    later: list[Event]
    proposed: Event


def person(email: str, name: str, *roles: Role, **fields) -> User:
    user = User.objects.create_user(email, PASSWORD, display_name=name, **fields)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    for role in roles:
        region = Region.objects.get(pk=ASTANA) if role is Role.COORDINATOR else None
        role_grant(user=user, role=role, region=region)
    return user


def build_world() -> World:
    now = timezone.now().replace(second=0, microsecond=0)
    admin = person("admin@taza.test", "Admin", Role.ADMIN)
    club = Organisation.objects.create(name_en="ENU Eco-club", kind=Organisation.Kind.UNIVERSITY, region_id=ASTANA)
    organiser = person("arman@taza.test", "Arman Seitkali", Role.ORGANISER, organisation=club)
    coordinator = person("saule@taza.test", "Saule Nurlanqyzy", Role.COORDINATOR)
    today = timezone.localdate()
    campaign = campaign_launch(
        actor=admin,
        name={"kk": "Таза Қазақстан — күз", "ru": "Таза Казахстан — осень", "en": "Clean Kazakhstan — autumn"},
        description={
            "kk": "Аулалар мен саябақтарды тазарту, ағаш отырғызу.",
            "ru": "Уборка дворов и парков, посадка деревьев.",
            "en": "Clean-ups of yards and parks, tree planting.",
        },
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=60),
        event_kinds=["cleanup", "tree_planting", "area_cleanup"],
        targets=[
            Target(ASTANA, "participants", Decimal(500)),
            Target(ASTANA, "waste_kg", Decimal(20000)),
            Target(ASTANA, "trees", Decimal(300)),
            Target("KZ-75", "participants", Decimal(400)),
        ],
    )

    def event(title: str, starts_at: dt.datetime, *, approved: bool = True, **extra) -> Event:
        proposal = {
            "campaign_id": campaign.id,
            "kind": "cleanup",
            "title": title,
            "description": "Litter picking along the left bank. Bags and gloves are given out on site.",
            "region": ASTANA,
            "address": "Esil embankment, near the Triumphal Arch",
            "latitude": 51.1283,
            "longitude": 71.4305,
            "starts_at": starts_at,
            "ends_at": starts_at + dt.timedelta(hours=3),
            "capacity": 30,
            "what_to_bring": "Water and a hat.",
            **extra,
        }
        created = event_propose(actor=organiser, **proposal)
        return event_approve(actor=coordinator, event_id=created.id) if approved else created

    soon = event("Esil embankment clean-up", now + dt.timedelta(minutes=30))
    later = [
        event("Tree planting in the Botanical Garden", now + dt.timedelta(days=3), kind="tree_planting"),
        event("Clean-up of the Koktal park", now + dt.timedelta(days=6), capacity=2, latitude=51.17, longitude=71.47),
    ]
    proposed = event("Clean-up of the Kerey-Zhanibek park", now + dt.timedelta(days=9), approved=False)
    return World(admin, organiser, coordinator, campaign, soon, later, proposed)


def something_on_every_page(world: World) -> tuple[User, Registration]:
    """A day of the campaign with something on every page: Dana holds a place at the Esil clean-up
    (checked in, its result logged) and one at the next event; the totals caught up. Returns Dana
    and her Esil place."""
    dana = person("dana@taza.test", "Dana")
    place = registration_create(actor=dana, event_id=world.soon.id)
    registration_create(actor=dana, event_id=world.later[0].id)
    checkin_from_roster(actor=world.organiser, event_id=world.soon.id, registration_id=place.id)
    with time_machine.travel(world.soon.starts_at + dt.timedelta(minutes=20), tick=True):
        result_log(
            actor=world.organiser,
            event_id=world.soon.id,
            waste_kg={"plastic": "80"},
            trees=12,
            area_ha="0.5",
            headcount=4,
        )
    catch_up_all(wait=30)
    return dana, place
