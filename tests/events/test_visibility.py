"""Who may see an event is one rule in two forms (events.rules): `may_see` on one event and
`seen_by` as a query. For every status an event can be in and every role, both give the same answer,
and that answer is the rule's."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from events.models import Event
from events.rules import may_see, seen_by
from events.services import event_cancel, event_propose, event_reject
from tests.events.conftest import ALMATY, person, proposal
from volunteers.roles import Role

EVENTS = ["proposed", "approved", "rejected", "cancelled after approval", "withdrawn proposal", "school's proposal"]
EVERY_EVENT = set(EVENTS)
PUBLIC = {"approved", "cancelled after approval"}
ECO_CLUBS = PUBLIC | {"proposed", "rejected", "withdrawn proposal"}

# Who sees what: the rule as DESIGN.md states it (organisers their organisation's events,
# coordinators their region's, admins everything, everyone the approved ones).
EXPECTED = {
    "nobody": PUBLIC,
    "anonymous": PUBLIC,
    "volunteer": PUBLIC,
    "organiser": ECO_CLUBS,
    "other organiser": PUBLIC | {"school's proposal"},
    "coordinator": ECO_CLUBS,
    "other coordinator": PUBLIC | {"school's proposal"},
    "inactive organiser": PUBLIC,
    "admin": EVERY_EVENT,
    "superuser": EVERY_EVENT,
}


@pytest.fixture
def events(make_event, campaign, organiser, other_organiser, coordinator) -> dict[str, Event]:
    cancelled = make_event(title="Cancelled after approval")
    withdrawn = make_event(approved=False, title="Withdrawn proposal")
    return {
        "proposed": make_event(approved=False),
        "approved": make_event(),
        "rejected": event_reject(
            actor=coordinator, event_id=make_event(approved=False).id, reason="Overlaps the marathon."
        ),
        "cancelled after approval": event_cancel(actor=organiser, event_id=cancelled.id, reason="Storm warning."),
        "withdrawn proposal": event_cancel(actor=organiser, event_id=withdrawn.id),
        "school's proposal": event_propose(actor=other_organiser, **proposal(campaign, region=ALMATY)),
    }


@pytest.fixture
def people(volunteer, organiser, other_organiser, coordinator, other_coordinator, admin, eco_club) -> dict:
    inactive = person("asel@taza.test", "Asel", Role.ORGANISER, organisation=eco_club)
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    return {
        "nobody": None,
        "anonymous": AnonymousUser(),
        "volunteer": volunteer,
        "organiser": organiser,
        "other organiser": other_organiser,
        "coordinator": coordinator,
        "other coordinator": other_coordinator,
        "inactive organiser": inactive,
        "admin": admin,
        "superuser": person("root@taza.test", "Root", is_superuser=True, is_staff=True),
    }


def test_may_see_and_its_query_agree_for_every_status_and_role(events, people):
    statuses = {name: event.status for name, event in events.items()}
    names = {event.id: name for name, event in events.items()}

    by_python = {who: {name for name, event in events.items() if may_see(user, event)} for who, user in people.items()}
    by_query = {
        who: {names[pk] for pk in Event.objects.filter(seen_by(user)).values_list("pk", flat=True)}
        for who, user in people.items()
    }

    assert statuses == {
        "proposed": "proposed",
        "approved": "approved",
        "rejected": "rejected",
        "cancelled after approval": "cancelled",
        "withdrawn proposal": "cancelled",
        "school's proposal": "proposed",
    }
    assert by_python == EXPECTED
    assert by_query == EXPECTED
