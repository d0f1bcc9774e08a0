"""Who may do what: every role against every action of events and accounts, through the API.

Volunteers act only for themselves; organisers only on their organisation's events; coordinators
only in their region; admins everywhere. The same holds for organisations and their members
(coordinators add organisations in their region), and only admins give and take roles. Each cell
of the matrix is one test: the allowed roles succeed, every other role is refused and nothing is
appended.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from rest_framework.test import APIClient

from events.models import Event, Registration
from events.services import checkin_from_roster, registration_create, result_log
from ledger.models import Fact
from tests.events.conftest import proposal
from volunteers.models import User

ROLES = (
    "anonymous",
    "volunteer",
    "other_volunteer",
    "organiser",
    "other_organiser",
    "coordinator",
    "other_coordinator",
    "admin",
)


@dataclass
class Scene:
    people: dict[str, User]
    event: Event  # approved, the eco-club's, in Astana, in two days
    proposed: Event  # awaiting a decision
    other_event: Event  # approved, with nobody registered
    registration: Registration  # the volunteer's place at `event`
    travel: Callable[[dt.timedelta], None]  # to the event's start plus this

    def during_event(self) -> None:
        self.travel(dt.timedelta(minutes=30))

    def after_event(self) -> None:
        self.travel(dt.timedelta(hours=4))


def _json(value: dict) -> dict:
    return {
        k: (v.isoformat() if isinstance(v, dt.datetime) else str(v) if k.endswith("_id") else v)
        for k, v in value.items()
    }


def propose(s: Scene) -> tuple[str, str, dict]:
    # Everyone asks for the eco-club: only its organisers (and admins) may act for it.
    body = _json(proposal(s.event.campaign, organisation_id=s.event.organisation_id))
    return "post", "/api/v1/events/", body


def edit(s: Scene):
    return "patch", f"/api/v1/events/{s.event.id}/", {"title": "Esil clean-up, second bank"}


def approve(s: Scene):
    return "post", f"/api/v1/events/{s.proposed.id}/approve/", {}


def reject(s: Scene):
    return "post", f"/api/v1/events/{s.proposed.id}/reject/", {"reason": "Same place as another event that day."}


def reschedule(s: Scene):
    starts = s.event.starts_at + dt.timedelta(days=1)
    body = {"starts_at": starts.isoformat(), "ends_at": (starts + dt.timedelta(hours=2)).isoformat()}
    return "post", f"/api/v1/events/{s.event.id}/reschedule/", body


def cancel_event(s: Scene):
    return "post", f"/api/v1/events/{s.event.id}/cancel/", {"reason": "Storm warning."}


def register(s: Scene):
    return "post", f"/api/v1/events/{s.other_event.id}/registrations/", {}


def cancel_registration(s: Scene):
    return "post", f"/api/v1/registrations/{s.registration.id}/cancel/", {}


def read_pass(s: Scene):
    return "get", f"/api/v1/registrations/{s.registration.id}/pass/", None


def roster(s: Scene):
    return "get", f"/api/v1/events/{s.event.id}/roster/", None


def check_in(s: Scene):
    s.during_event()
    return "post", f"/api/v1/events/{s.event.id}/checkins/roster/", {"registration_id": str(s.registration.id)}


def undo_check_in(s: Scene):
    s.during_event()
    wrong = checkin_from_roster(actor=s.people["organiser"], event_id=s.event.id, registration_id=s.registration.id)
    return "post", f"/api/v1/events/{s.event.id}/checkins/{wrong.checkin.id}/undo/", {"reason": "Wrong name."}


def check_out(s: Scene):
    s.during_event()
    counted = checkin_from_roster(actor=s.people["organiser"], event_id=s.event.id, registration_id=s.registration.id)
    return "post", f"/api/v1/events/{s.event.id}/checkouts/", {"checkin_id": str(counted.checkin.id)}


def log_result(s: Scene):
    s.after_event()
    body = {"waste_kg": {"plastic": "12.5"}, "trees": 0, "area_ha": "0.5", "headcount": 3}
    return "post", f"/api/v1/events/{s.event.id}/result/", body


def verify_result(s: Scene):
    s.after_event()
    result = result_log(
        actor=s.people["organiser"], event_id=s.event.id, waste_kg={"mixed": "30"}, trees=0, area_ha="0", headcount=2
    )
    return (
        "post",
        f"/api/v1/events/{s.event.id}/result/verify/",
        {"decision": "accepted", "result_version": result.version},
    )


# --- accounts, organisations and roles (volunteers/api) ---------------------------------------------


def sign_up(s: Scene):
    body = {"email": "asel@taza.test", "password": "kokterek-2026-taza", "display_name": "Asel"}
    return "post", "/api/v1/auth/signup/", body


def verify_email(s: Scene):
    user = User.objects.create_user("asel@taza.test", "kokterek-2026-taza")
    address = EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    return "post", "/api/v1/auth/email/verify/", {"key": EmailConfirmationHMAC(address).key}


def organisations(s: Scene):
    return "get", "/api/v1/organisations/", None


def add_organisation(s: Scene):
    # An organisation in Astana: the eco-club's coordinator may, the Almaty one may not.
    return "post", "/api/v1/organisations/", {"name": "Astana school No. 5", "kind": "school", "region": "KZ-71"}


def members(s: Scene):
    return "get", f"/api/v1/organisations/{s.event.organisation_id}/members/", None


def join(s: Scene):
    return "post", f"/api/v1/organisations/{s.event.organisation_id}/members/", {}


def add_member(s: Scene):
    # The school's organiser, moved to the eco-club: only an admin moves an organiser.
    volunteer_id = str(s.people["other_organiser"].volunteer_id)
    return "post", f"/api/v1/organisations/{s.event.organisation_id}/members/", {"volunteer_id": volunteer_id}


def remove_organiser(s: Scene):
    organiser = s.people["organiser"]
    return "delete", f"/api/v1/organisations/{organiser.organisation_id}/members/{organiser.volunteer_id}/", None


def accounts(s: Scene):
    return "get", "/api/v1/volunteers/", None


def account(s: Scene):
    return "get", f"/api/v1/volunteers/{s.people['volunteer'].volunteer_id}/", None


def grant_role(s: Scene):
    return "post", f"/api/v1/volunteers/{s.people['volunteer'].volunteer_id}/roles/", {"role": "organiser"}


def revoke_role(s: Scene):
    return "delete", f"/api/v1/volunteers/{s.people['organiser'].volunteer_id}/roles/organiser/", None


EVERYONE = set(ROLES) - {"anonymous"}
# action: (request, roles that may, status when allowed, status when refused)
MATRIX = {
    "propose": (propose, {"organiser", "admin"}, 201, 403),
    # a new title of an approved event waits for the coordinator: 202
    "edit": (edit, {"organiser", "admin"}, 202, 403),
    # a proposed event does not exist for those who may not see it: 404, as reading it; its own
    # organiser sees it and is refused
    "approve": (approve, {"coordinator", "admin"}, 200, {"organiser": 403, "*": 404}),
    "reject": (reject, {"coordinator", "admin"}, 200, {"organiser": 403, "*": 404}),
    "reschedule": (reschedule, {"organiser", "admin"}, 200, 403),
    "cancel_event": (cancel_event, {"organiser", "admin"}, 200, 403),
    "register": (register, EVERYONE, 201, 403),
    # someone else's registration does not exist for you: 404, not 403 (writing as reading)
    "cancel_registration": (cancel_registration, {"volunteer", "admin"}, 200, 404),
    "read_pass": (read_pass, {"volunteer", "admin"}, 200, 404),
    "roster": (roster, {"organiser", "coordinator", "admin"}, 200, 403),
    "check_in": (check_in, {"organiser", "admin"}, 201, 403),
    # the volunteer's own check-out, which they may give themselves; someone else's check-in does
    # not exist for those who may not check it out: 404, as a registration
    "check_out": (check_out, {"volunteer", "organiser", "admin"}, 200, 404),
    "undo_check_in": (undo_check_in, {"organiser", "coordinator", "admin"}, 200, 403),
    "log_result": (log_result, {"organiser", "admin"}, 201, 403),
    "verify_result": (verify_result, {"coordinator", "admin"}, 200, 403),
    # signing up needs no account, and a token sent along changes nothing
    "sign_up": (sign_up, set(ROLES), 202, None),
    "verify_email": (verify_email, set(ROLES), 200, None),
    "organisations": (organisations, set(ROLES), 200, None),
    # an admin anywhere, a coordinator in their own region (the eco-club's is Astana's)
    "add_organisation": (add_organisation, {"coordinator", "admin"}, 201, 403),
    # those who answer for the eco-club: its organiser, Astana's coordinator, admins
    "members": (members, {"organiser", "coordinator", "admin"}, 200, 403),
    # anyone joins for themselves, except organisers, whom only an admin moves
    "join": (join, EVERYONE - {"organiser", "other_organiser"}, 200, 403),
    "add_member": (add_member, {"admin"}, 200, 403),
    # an organiser leaves by themselves; an admin removes anyone
    "remove_organiser": (remove_organiser, {"organiser", "admin"}, 204, 403),
    "accounts": (accounts, {"admin"}, 200, 403),
    "account": (account, {"admin"}, 200, 403),
    "grant_role": (grant_role, {"admin"}, 200, 403),
    "revoke_role": (revoke_role, {"admin"}, 200, 403),
}


@pytest.fixture
def scene(
    make_event,
    organiser,
    other_organiser,
    coordinator,
    other_coordinator,
    admin,
    volunteer,
    volunteers,
    client_for,
    time_machine,
) -> Scene:
    event = make_event()
    proposed = make_event(approved=False, title="Park clean-up")
    people = {
        "volunteer": volunteer,
        "other_volunteer": volunteers[0],
        "organiser": organiser,
        "other_organiser": other_organiser,
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "admin": admin,
    }
    return Scene(
        people=people,
        event=event,
        proposed=proposed,
        other_event=make_event(title="Botanical garden clean-up"),
        registration=registration_create(actor=volunteer, event_id=event.id),
        travel=lambda delta: time_machine.move_to(event.starts_at + delta, tick=False),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", MATRIX)
def test_roles_matrix(scene, client_for, role, action):
    make_request, allowed, ok, refused = MATRIX[action]
    method, url, body = make_request(scene)
    client = client_for(scene.people.get(role)) if role != "anonymous" else APIClient()
    facts_before = Fact.objects.count()

    response = getattr(client, method)(url, body, format="json")

    if role in allowed:
        assert response.status_code == ok, (role, action, response.content)
    else:
        # Anonymous requests are stopped before any lookup: always 401 not_authenticated.
        if isinstance(refused, dict):
            refused = refused.get(role, refused["*"])
        assert response.status_code == (401 if role == "anonymous" else refused), (role, action, response.json())
        assert response.json()["error"]["code"] in {
            "permission_denied",
            "not_authenticated",
            "event_not_found",
            "registration_not_found",
            "checkin_not_found",
            "admin_required",
            "organiser_moved_by_admin",
        }
        assert Fact.objects.count() == facts_before
