"""The DCAT catalogue of the open data (JSON-LD, DCAT-AP 2/3), for the national and regional
portals to harvest: the catalogue, one dataset for the series of daily releases and one per release
(`dcat:inSeries`), a distribution per file, and the live API as a `dcat:DataService` with a
distribution that points at it (`dcat:accessService`).

Titles and descriptions are given in Kazakh, Russian and English (language-tagged literals); the
spatial coverage is Kazakhstan (EU country vocabulary) and each region by its ISO 3166-2 code
(`urn:iso:std:iso:3166:-2:KZ-xx`, the codes of reference.Region).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from opendata.licenses import configured_license, license_uri
from opendata.models import Release
from reference.models import Region

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
LANGUAGES = ("kk", "ru", "en")
EU = "http://publications.europa.eu/resource/authority"
LANGUAGE_URIS = {"kk": f"{EU}/language/KAZ", "ru": f"{EU}/language/RUS", "en": f"{EU}/language/ENG"}
FILE_TYPES = {"text/csv": "CSV", "application/zip": "ZIP", "application/json": "JSON"}
IANA = "https://www.iana.org/assignments/media-types/"


def _in_every_language(text) -> list[dict]:
    """A translatable (lazy) text as one literal per interface language."""
    out = []
    for language in LANGUAGES:
        with translation.override(language):
            out.append({"@value": str(text), "@language": language})
    return out


def _date_time(value) -> dict:
    return {"@value": value.isoformat(), "@type": "xsd:dateTime"}


def _spatial() -> list[dict]:
    places = [{"@id": f"{EU}/country/KAZ"}]
    for region in Region.objects.order_by("code"):
        places.append(
            {
                "@id": f"urn:iso:std:iso:3166:-2:{region.code}",
                "@type": "dct:Location",
                "dct:identifier": region.code,
                "skos:prefLabel": [
                    {"@value": region.name_kk, "@language": "kk"},
                    {"@value": region.name_ru, "@language": "ru"},
                    {"@value": region.name_en, "@language": "en"},
                ],
            }
        )
    return places


def _distribution(site: str, release: Release, file: dict, license_ref: dict) -> dict:
    url = f"{site}/api/v1/open-data/releases/{release.name}/{file['name']}"
    return {
        "@id": url,
        "@type": "dcat:Distribution",
        "dct:title": file["name"],
        "dcat:accessURL": {"@id": url},
        "dcat:downloadURL": {"@id": url},
        "dcat:mediaType": {"@id": IANA + file["mediatype"]},
        "dct:format": {"@id": f"{EU}/file-type/{FILE_TYPES[file['mediatype']]}"},
        "dcat:byteSize": {"@value": str(file["bytes"]), "@type": "xsd:nonNegativeInteger"},
        "spdx:checksum": {
            "@type": "spdx:Checksum",
            "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
            "spdx:checksumValue": file["sha256"],
        },
        "dct:license": license_ref,
    }


def dcat_catalog() -> dict:
    """The catalogue as JSON-LD (compacted with CONTEXT)."""
    site = settings.SITE_URL.rstrip("/")
    license_ref = {"@id": license_uri(configured_license())}
    publisher = {
        "@id": f"{site}/",
        "@type": "foaf:Agent",
        "foaf:name": _in_every_language(_("Taza")),
        "foaf:homepage": {"@id": f"{site}/"},
    }
    contact = {
        "@type": "vcard:Organization",
        "vcard:fn": "Taza",
        "vcard:hasEmail": {"@id": f"mailto:{settings.TAZA_CONTACT_EMAIL}"},
    }
    spatial = _spatial()
    keywords = [kw for text in (_("clean-up"), _("tree planting"), _("volunteers")) for kw in _in_every_language(text)]
    api_service = {
        "@id": f"{site}/api/v1/",
        "@type": "dcat:DataService",
        "dct:title": _in_every_language(_("Taza public API")),
        "dct:description": _in_every_language(
            _("The live figures and the public fact feed, as JSON or CSV, with no account.")
        ),
        "dcat:endpointURL": {"@id": f"{site}/api/v1/"},
        "dcat:endpointDescription": {"@id": f"{site}/api/schema/"},
        "dct:license": license_ref,
        "dcat:servesDataset": {"@id": f"{site}/open-data/#releases"},
    }
    api_distribution = {
        "@id": f"{site}/api/v1/facts/",
        "@type": "dcat:Distribution",
        "dct:title": _in_every_language(_("The public fact feed (live API)")),
        "dcat:accessURL": {"@id": f"{site}/api/v1/"},
        "dcat:accessService": {"@id": api_service["@id"]},
        "dcat:mediaType": {"@id": IANA + "application/json"},
        "dct:format": {"@id": f"{EU}/file-type/JSON"},
        "dct:license": license_ref,
    }
    releases = list(Release.objects.order_by("-made_at"))
    series = {
        "@id": f"{site}/open-data/#releases",
        "@type": ["dcat:Dataset", "dcat:DatasetSeries"],
        "dct:identifier": "taza-open-data",
        "dct:title": _in_every_language(_("Taza open data: daily releases")),
        "dct:description": _in_every_language(
            _(
                "Every day, the public facts of the campaigns and the figures counted from them: events, results, "
                "totals by region and by campaign, plan versus fact, day by day, and the errata."
            )
        ),
        "dct:publisher": {"@id": publisher["@id"]},
        "dcat:contactPoint": contact,
        "dcat:keyword": keywords,
        "dcat:theme": {"@id": f"{EU}/data-theme/ENVI"},
        "dct:accrualPeriodicity": {"@id": f"{EU}/frequency/DAILY"},
        "dct:spatial": spatial,
        "dct:license": license_ref,
        "dcat:landingPage": {"@id": f"{site}/open-data/"},
        "dcat:distribution": [api_distribution]
        + ([_distribution(site, releases[0], f, license_ref) for f in releases[0].files] if releases else []),
    }
    if releases:
        series["dct:modified"] = _date_time(releases[0].made_at)
    datasets = [series]
    for release in releases:
        datasets.append(
            {
                "@id": f"{site}/api/v1/open-data/releases/{release.name}/",
                "@type": "dcat:Dataset",
                "dct:identifier": release.name,
                "dct:title": [
                    {**literal, "@value": f"{literal['@value']} ({release.name})"}
                    for literal in _in_every_language(_("Taza open data: daily releases"))
                ],
                "dct:description": _in_every_language(
                    _("The release of one day: every table reflects the same ledger position.")
                ),
                "dct:issued": _date_time(release.made_at),
                "dcat:inSeries": {"@id": series["@id"]},
                "dct:publisher": {"@id": publisher["@id"]},
                "dct:spatial": [{"@id": place["@id"]} for place in spatial],
                "dct:license": license_ref,
                "dcat:version": release.name,
                "dcat:distribution": [_distribution(site, release, f, license_ref) for f in release.files],
            }
        )
    return {
        "@context": {**CONTEXT, "spdx": "http://spdx.org/rdf/terms#"},
        "@id": f"{site}/open-data/catalog.jsonld",
        "@type": "dcat:Catalog",
        "dct:title": _in_every_language(_("Taza open data")),
        "dct:description": _in_every_language(
            _(
                "The open data of Taza, the platform of national environmental campaigns: the daily releases and "
                "the live API."
            )
        ),
        "dct:publisher": publisher,
        "foaf:homepage": {"@id": f"{site}/open-data/"},
        "dct:language": [{"@id": LANGUAGE_URIS[language]} for language in LANGUAGES],
        "dct:license": license_ref,
        "dct:spatial": [{"@id": place["@id"]} for place in spatial],
        "dcat:dataset": datasets,
        "dcat:service": [api_service],
    }
