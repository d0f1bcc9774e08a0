"""The licences a release may carry (TAZA_OPEN_DATA_LICENSE), by their SPDX id, with the URIs the
Data Package (`licenses`) and the DCAT catalogue (`dct:license`, the EU licence vocabulary) name."""

from __future__ import annotations

from django.conf import settings

LICENSES = {
    "CC-BY-4.0": {
        "title": "Creative Commons Attribution 4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/",
        "eu": "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0",
    },
    "CC-BY-SA-4.0": {
        "title": "Creative Commons Attribution Share-Alike 4.0",
        "path": "https://creativecommons.org/licenses/by-sa/4.0/",
        "eu": "http://publications.europa.eu/resource/authority/licence/CC_BYSA_4_0",
    },
    "CC0-1.0": {
        "title": "Creative Commons Zero v1.0 Universal",
        "path": "https://creativecommons.org/publicdomain/zero/1.0/",
        "eu": "http://publications.europa.eu/resource/authority/licence/CC0",
    },
    "ODbL-1.0": {
        "title": "Open Data Commons Open Database License v1.0",
        "path": "https://opendatacommons.org/licenses/odbl/1-0/",
        "eu": "http://publications.europa.eu/resource/authority/licence/ODBL",
    },
}


def configured_license() -> str:
    return settings.TAZA_OPEN_DATA_LICENSE


def license_of(spdx: str) -> dict:
    """The licence as a Data Package names it: name, path, title (name only for an id not listed)."""
    known = LICENSES.get(spdx)
    return {"name": spdx, "path": known["path"], "title": known["title"]} if known else {"name": spdx}


def license_uri(spdx: str) -> str:
    known = LICENSES.get(spdx)
    return known["eu"] if known else f"https://spdx.org/licenses/{spdx}.html"
