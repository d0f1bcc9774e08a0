"""The participating national instances, from `TAZA_REGIONAL_INSTANCES`.

The setting is a JSON list, or the path of a file holding one; each instance is an object

    {"country": "KG", "url": "https://taza.example.kg", "log_key": "taza.kg/log+1a2b3c4d+AU…"}

`log_key` is the instance's log verifier key in signed-note form, as it publishes it (its open-data
page, `/api/v1/log/key/`, `manage.py log_key`). It is configured, never fetched: a key the regional
view took from the site it checks would check nothing. One instance per country; the country code
names the instance everywhere (the mirror's state, the API, the page).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from reference.regions import COUNTRY_CODES
from transparency.note import NoteError, Verifier


@dataclass(frozen=True)
class Instance:
    country: str
    url: str
    verifier: Verifier


def _entries(setting: str | list) -> list:
    if isinstance(setting, list):
        return setting
    text = setting.strip()
    if not text:
        return []
    if not text.startswith("["):
        text = Path(text).read_text(encoding="utf-8")
    return json.loads(text)


def configured_instances() -> list[Instance]:
    """Every instance configured, checked: a known country once each, an http(s) URL, a valid key."""
    try:
        entries = _entries(settings.TAZA_REGIONAL_INSTANCES)
    except (OSError, ValueError) as error:
        raise ImproperlyConfigured(f"TAZA_REGIONAL_INSTANCES is not a JSON list or a file of one: {error}") from error
    instances, seen = [], set()
    for entry in entries:
        try:
            country, url, vkey = entry["country"].upper(), entry["url"].rstrip("/"), entry["log_key"]
            verifier = Verifier.from_vkey(vkey)
        except (KeyError, TypeError, AttributeError, NoteError) as error:
            raise ImproperlyConfigured(
                f"TAZA_REGIONAL_INSTANCES: {entry!r} is not {{country, url, log_key}} with a valid key: {error}"
            ) from error
        if country not in COUNTRY_CODES or country in seen:
            raise ImproperlyConfigured(f"TAZA_REGIONAL_INSTANCES: {country!r} is unknown or given twice.")
        if not url.startswith(("http://", "https://")):
            raise ImproperlyConfigured(f"TAZA_REGIONAL_INSTANCES: the URL of {country} is not http(s): {url!r}.")
        seen.add(country)
        instances.append(Instance(country, url, verifier))
    return instances


def instance_get(country: str) -> Instance:
    for instance in configured_instances():
        if instance.country == country.upper():
            return instance
    raise LookupError(f"No instance of {country!r} is configured in TAZA_REGIONAL_INSTANCES.")
