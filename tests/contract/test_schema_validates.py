"""The schema clients are served validates with drf-spectacular's --fail-on-warn, and is that schema.

`manage.py spectacular --validate --fail-on-warn` checks the document against the OpenAPI 3
specification and fails on any warning drf-spectacular raises while generating it (a view it could
not introspect, a serializer field it had to guess, colliding component names). It is run as a
client generator would get the schema: in English; and what it generated must be exactly what
GET /api/schema/ serves, or the validation would prove nothing about the served document.
"""

from __future__ import annotations

import json

import pytest
from django.test import RequestFactory
from django.urls import resolve

from tests.live import django_env, run_manage

pytestmark = pytest.mark.slow


def served_schema() -> dict:
    """GET /api/schema/ as an anonymous client without Accept-Language sends it."""
    request = RequestFactory().get("/api/schema/", {"format": "json"})
    response = resolve("/api/schema/").func(request)
    response.render()
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_served_schema_validates_with_no_warning_at_all(tmp_path):
    schema_file = tmp_path / "schema.json"

    result = run_manage(
        "spectacular", "--validate", "--fail-on-warn", "--lang", "en", "--format", "openapi-json",
        "--file", str(schema_file),
        env=django_env(),
    )  # fmt: skip

    printed = (result.stdout + result.stderr).strip()
    assert (result.returncode, printed) == (0, "")
    assert json.loads(schema_file.read_text()) == served_schema()
