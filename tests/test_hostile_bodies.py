"""Bodies no client would send, sent to every write operation of the API: always a 4xx in the
JSON error shape, never a 500, and nothing appended to the ledger.

The operations come from the OpenAPI schema itself, so a new write endpoint is covered the day
it is added. Path parameters are filled with ids that exist nowhere: the point is what happens
before and while the body is read, which for most views is the first thing they do.
"""

from __future__ import annotations

import json
import re
import uuid

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from ledger.models import Fact
from volunteers.models import User
from volunteers.roles import Role
from volunteers.services import role_grant

pytestmark = pytest.mark.django_db

DEEP = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000


def write_operations() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for path, item in schema["paths"].items():
        for method in item:
            if method in {"post", "put", "patch", "delete"}:
                url = re.sub(r"\{[^}]+\}", str(uuid.UUID(int=7)), path)
                operations.append((method, url))
    return sorted(operations)


OPERATIONS = write_operations()


@pytest.fixture
def as_admin() -> APIClient:
    admin = User.objects.create_user("root@taza.test", "taza-test-2026", display_name="Root")
    role_grant(user=admin, role=Role.ADMIN)
    client = APIClient()
    client.force_authenticate(admin)
    return client


def test_the_schema_lists_the_write_operations_this_test_walks():
    assert ("post", "/api/v1/auth/token/") in OPERATIONS
    assert ("post", f"/api/v1/events/{uuid.UUID(int=7)}/result/") in OPERATIONS
    assert len(OPERATIONS) >= 19


@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_json_nested_a_thousand_levels_deep_is_a_parse_error_everywhere(who, as_admin):
    client = APIClient() if who == "anonymous" else as_admin
    facts_before = Fact.objects.count()
    answers = {}
    for method, url in OPERATIONS:
        for body in (DEEP, DEEP_OBJECT):
            response = getattr(client, method)(url, data=body, content_type="application/json")
            assert 400 <= response.status_code < 500, (method, url, response.status_code)
            assert set(response.json()["error"]) == {"code", "message", "fields"}, (method, url)
            answers[(method, url)] = response.json()["error"]["code"]
    assert Fact.objects.count() == facts_before
    # Anyone may ask for a token, so there the body is read and refused for what it is.
    assert answers[("post", "/api/v1/auth/token/")] == "parse_error"


def test_a_body_over_the_upload_limit_is_413_in_the_json_shape(settings, as_admin):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default, named so the test says it
    big = json.dumps({"email": "a" * 10_000_000, "password": "x"})
    for client in (APIClient(), as_admin):
        response = client.post(
            "/api/v1/auth/token/", data=big, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 413
        assert response["Content-Type"] == "application/json"
        assert response.json() == {
            "error": {
                "code": "request_too_large",
                "message": "The request body is larger than the API accepts.",
                "fields": {},
            }
        }
