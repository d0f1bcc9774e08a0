"""What the API answers is what its schema says: real answers, validated against the served schema.

A client generated from /api/schema/ trusts every `nullable` and `format`; a field that is null
where the schema says it never is breaks such a client at run time. The OpenAPI 3.0 schemas are
turned into JSON Schema (nullable -> a null type, $ref into the components) and each answer of a
small story, as the public, a volunteer and the organiser see it, is validated against its operation.
"""

from __future__ import annotations

import copy

import jsonschema
import pytest
from rest_framework.test import APIClient

from events.services import registration_cancel, registration_create
from tests.answers import as_json_schema

pytestmark = pytest.mark.django_db


def validator_for(schema: dict, path: str, method: str, status: int) -> jsonschema.Draft202012Validator:
    components = schema["components"]["schemas"]
    answer = schema["paths"][path][method]["responses"][str(status)]["content"]["application/json"]["schema"]
    document = as_json_schema(copy.deepcopy(answer))
    document["$defs"] = {name: as_json_schema(copy.deepcopy(s)) for name, s in components.items()}
    return jsonschema.Draft202012Validator(document, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def conforms(schema, path, method, response) -> None:
    errors = [
        f"{list(e.absolute_path)}: {e.message}"
        for e in validator_for(schema, path, method, response.status_code).iter_errors(response.json())
    ]
    assert errors == [], (path, method, errors)


def test_event_and_registration_answers_match_the_schema(
    event, make_event, volunteer, volunteers, organiser, client_for
):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    # Given a full event (one place) with a waitlist, a cancelled place, and a search near a point
    full = make_event(title="Small planting", capacity=1)
    first = registration_create(actor=volunteers[0], event_id=full.id)
    waiting = registration_create(actor=volunteer, event_id=full.id)
    cancelled = registration_create(actor=volunteer, event_id=event.id)
    registration_cancel(actor=volunteer, registration_id=cancelled.id)

    public, own, organising = APIClient(), client_for(volunteer), client_for(organiser)
    # Then every answer matches its operation's schema, null fields included
    conforms(schema, "/api/v1/events/", "get", public.get("/api/v1/events/"))
    conforms(
        schema, "/api/v1/events/", "get", public.get("/api/v1/events/", {"lat": 51.12, "lon": 71.43, "radius_km": 5})
    )
    conforms(schema, "/api/v1/events/{event_id}/", "get", organising.get(f"/api/v1/events/{full.id}/"))
    conforms(schema, "/api/v1/events/{event_id}/", "get", public.get(f"/api/v1/events/{full.id}/"))
    mine = own.get("/api/v1/registrations/")
    conforms(schema, "/api/v1/registrations/", "get", mine)
    # (the story does reach the nullable values: a waiting place, a cancelled one, no distance)
    by_id = {r["id"]: r for r in mine.json()["results"]}
    assert by_id[str(waiting.id)]["waitlist_position"] == 1
    assert by_id[str(cancelled.id)]["pass_url"] is None
    assert public.get(f"/api/v1/events/{full.id}/").json()["short_code"] is None
    assert public.get(f"/api/v1/events/{full.id}/").json()["distance_km"] is None
    assert first.status == "registered"


def test_every_public_list_answers_as_its_schema_says(event, volunteer, client_for):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    registration_create(actor=volunteer, event_id=event.id)
    checked = []
    for path, item in schema["paths"].items():
        operation = item.get("get")
        if operation is None or "{" in path or "200" not in operation["responses"]:
            continue
        if "application/json" not in operation["responses"]["200"].get("content", {}):
            continue
        for client in (APIClient(), client_for(volunteer)):
            response = client.get(path, HTTP_ACCEPT="application/json")
            if response.status_code == 200:
                conforms(schema, path, "get", response)
                checked.append(path)
    assert {"/api/v1/events/", "/api/v1/campaigns/", "/api/v1/regions/", "/api/v1/facts/", "/api/v1/me/"} <= set(
        checked
    )
