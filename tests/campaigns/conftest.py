"""People of every role, and a campaign to work on."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from campaigns.models import Campaign
from campaigns.services import Target, campaign_launch
from reference.models import Region
from volunteers.models import Organisation, User
from volunteers.roles import Role
from volunteers.services import role_grant

NAME = {
    "kk": "Таза Қазақстан — 2026 көктемі",
    "ru": "Таза Казахстан — весна 2026",
    "en": "Taza Kazakhstan — Spring 2026",
}


def spring_campaign(**overrides) -> dict:
    """The keyword arguments of `campaign_launch` for a spring campaign; override any of them."""
    return {
        "name": dict(NAME),
        "description": {"en": "Spring clean-ups and tree planting."},
        "starts_on": dt.date(2026, 3, 21),
        "ends_on": dt.date(2026, 5, 31),
        "event_kinds": ["tree_planting", "cleanup"],
        "targets": [Target("KZ-10", "trees", Decimal("60000")), Target("KZ-75", "waste_kg", Decimal("2500000.5"))],
        **overrides,
    }


@pytest.fixture(autouse=True)
def in_english():
    """Messages are asserted in English; outside a request the default language would be Kazakh."""
    with translation.override("en"):
        yield


@pytest.fixture
def admin(db) -> User:
    user = User.objects.create_user("aigerim@taza.kz", "pass-1234-word", display_name="Aigerim")
    return role_grant(user=user, role=Role.ADMIN)


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("root@taza.kz", "pass-1234-word")


@pytest.fixture
def volunteer(db) -> User:
    return User.objects.create_user("dana@taza.kz", "pass-1234-word", display_name="Dana")


@pytest.fixture
def organiser(db) -> User:
    club = Organisation.objects.create(name_en="Semey eco-club", kind=Organisation.Kind.NGO, region_id="KZ-10")
    user = User.objects.create_user("arman@taza.kz", "pass-1234-word", display_name="Arman", organisation=club)
    return role_grant(user=user, role=Role.ORGANISER)


@pytest.fixture
def coordinator(db) -> User:
    user = User.objects.create_user("saule@taza.kz", "pass-1234-word", display_name="Saule")
    return role_grant(user=user, role=Role.COORDINATOR, region=Region.objects.get(pk="KZ-10"))


@pytest.fixture
def campaign(admin) -> Campaign:
    return campaign_launch(actor=admin, **spring_campaign())


@pytest.fixture
def client_for():
    """An API client signed in with a token, as a phone app or a script would be."""

    def make(user: User | None) -> APIClient:
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make
