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

    # Then every stylesheet, script and icon it loads comes from this site's /static/ …
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert len(assets) == 4  # icon, swagger-ui.css, swagger-ui-bundle.js, standalone preset
    assert all(asset.startswith("/static/drf_spectacular_sidecar/swagger-ui-dist/") for asset in assets), assets
    # … and is really served, so the page works with no internet at all
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    assert "http://" not in page
    assert "https://" not in page
    assert 'url: "/api/schema/"' in page


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
