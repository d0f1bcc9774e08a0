"""Organisations and their members through the API: who adds them, who joins, who sees whom."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from reference.models import Region
from tests.volunteers.factories import user_create
from volunteers.models import Organisation, User
from volunteers.roles import Role
from volunteers.services import role_grant

pytestmark = pytest.mark.django_db

ASTANA, ABAI = "KZ-71", "KZ-10"


def client_of(user: User | None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def eco_club() -> Organisation:
    return Organisation.objects.create(name_en="ENU Eco-club", kind="university", region_id=ASTANA)


@pytest.fixture
def people(eco_club) -> dict[str, User]:
    admin = role_grant(user=user_create(email="admin@example.kz", display_name="Admin"), role=Role.ADMIN)
    coordinator = role_grant(
        user=user_create(email="saule@example.kz", display_name="Saule"),
        role=Role.COORDINATOR,
        region=Region.objects.get(pk=ASTANA),
    )
    organiser = role_grant(user=user_create(email="arman@example.kz", display_name="Arman"), role=Role.ORGANISER)
    organiser.organisation = eco_club
    organiser.save(update_fields=["organisation"])
    student = user_create(email="aigerim@example.kz", display_name="Aigerim")
    student.organisation = eco_club
    student.save(update_fields=["organisation"])
    return {
        "admin": admin,
        "coordinator": coordinator,
        "organiser": organiser,
        "student": student,
        "volunteer": user_create(email="dana@example.kz", display_name="Dana"),
    }


def test_anyone_lists_organisations_by_name_and_filters_them(eco_club):
    Organisation.objects.create(name_en="Abai green NGO", kind="ngo", region_id=ABAI)
    Organisation.objects.create(name_en="Astana school No. 5", kind="school", region_id=ASTANA)

    everything = client_of(None).get("/api/v1/organisations/")
    in_astana = client_of(None).get("/api/v1/organisations/", {"region": ASTANA, "kind": "university"})

    assert everything.status_code == 200
    assert [o["name"] for o in everything.json()["results"]] == [
        "Abai green NGO",
        "Astana school No. 5",
        "ENU Eco-club",
    ]
    assert in_astana.json()["count"] == 1
    assert in_astana.json()["results"] == [
        {
            "id": str(eco_club.id),
            "name": "ENU Eco-club",
            "name_by_language": {"en": "ENU Eco-club"},
            "kind": "university",
            "region": ASTANA,
            "region_name": "Astana",
            "created_at": in_astana.json()["results"][0]["created_at"],
        }
    ]


def test_an_unknown_kind_or_id_is_refused_in_the_error_shape(eco_club):
    kind = client_of(None).get("/api/v1/organisations/", {"kind": "club"})
    missing = client_of(None).get("/api/v1/organisations/not-an-id/")

    assert kind.status_code == 400
    assert kind.json()["error"]["fields"] == {"kind": ['"club" is not a valid choice.']}
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "organisation_not_found"


def test_a_coordinator_adds_an_organisation_in_their_region_with_its_name_tidied(people):
    response = client_of(people["coordinator"]).post(
        "/api/v1/organisations/",
        {"name": "  Astana   school No. 5 ", "kind": "school", "region": ASTANA},
        format="json",
    )

    assert response.status_code == 201
    created = Organisation.objects.get(pk=response.json()["id"])
    assert (created.name, created.kind, created.region_id) == ("Astana school No. 5", "school", ASTANA)
    assert response.json()["name"] == "Astana school No. 5"


def test_a_coordinator_adds_none_elsewhere_and_an_organiser_none_at_all(people):
    body = {"name": "Semey school No. 12", "kind": "school", "region": ABAI}

    elsewhere = client_of(people["coordinator"]).post("/api/v1/organisations/", body, format="json")
    organiser = client_of(people["organiser"]).post("/api/v1/organisations/", {**body, "region": ASTANA}, format="json")

    for response in (elsewhere, organiser):
        assert response.status_code == 403
        assert response.json()["error"] == {
            "code": "permission_denied",
            "message": "Only an admin, or the coordinator of its region, adds an organisation.",
            "fields": {},
        }
    assert Organisation.objects.count() == 1


def test_a_name_taken_in_the_region_in_any_case_is_a_conflict_and_adds_nothing(people):
    response = client_of(people["admin"]).post(
        "/api/v1/organisations/", {"name": "enu eco-CLUB", "kind": "ngo", "region": ASTANA}, format="json"
    )
    same_name_elsewhere = client_of(people["admin"]).post(
        "/api/v1/organisations/", {"name": "ENU Eco-club", "kind": "ngo", "region": ABAI}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "organisation_exists",
        "message": "The region already has an organisation of this name.",
        "fields": {"name": ["The region already has an organisation of this name."]},
    }
    assert same_name_elsewhere.status_code == 201
    assert sorted(Organisation.objects.values_list("region_id", flat=True)) == [ABAI, ASTANA]


def test_bad_input_names_each_field_and_adds_nothing(people):
    response = client_of(people["admin"]).post(
        "/api/v1/organisations/", {"name": "", "kind": "club", "region": "KZ-99"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "name": ["Write it in at least one language: Kazakh, Russian or English."],
        "kind": ['"club" is not a valid choice.'],
        "region": ['"KZ-99" is not a valid choice.'],
    }
    assert Organisation.objects.count() == 1


def test_members_are_shown_to_those_who_answer_for_the_organisation_without_their_ids(people, eco_club):
    organisers_view = client_of(people["organiser"]).get(f"/api/v1/organisations/{eco_club.id}/members/")
    admins_view = client_of(people["admin"]).get(f"/api/v1/organisations/{eco_club.id}/members/")

    assert organisers_view.status_code == 200
    assert organisers_view.json()["results"] == [
        {"volunteer_id": None, "display_name": "Arman", "is_organiser": True},
        {"volunteer_id": None, "display_name": "Aigerim", "is_organiser": False},
    ]
    assert [m["volunteer_id"] for m in admins_view.json()["results"]] == [
        str(people["organiser"].volunteer_id),
        str(people["student"].volunteer_id),
    ]


def test_its_volunteers_do_not_see_one_another(people, eco_club):
    response = client_of(people["student"]).get(f"/api/v1/organisations/{eco_club.id}/members/")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_a_volunteer_joins_for_themselves_and_leaves_again(people, eco_club):
    dana = people["volunteer"]

    joined = client_of(dana).post(f"/api/v1/organisations/{eco_club.id}/members/", {}, format="json")

    assert joined.status_code == 200
    assert joined.json() == {"volunteer_id": None, "display_name": "Dana", "is_organiser": False}
    dana.refresh_from_db()
    assert dana.organisation_id == eco_club.id

    left = client_of(dana).delete(f"/api/v1/organisations/{eco_club.id}/members/{dana.volunteer_id}/")

    assert left.status_code == 204
    dana.refresh_from_db()
    assert dana.organisation_id is None


def test_an_organiser_cannot_join_an_organisation_but_an_admin_moves_them(people):
    school = Organisation.objects.create(name_en="Astana school No. 5", kind="school", region_id=ASTANA)
    arman = people["organiser"]

    refused = client_of(arman).post(f"/api/v1/organisations/{school.id}/members/", {}, format="json")

    assert refused.status_code == 403
    assert refused.json()["error"] == {
        "code": "organiser_moved_by_admin",
        "message": "Organisers act for their organisation: only an admin moves them to another one.",
        "fields": {},
    }
    arman.refresh_from_db()
    assert arman.organisation.name == "ENU Eco-club"

    moved = client_of(people["admin"]).post(
        f"/api/v1/organisations/{school.id}/members/", {"volunteer_id": str(arman.volunteer_id)}, format="json"
    )

    assert moved.status_code == 200
    assert moved.json() == {"volunteer_id": str(arman.volunteer_id), "display_name": "Arman", "is_organiser": True}
    arman.refresh_from_db()
    assert arman.organisation_id == school.id


def test_a_volunteer_adds_nobody_else_and_removes_nobody_else(people, eco_club):
    dana, aigerim = people["volunteer"], people["student"]

    added = client_of(dana).post(
        f"/api/v1/organisations/{eco_club.id}/members/", {"volunteer_id": str(aigerim.volunteer_id)}, format="json"
    )
    removed = client_of(dana).delete(f"/api/v1/organisations/{eco_club.id}/members/{aigerim.volunteer_id}/")

    assert (added.status_code, added.json()["error"]["code"]) == (403, "admin_required")
    assert (removed.status_code, removed.json()["error"]["code"]) == (403, "admin_required")
    aigerim.refresh_from_db()
    assert aigerim.organisation_id == eco_club.id


def test_leaving_an_organisation_one_is_not_in_is_not_found(people):
    school = Organisation.objects.create(name_en="Astana school No. 5", kind="school", region_id=ASTANA)
    dana = people["volunteer"]

    response = client_of(dana).delete(f"/api/v1/organisations/{school.id}/members/{dana.volunteer_id}/")
    unknown = client_of(people["admin"]).post(
        f"/api/v1/organisations/{school.id}/members/", {"volunteer_id": "0191e5a3-0000-7000-8000-000000000000"},
        format="json",
    )  # fmt: skip

    assert (response.status_code, response.json()["error"]["code"]) == (404, "member_not_found")
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "volunteer_not_found")


def test_a_body_is_read_as_the_schema_types_it_and_a_blank_filter_is_refused(people, eco_club):
    response = client_of(people["admin"]).post(
        "/api/v1/organisations/", {"name": 12345, "kind": "school", "region": ASTANA}, format="json"
    )
    member = client_of(people["admin"]).post(
        f"/api/v1/organisations/{eco_club.id}/members/", {"volunteer_id": 7}, format="json"
    )
    blank = client_of(None).get("/api/v1/organisations/", {"kind": "", "region": "KZ-71"})

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "name": ["Give a text (a JSON string), or an object with texts under any of the keys kk, ru and en."]
    }
    assert member.json()["error"]["fields"] == {"volunteer_id": ["Give a text (a JSON string)."]}
    assert Organisation.objects.count() == 1
    assert (blank.status_code, blank.json()["error"]["fields"]) == (
        400,
        {"kind": ["Give a value, or leave the parameter out."]},
    )


def test_refusals_come_in_the_language_of_the_request(people):
    school = Organisation.objects.create(name_en="Astana school No. 5", kind="school", region_id=ASTANA)
    url = f"/api/v1/organisations/{school.id}/members/"

    kazakh = client_of(people["organiser"]).post(url, {}, format="json", HTTP_ACCEPT_LANGUAGE="kk")
    russian = client_of(people["organiser"]).post(url, {}, format="json", HTTP_ACCEPT_LANGUAGE="ru")

    assert kazakh.json()["error"]["message"] == (
        "Ұйымдастырушылар өз ұйымының атынан әрекет етеді: оларды басқа ұйымға тек әкімші ауыстырады."
    )
    assert russian.json()["error"]["message"] == (
        "Организаторы действуют от имени своей организации: перевести их в другую может только администратор."
    )
