"""The regions and countries an instance serves, through the API: a default instance is Kazakhstan's,
as it always was; one serving several countries lists them all."""

import json

import pytest

from reference.models import Country, Region
from reference.regions import REGION_CODES, regions_ensure
from tests.live import django_env, run_python

pytestmark = pytest.mark.django_db

KAZAKHSTAN = {
    "code": "KZ",
    "name": "Казахстан",
    "name_local": "Қазақстан",
    "name_kk": "Қазақстан",
    "name_ru": "Казахстан",
    "name_en": "Kazakhstan",
    "time_zone": "Asia/Almaty",
    "population": 20033842,
    "population_year": 2024,
    "population_source": "Bureau of National Statistics, 1 January 2024",
    "region_count": 20,
}


def test_a_default_instance_serves_kazakhstan_and_its_20_regions(api_client):
    countries = api_client.get("/api/v1/countries/", HTTP_ACCEPT_LANGUAGE="ru")
    regions = api_client.get("/api/v1/regions/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert countries.status_code == 200
    assert countries.json() == [KAZAKHSTAN]
    assert len(REGION_CODES) == 20 and REGION_CODES[0] == "KZ-10" and REGION_CODES[-1] == "KZ-79"
    assert [region["code"] for region in regions] == list(REGION_CODES)
    assert regions[0] == {
        "code": "KZ-10",
        "kind": "region",
        "name": "Abai Region",
        "name_kk": "Абай облысы",
        "name_ru": "Абайская область",
        "name_en": "Abai Region",
        "centre_en": "Semey",
        "population": 600000,
        "country": "KZ",
        "name_local": "Абай облысы",
        "centre_local": "Семей",
        "centre_ru": "Семей",
    }
    assert Region.objects.get(code="KZ-63").zone.key == "Asia/Almaty"


def test_an_instance_serving_two_countries_lists_both_and_their_regions(api_client, settings):
    settings.TAZA_COUNTRIES = ["KZ", "KG"]
    Region.objects.filter(code="KZ-10").update(population=612_000)  # an admin's edit

    assert regions_ensure(Region) == 9
    assert regions_ensure(Region) == 0

    countries = api_client.get("/api/v1/countries/", HTTP_ACCEPT_LANGUAGE="en").json()
    regions = {region["code"]: region for region in api_client.get("/api/v1/regions/").json()}
    assert [(c["code"], c["name"], c["time_zone"], c["population"], c["region_count"]) for c in countries] == [
        ("KG", "Kyrgyzstan", "Asia/Bishkek", 6936000, 9),
        ("KZ", "Kazakhstan", "Asia/Almaty", 20033842, 20),
    ]
    assert len(regions) == 29
    assert sorted(code for code, region in regions.items() if region["country"] == "KG") == [
        "KG-B", "KG-C", "KG-GB", "KG-GO", "KG-J", "KG-N", "KG-O", "KG-T", "KG-Y"
    ]  # fmt: skip
    assert regions["KG-GB"] | {"name": None} == {
        "code": "KG-GB",
        "kind": "city",
        "name": None,
        "name_kk": "Бішкек қаласы",
        "name_ru": "город Бишкек",
        "name_en": "Bishkek",
        "centre_en": "Bishkek",
        "population": None,
        "country": "KG",
        "name_local": "Бишкек шаары",
        "centre_local": "Бишкек",
        "centre_ru": "Бишкек",
    }
    assert regions["KZ-10"]["population"] == 612_000
    assert Region.objects.get(code="KG-Y").zone.key == "Asia/Bishkek"


def test_regions_ensure_keeps_edits_and_fills_only_the_new_empty_fields(settings):
    Region.objects.filter(code="KZ-71").update(name_en="Astana (edited)", name_local="", centre_ru="")
    Country.objects.filter(code="KZ").update(population=20_100_000)

    assert regions_ensure(Region) == 0

    astana = Region.objects.get(code="KZ-71")
    assert (astana.name_en, astana.name_local, astana.centre_ru) == ("Astana (edited)", "Астана қаласы", "Астана")
    assert Country.objects.get(code="KZ").population == 20_100_000


ENUM = """
import django, json
django.setup()
from drf_spectacular.generators import SchemaGenerator
from reference.regions import REGION_CODES
schema = SchemaGenerator().get_schema(request=None, public=True)
print(json.dumps([REGION_CODES, schema["components"]["schemas"]["RegionCodeEnum"]["enum"]]))
"""


@pytest.mark.parametrize(
    ("countries", "count", "first", "last"),
    [(None, 20, "KZ-10", "KZ-79"), ("KZ,KG,TJ,TM,UZ", 54, "KG-B", "UZ-XO"), ("uz", 14, "UZ-AN", "UZ-XO")],
)
def test_the_api_enum_of_regions_is_the_served_countries_codes(countries, count, first, last):
    result = run_python(ENUM, env=django_env(TAZA_COUNTRIES=countries))

    assert result.returncode == 0, result.stderr
    codes, enum = json.loads(result.stdout.strip().splitlines()[-1])
    assert codes == enum and len(codes) == count and (codes[0], codes[-1]) == (first, last)


def test_an_unknown_country_is_refused_at_start():
    result = run_python(
        "import django; django.setup(); import reference.regions", env=django_env(TAZA_COUNTRIES="KZ,XX")
    )

    assert result.returncode != 0
    assert "TAZA_COUNTRIES must name one or more of KZ, KG, TJ, TM, UZ; got ['KZ', 'XX']." in result.stderr
