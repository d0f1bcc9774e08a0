"""The OpenAPI schema is valid and the interactive docs at /api/docs/ work with no internet."""

import json
import re

import pytest

from tests.live import django_env, run_manage

pytestmark = pytest.mark.django_db


def test_docs_page_loads_only_local_assets(client):
    # Given the interactive docs page
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()

    # Then every stylesheet, script and icon it loads comes from this site's /static/, and the script
    # that starts Swagger UI is a file of its own (the CSP runs no inline script) …
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert [asset for asset in assets if not asset.startswith("/static/drf_spectacular_sidecar/swagger-ui-dist/")] == [
        "/static/frontend/api_docs.css",
        "/api/docs/?script=",
    ]
    assert len(assets) == 6  # + icon, swagger-ui.css, swagger-ui-bundle.js, standalone preset
    assert "<script>" not in page and "<style>" not in page
    # … and is really served, so the page works with no internet at all
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    assert "http://" not in page
    assert "https://" not in page
    start = client.get("/api/docs/?script=")
    assert start["Content-Type"] == "application/javascript"
    assert 'url: "/api/schema/"' in start.content.decode()


def test_schema_is_served_as_openapi_json(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"] == "3.0.3"
    assert schema["info"]["title"] == "Taza API"
    regions = schema["paths"]["/api/v1/regions/"]
    assert set(regions) == {"get"}
    assert regions["get"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "type": "array",
        "items": {"$ref": "#/components/schemas/Region"},
    }


@pytest.mark.slow
def test_schema_validates_against_the_openapi_specification_without_warnings(tmp_path):
    # Given the schema generated the way a client generator would fetch it
    # When drf-spectacular validates it, failing on any warning about an undocumented view
    schema_file = tmp_path / "schema.json"
    result = run_manage(
        "spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(schema_file),
        env=django_env(),
    )  # fmt: skip

    # Then it is valid OpenAPI 3 with every API path documented
    assert result.returncode == 0, result.stderr
    schema = json.loads(schema_file.read_text())
    assert "/api/v1/regions/" in schema["paths"]
    assert all(path.startswith("/api/v1/") for path in schema["paths"])


def test_every_endpoint_that_needs_an_account_documents_the_401_and_no_public_one_does(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operations = {(method, path): op for path, ops in schema["paths"].items() for method, op in ops.items()}

    needs_account = {key for key, op in operations.items() if {} not in op.get("security", [{}])}

    def codes_401(op: dict) -> set[str]:
        return set(op["responses"]["401"]["content"]["application/json"]["examples"])

    documented = {key for key, op in operations.items() if "not_authenticated" in codes_401(op)}
    assert documented == needs_account
    # and every operation, public or not, says that a bad token is refused
    assert {key for key, op in operations.items() if "authentication_failed" in codes_401(op)} == set(operations)
    assert {("get", "/api/v1/me/"), ("post", "/api/v1/events/{event_id}/registrations/")} <= needs_account
    assert ("get", "/api/v1/stats/national/") not in needs_account

    # and the answer it documents is the project's one error format
    answer = operations[("get", "/api/v1/me/")]["responses"]["401"]["content"]["application/json"]
    assert answer["schema"] == {"$ref": "#/components/schemas/Error"}
    assert "Error" in schema["components"]["schemas"]
    assert answer["examples"]["not_authenticated"]["value"]["error"]["code"] == "not_authenticated"


def test_the_schema_is_in_english_unless_a_language_is_asked_for(client):
    # The site's default language is Kazakh: a client that sends no Accept-Language still gets
    # the contract in English, and `?lang=` gives a translation on purpose.
    def offset_description(response):
        parameters = response.json()["paths"]["/api/v1/events/"]["get"]["parameters"]
        return next(p["description"] for p in parameters if p["name"] == "offset")

    assert offset_description(client.get("/api/schema/", {"format": "json"})) == (
        "The initial index from which to return the results."
    )
    kazakh = client.get("/api/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE="kk")
    assert offset_description(kazakh) == "The initial index from which to return the results."
    assert offset_description(client.get("/api/schema/", {"format": "json", "lang": "ru"})) != (
        "The initial index from which to return the results."
    )
