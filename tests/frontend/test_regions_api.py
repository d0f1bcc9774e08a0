"""The regions endpoint names each region in the language of the request."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "abai", "astana"),
    [
        ("kk", "Абай облысы", "Астана қаласы"),
        ("ru", "Абайская область", "город Астана"),
        ("en", "Abai Region", "Astana"),
    ],
)
def test_the_20_regions_come_named_in_the_request_language(api_client, language, abai, astana):
    response = api_client.get("/api/v1/regions/", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    regions = {region["code"]: region for region in response.json()}
    assert len(regions) == 20
    assert regions["KZ-10"]["name"] == abai
    assert regions["KZ-71"]["name"] == astana
    assert (regions["KZ-10"]["name_kk"], regions["KZ-10"]["name_ru"], regions["KZ-10"]["name_en"]) == (
        "Абай облысы",
        "Абайская область",
        "Abai Region",
    )
    assert response["Content-Language"] == language
