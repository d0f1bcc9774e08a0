"""A world of real objects for the fuzzer to aim at: one campaign in Astana on an ordinary day.

Built through the services the rest of the suite uses, with history made by travelling in time: an
event held yesterday (check-ins, a check-out, a verified result), one under way now (a check-in, a
result awaiting verification), a full one with a waitlist, an open one with a cancelled place, a
proposed one, one with a change awaiting approval, a cancelled one, and an event of another region
and organisation. People of every role; their ids, passes and codes are what path parameters and id
fields are drawn from, so generated requests reach existing objects. Operations that end something
for good (close a campaign, cancel or reject an event, delete an account, take a role or a
membership away) get objects of their own, so the operations fuzzed after them still find the world.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import time_machine
from django.utils import timezone
from rest_framework.authtoken.models import Token

from campaigns.services import Target, campaign_launch
from dumps.services import dump_confirm, dump_report
from events.models import Event, Registration
from events.passes import pass_token
from events.services import (
    checkin_from_roster,
    checkout_record,
    event_approve,
    event_cancel,
    event_edit,
    event_propose,
    registration_cancel,
    registration_create,
    result_log,
    result_verify,
)
from reference.models import Region
from tests.events.conftest import ALMATY, ASTANA, person, proposal
from volunteers.models import Organisation, User
from volunteers.roles import Role

ROLES = ("anonymous", "volunteer", "organiser", "coordinator", "admin")
ACCOUNT_DELETE = "POST /api/v1/account/delete/"
# Operations that end an object for good are aimed at objects kept for them, so the operations after
# them (in the schema's order) still meet an open campaign, an approved event, a proposed one.
SPARED = {
    ("POST /api/v1/campaigns/{campaign_id}/close/", "campaign_id"): "spare_campaign",
    ("POST /api/v1/events/{event_id}/cancel/", "event_id"): "to_cancel",
    ("POST /api/v1/events/{event_id}/reject/", "event_id"): "to_reject",
    # (endpoints in the making: an organiser who may lose a membership or a role without harm)
    ("DELETE /api/v1/organisations/{organisation_id}/members/{volunteer_id}/", "volunteer_id"): "spare_organiser",
    ("DELETE /api/v1/volunteers/{volunteer_id}/roles/{role}/", "volunteer_id"): "spare_organiser",
}


@dataclass
class World:
    users: dict[str, User]
    campaign_id: str
    spare_campaign_id: str
    events: dict[str, Event]
    registrations: dict[str, Registration]
    checkins: dict[str, str]
    passes: dict[str, str]
    dumps: list[str] = field(default_factory=list)  # a confirmed dump and a report beside it, in Astana
    leaving: dict[str, User] = field(default_factory=dict)
    accounts_made: int = 0

    def token(self, role: str, operation: str = "") -> str | None:
        """The role's token; for deleting the account, a new account of that role each time the
        last one was deleted (the role's own account keeps fuzzing the operations after it)."""
        if role == "anonymous":
            return None
        user = self.users[role]
        if operation == ACCOUNT_DELETE:
            user = self.leaving.get(role)
            if user is None or not User.objects.filter(pk=user.pk).exists():
                user = self.leaving[role] = self._new_account(role)
        return Token.objects.get_or_create(user=user)[0].key

    def _new_account(self, role: str) -> User:
        model = self.users[role]
        self.accounts_made += 1
        number = self.accounts_made
        roles = {"organiser": [Role.ORGANISER], "coordinator": [Role.COORDINATOR], "admin": [Role.ADMIN]}
        return person(
            f"leaving-{role}-{number}@taza.test",
            f"Leaving {role} {number}",
            *roles.get(role, []),
            organisation=model.organisation,
            region=ASTANA if role == "coordinator" else None,
        )

    def known(self, location: str, name: str, operation: str = "") -> list[str]:
        """Existing values for a parameter or body field (`location`: path, query or body), in a
        fixed order; none for names that name no object."""
        spared = SPARED.get((operation, name))
        if spared == "spare_campaign":
            return [self.spare_campaign_id]
        if spared == "spare_organiser":
            return [str(self.users["spare_organiser"].volunteer_id)]
        if spared is not None:
            return [str(self.events[spared].id)]
        ended_elsewhere = {spared for spared in SPARED.values() if spared in self.events}
        ids = {
            "event_id": [str(event.id) for name, event in self.events.items() if name not in ended_elsewhere],
            "campaign_id": [self.campaign_id],
            "campaign": [self.campaign_id],
            "registration_id": [str(registration.id) for registration in self.registrations.values()],
            "checkin_id": list(self.checkins.values()),
            "region": [ASTANA, ALMATY],
            "organisation_id": [str(self.users[name].organisation_id) for name in ("organiser", "other_organiser")],
            "volunteer_id": [str(user.volunteer_id) for user in self.users.values()],
            # the roles that are given and taken (every account is a volunteer for ever)
            "role": [role.value for role in Role if role is not Role.VOLUNTEER],
            "dump_id": self.dumps,
            "into_dump_id": self.dumps,
        }
        if location == "body":
            # the QR pass of a place, and the event code typed on site
            ids |= {"token": list(self.passes.values()), "code": [self.events["running"].short_code]}
        else:
            ids["code"] = [ASTANA, ALMATY]  # /api/v1/stats/regions/{code}/
        if name == "role" and "/photos/" in operation:
            return []  # a photo's role is before or after the work, not an account's role
        return ids.get(name, [])


def _at(moment: dt.datetime):
    return time_machine.travel(moment, tick=True)


def build_world() -> World:
    """The world as described in the module's docstring; ~1 s on PostgreSQL."""
    now = timezone.now().replace(microsecond=0)
    today = timezone.localdate()
    eco_club = Organisation.objects.create(name_en="ENU Eco-club", kind=Organisation.Kind.UNIVERSITY, region_id=ASTANA)
    school = Organisation.objects.create(name_en="Almaty School No. 7", kind=Organisation.Kind.SCHOOL, region_id=ALMATY)
    users = {
        "admin": person("admin@taza.test", "Admin", Role.ADMIN),
        "organiser": person("arman@taza.test", "Arman", Role.ORGANISER, organisation=eco_club),
        "other_organiser": person("bota@taza.test", "Bota", Role.ORGANISER, organisation=school),
        "coordinator": person("saule@taza.test", "Saule", Role.COORDINATOR, region=ASTANA),
        "other_coordinator": person("timur@taza.test", "Timur", Role.COORDINATOR, region=ALMATY),
        "volunteer": person("dana@taza.test", "Dana", birth_date=dt.date(2004, 5, 1)),
        "spare_organiser": person("gulnara@taza.test", "Gulnara", Role.ORGANISER, organisation=eco_club),
    }
    for name in ("Aigerim", "Bolat", "Erlan"):
        users[name.lower()] = person(f"{name.lower()}@taza.test", name, birth_date=dt.date(1980, 1, 1))
    organiser, coordinator, dana = users["organiser"], users["coordinator"], users["volunteer"]
    aigerim, bolat, erlan = users["aigerim"], users["bolat"], users["erlan"]
    campaign = campaign_launch(
        actor=users["admin"],
        name={"kk": "Таза Қазақстан", "ru": "Таза Казахстан", "en": "Taza Kazakhstan"},
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=60),
        event_kinds=["cleanup", "tree_planting"],
        targets=[Target(ASTANA, "waste_kg", Decimal("50000")), Target(ASTANA, "events", Decimal("20"))],
    )

    def approved(**overrides) -> Event:
        event = event_propose(actor=organiser, **proposal(campaign, **overrides))
        return event_approve(actor=coordinator, event_id=event.id)

    events: dict[str, Event] = {}
    registrations: dict[str, Registration] = {}
    checkins: dict[str, str] = {}
    # Yesterday's clean-up: Dana and Aigerim came (Dana left early), the result is verified.
    with _at(now - dt.timedelta(hours=27)):
        events["held"] = approved(title="Yesterday's clean-up", starts_at=now - dt.timedelta(hours=26), capacity=5)
        events["running"] = approved(title="Clean-up under way", starts_at=now - dt.timedelta(hours=1), capacity=5)
        for who, volunteer in (("dana", dana), ("aigerim", aigerim)):
            registrations[f"held_{who}"] = registration_create(actor=volunteer, event_id=events["held"].id)
            registrations[f"running_{who}"] = registration_create(actor=volunteer, event_id=events["running"].id)
    with _at(now - dt.timedelta(hours=25)):
        for who in ("dana", "aigerim"):
            outcome = checkin_from_roster(
                actor=organiser, event_id=events["held"].id, registration_id=registrations[f"held_{who}"].id
            )
            checkins[f"held_{who}"] = str(outcome.checkin.id)
    with _at(now - dt.timedelta(hours=24)):
        checkout_record(actor=organiser, event_id=events["held"].id, checkin_id=checkins["held_dana"])
    with _at(now - dt.timedelta(hours=22)):
        figures = {"waste_kg": {"plastic": "40.5", "mixed": "120"}, "trees": 0, "area_ha": "1.2", "headcount": 4}
        result = result_log(actor=organiser, event_id=events["held"].id, **figures)
        result_verify(actor=coordinator, event_id=events["held"].id, decision="accepted", result_version=result.version)
    with _at(now - dt.timedelta(minutes=30)):
        outcome = checkin_from_roster(
            actor=organiser, event_id=events["running"].id, registration_id=registrations["running_aigerim"].id
        )
        checkins["running_aigerim"] = str(outcome.checkin.id)
    result_log(
        actor=organiser,
        event_id=events["running"].id,
        waste_kg={"mixed": "35"},
        trees=0,
        area_ha="0.5",
        headcount=2,
    )
    # Upcoming: a full one with a waitlist, an open one with a cancelled place, a proposed one, one
    # with a change awaiting the coordinator, a cancelled one; and an Almaty event of the school.
    events["full"] = approved(title="Small tree planting", kind="tree_planting", capacity=1)
    registrations["full_dana"] = registration_create(actor=dana, event_id=events["full"].id)
    registrations["full_bolat"] = registration_create(actor=bolat, event_id=events["full"].id)
    events["open"] = approved(title="Park clean-up", starts_at=now + dt.timedelta(days=3), capacity=30)
    registrations["open_aigerim"] = registration_create(actor=aigerim, event_id=events["open"].id)
    registrations["open_erlan"] = registration_cancel(
        actor=erlan, registration_id=registration_create(actor=erlan, event_id=events["open"].id).id
    )
    events["proposed"] = event_propose(actor=organiser, **proposal(campaign, title="Riverbank clean-up"))
    events["changing"] = approved(title="Square clean-up", starts_at=now + dt.timedelta(days=4))
    events["changing"] = event_edit(actor=organiser, event_id=events["changing"].id, title="Central square clean-up")
    events["cancelled"] = event_cancel(
        actor=organiser, event_id=approved(title="Rained off", starts_at=now + dt.timedelta(days=5)).id, reason="Storm."
    )
    almaty = event_propose(
        actor=users["other_organiser"],
        **proposal(campaign, title="Almaty foothills clean-up", region=ALMATY, latitude=43.2, longitude=76.9),
    )
    events["almaty"] = event_approve(actor=users["other_coordinator"], event_id=almaty.id)
    passes = {
        name: pass_token(registration)
        for name, registration in registrations.items()
        if registration.status == Registration.Status.REGISTERED
    }
    assert Region.objects.filter(pk__in=[ASTANA, ALMATY]).count() == 2
    # Kept for the operations that end them: a second campaign to close, an event to cancel, one to reject
    spare = campaign_launch(
        actor=users["admin"],
        name={"kk": "Жасыл ел", "ru": "Жасыл ел", "en": "Green Country"},
        starts_on=today - dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=90),
        event_kinds=["tree_planting"],
    )
    events["to_cancel"] = approved(title="Maybe rained off", starts_at=now + dt.timedelta(days=6))
    registrations["to_cancel_aigerim"] = registration_create(actor=aigerim, event_id=events["to_cancel"].id)
    events["to_reject"] = event_propose(actor=organiser, **proposal(campaign, title="Clean-up on a motorway"))
    # A confirmed dump in Astana and a report 20 m from it, waiting for the coordinator.
    known_dump = dump_report(
        actor=dana, latitude=51.1283, longitude=71.4305, size="10_100_m2", waste_kinds=["mixed"], note="Bags."
    )
    dump_confirm(actor=coordinator, dump_id=known_dump.id)
    beside = dump_report(actor=aigerim, latitude=51.12848, longitude=71.4305, size="under_10_m2", waste_kinds=["glass"])
    return World(
        dumps=[str(known_dump.id), str(beside.id)],
        users=users,
        campaign_id=str(campaign.id),
        spare_campaign_id=str(spare.id),
        events={name: Event.objects.get(pk=event.id) for name, event in events.items()},
        registrations=registrations,
        checkins=checkins,
        passes=passes,
    )
