"""What a page answers when a service says "no such thing" or "not you", and who may open the
organisers' and coordinators' pages: the site's 404 and 403, and a visitor is asked to sign in."""

import pytest
from django.http import HttpResponse

from events.errors import EventFull, NotAllowed, RegistrationNotFound
from events.models import Event
from frontend.errors import RefusalPageMiddleware
from ledger.models import Fact
from reference.models import Region
from tests.browser.world import person
from volunteers.models import Organisation
from volunteers.roles import Role
from volunteers.services import role_grant

pytestmark = pytest.mark.django_db

NOBODY = "00000000-0000-7000-8000-000000000000"  # an id nothing has


def test_what_does_not_exist_is_the_sites_404_on_every_page(client, world, dana):
    not_found = client.get("/no-such-address/")
    assert not_found.status_code == 404

    public = [
        client.get(f"/events/{NOBODY}/"),
        client.get(f"/events/{world.proposed.id}/"),
        client.get(f"/campaigns/{NOBODY}/"),
        client.get("/regions/KZ-00/"),
    ]
    client.force_login(dana)
    own = [
        client.get(f"/me/passes/{NOBODY}/"),
        client.post(f"/events/{NOBODY}/check-in/", {"code": "ABC123"}),
    ]
    client.force_login(world.organiser)
    organising = [
        client.get(f"/organise/events/{NOBODY}/"),
        client.get(f"/organise/events/{NOBODY}/roster/"),
        client.get(f"/organise/events/{NOBODY}/result/"),
        client.post(f"/organise/events/{NOBODY}/cancel/", {"reason": "Rain"}),
    ]
    client.force_login(world.coordinator)
    coordinating = [client.get(f"/coordinate/events/{NOBODY}/verify/")]

    answers = public + own + organising + coordinating
    assert [answer.status_code for answer in answers] == [404] * 11
    assert {answer.content for answer in answers} == {not_found.content}


def test_an_event_someone_else_runs_is_the_sites_403(client, world, dana):
    client.force_login(dana)
    forbidden = client.get("/organise/")
    assert forbidden.status_code == 403

    # Given an organiser of another club and the coordinator of another region
    club = Organisation.objects.create(name_en="Almaty Green", kind=Organisation.Kind.NGO, region_id="KZ-75")
    other_organiser = person("baurzhan@taza.test", "Baurzhan", Role.ORGANISER, organisation=club)
    other_coordinator = person("gulnar@taza.test", "Gulnar")
    role_grant(user=other_coordinator, role=Role.COORDINATOR, region=Region.objects.get(pk="KZ-75"))

    client.force_login(other_organiser)
    organising = [
        client.get(f"/organise/events/{world.soon.id}/"),
        client.get(f"/organise/events/{world.soon.id}/edit/"),
        client.post(f"/organise/events/{world.soon.id}/cancel/", {"reason": "Rain"}),
    ]
    client.force_login(other_coordinator)
    coordinating = [client.get(f"/coordinate/events/{world.soon.id}/verify/")]

    answers = organising + coordinating
    assert [answer.status_code for answer in answers] == [403] * 4
    assert {answer.content for answer in answers} == {forbidden.content}
    assert Event.objects.get(pk=world.soon.id).status == "approved"


ROLE_PAGES = [
    "/organise/",
    "/organise/events/new/",
    "/coordinate/",
]


def test_a_visitor_is_asked_to_sign_in_by_the_organisers_and_coordinators_pages(client, world):
    event = world.soon.id
    pages = [
        *ROLE_PAGES,
        f"/organise/events/{event}/",
        f"/organise/events/{event}/result/",
        f"/coordinate/events/{event}/verify/",
    ]

    answers = [client.get(page) for page in pages]
    approve = client.post(f"/coordinate/events/{world.proposed.id}/approve/")

    assert [(answer.status_code, answer.url) for answer in answers] == [
        (302, f"/accounts/login/?next={page}") for page in pages
    ]
    assert (approve.status_code, approve.url) == (
        302,
        f"/accounts/login/?next=/coordinate/events/{world.proposed.id}/approve/",
    )


@pytest.mark.parametrize(
    ("who", "statuses"),
    [
        ("volunteer", [403, 403, 403]),
        ("organiser", [200, 200, 403]),
        ("coordinator", [403, 403, 200]),
        ("admin", [200, 200, 200]),
    ],
)
def test_each_role_opens_its_own_pages(client, world, dana, who, statuses):
    user = {"volunteer": dana, "organiser": world.organiser, "coordinator": world.coordinator, "admin": world.admin}
    client.force_login(user[who])

    assert [client.get(page).status_code for page in ROLE_PAGES] == statuses


def test_the_role_is_asked_before_the_method_and_a_refusal_records_nothing(client, world, dana):
    approve = f"/coordinate/events/{world.proposed.id}/approve/"
    cancel = f"/organise/events/{world.soon.id}/cancel/"
    facts = Fact.objects.count()

    client.force_login(dana)
    as_volunteer = [client.get(approve).status_code, client.post(approve).status_code, client.get(cancel).status_code]
    client.force_login(world.coordinator)
    as_coordinator = client.get(approve).status_code
    client.force_login(world.organiser)
    as_organiser = client.get(cancel).status_code

    assert as_volunteer == [403, 403, 403]
    assert (as_coordinator, as_organiser) == (405, 200)  # the organiser is asked to confirm
    assert Fact.objects.count() == facts
    assert Event.objects.get(pk=world.proposed.id).status == "proposed"


def test_a_refusal_of_another_status_is_left_to_django(rf):
    # A conflict no view caught is a bug of that view, not a page: Django answers it as before (a 500).
    middleware = RefusalPageMiddleware(lambda request: HttpResponse())
    request = rf.get("/organise/")

    assert middleware.process_exception(request, EventFull()) is None
    assert middleware.process_exception(request, ValueError("not a refusal")) is None
    assert middleware.process_exception(request, RegistrationNotFound()).status_code == 404
    assert middleware.process_exception(request, NotAllowed()).status_code == 403
