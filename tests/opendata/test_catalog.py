"""The DCAT-AP catalogue, harvested as a portal would: JSON-LD at a stable URL, every required property."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from opendata.release import release_make

pytestmark = pytest.mark.django_db

SITE = "https://taza.example.kz"
EU = "http://publications.europa.eu/resource/authority"


def _languages(literals: list[dict]) -> list[str]:
    return [literal["@language"] for literal in literals]


def test_the_catalogue_names_the_releases_their_files_and_the_live_api_in_three_languages(world):
    release = release_make(day=world.today)

    answer = APIClient().get("/open-data/catalog.jsonld")

    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/ld+json"
    catalog = json.loads(answer.content)
    assert catalog["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert catalog["@context"]["dct"] == "http://purl.org/dc/terms/"
    assert (catalog["@id"], catalog["@type"]) == (f"{SITE}/open-data/catalog.jsonld", "dcat:Catalog")
    # DCAT-AP's mandatory properties of a catalogue: title, description, publisher, datasets.
    assert _languages(catalog["dct:title"]) == ["kk", "ru", "en"]
    assert catalog["dct:title"][2]["@value"] == "Taza open data"
    assert _languages(catalog["dct:description"]) == ["kk", "ru", "en"]
    assert catalog["dct:publisher"]["@type"] == "foaf:Agent"
    assert catalog["dct:license"] == {"@id": f"{EU}/licence/CC_BY_4_0"}
    assert catalog["dct:language"] == [{"@id": f"{EU}/language/{code}"} for code in ("KAZ", "RUS", "ENG")]
    regions = [place["@id"] for place in catalog["dct:spatial"]][1:]
    assert len(regions) == 20
    assert {"urn:iso:std:iso:3166:-2:KZ-10", "urn:iso:std:iso:3166:-2:KZ-33", "urn:iso:std:iso:3166:-2:KZ-62"} <= set(
        regions
    )

    series, dated = catalog["dcat:dataset"]
    assert series["@type"] == ["dcat:Dataset", "dcat:DatasetSeries"]
    assert _languages(series["dct:title"]) == _languages(series["dct:description"]) == ["kk", "ru", "en"]
    assert series["dct:accrualPeriodicity"] == {"@id": f"{EU}/frequency/DAILY"}
    assert series["dct:spatial"][0] == {"@id": f"{EU}/country/KAZ"}
    assert series["dct:spatial"][1]["dct:identifier"] == "KZ-10"
    assert series["dct:spatial"][1]["skos:prefLabel"][0] == {"@value": "Абай облысы", "@language": "kk"}
    api, *files = series["dcat:distribution"]
    assert api["dcat:accessService"] == {"@id": f"{SITE}/api/v1/"}
    assert api["dcat:accessURL"] == {"@id": f"{SITE}/api/v1/"}
    assert [f["dct:title"] for f in files] == [f["name"] for f in release.files]
    assert {"dumps.csv", "dump_liquidation.csv"} <= {f["dct:title"] for f in files}  # the dump registry's tables

    assert dated["@type"] == "dcat:Dataset"
    assert dated["dcat:inSeries"] == {"@id": series["@id"]}
    assert dated["dcat:version"] == release.name
    facts = dated["dcat:distribution"][0]
    url = f"{SITE}/api/v1/open-data/releases/{release.name}/facts.csv"
    assert (facts["@type"], facts["dcat:accessURL"], facts["dcat:downloadURL"]) == (
        "dcat:Distribution",
        {"@id": url},
        {"@id": url},
    )
    assert facts["dcat:mediaType"] == {"@id": "https://www.iana.org/assignments/media-types/text/csv"}
    assert facts["dct:format"] == {"@id": f"{EU}/file-type/CSV"}
    assert facts["dct:license"] == {"@id": f"{EU}/licence/CC_BY_4_0"}
    assert facts["spdx:checksum"]["spdx:checksumValue"] == release.files[0]["sha256"]

    (service,) = catalog["dcat:service"]
    assert (service["@type"], service["dcat:endpointURL"]) == ("dcat:DataService", {"@id": f"{SITE}/api/v1/"})
    assert service["dcat:endpointDescription"] == {"@id": f"{SITE}/api/schema/"}
    assert _languages(service["dct:title"]) == ["kk", "ru", "en"]


def test_the_licence_is_a_setting(world, settings):
    settings.TAZA_OPEN_DATA_LICENSE = "CC0-1.0"

    catalog = APIClient().get("/open-data/catalog.jsonld").json()

    assert catalog["dct:license"] == {"@id": f"{EU}/licence/CC0"}
    assert release_make(day=world.today).license == "CC0-1.0"
