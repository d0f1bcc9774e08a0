"""Reading certificates: the volunteer's own, and the public check of a code, limited against guessing.

Whether a certificate is authentic is decided when it is shown, not when it was stored: its signature
is verified again over the content as it is now in the table, under the published key. A row changed
behind the platform's back (the trigger turned off) is said to be not authentic.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from dataclasses import dataclass
from decimal import Decimal

from allauth.core.internal import ratelimit
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from certificates import keys
from certificates.codes import code_normalise
from certificates.document import CertificateInvalid, document_verify, signed_document
from certificates.errors import CertificateCodeMistyped, CertificateNotFound, TooManyCertificateCodes
from certificates.models import Certificate

APP = "taza.certificates"  # allauth's rate limits take an app and an action; the rates are ours
ACTION = "unknown_code"


@dataclass(frozen=True)
class CertifiedEvent:
    event_id: str
    title: str
    date: dt.date
    region: str
    hours: Decimal


@dataclass(frozen=True)
class Check:
    """A certificate as its verification shows it."""

    code: str  # as printed: XXXXX-XXXXX
    authentic: bool
    name: str | None  # None: the volunteer keeps their name off the verification page
    language: str
    events: list[CertifiedEvent]
    hours: Decimal
    period_from: dt.date
    period_to: dt.date
    issued_at: dt.datetime
    issued_on: dt.date  # in Kazakhstan's time, as printed
    key_name: str
    key_id: str


def certificate_document(certificate: Certificate) -> dict:
    """The signed document to download: content, signature, key name and ID (certificates.document)."""
    return signed_document(
        certificate.content, certificate.signature, key_name=certificate.key_name, key_id=certificate.key_id
    )


def certificate_check(certificate: Certificate, *, name_shown: bool) -> Check:
    content = certificate.content
    try:
        document_verify(certificate_document(certificate), keys.verifier())
        authentic = True
    except CertificateInvalid:
        authentic = False
    return Check(
        code=content["code"],
        authentic=authentic,
        name=content["name"] if name_shown else None,
        language=content["language"],
        events=[
            CertifiedEvent(
                event_id=event["event_id"],
                title=event["title"],
                date=dt.date.fromisoformat(event["date"]),
                region=event["region"],
                hours=Decimal(event["hours"]),
            )
            for event in content["events"]
        ],
        hours=Decimal(content["hours"]),
        period_from=dt.date.fromisoformat(content["period"]["from"]),
        period_to=dt.date.fromisoformat(content["period"]["to"]),
        issued_at=certificate.issued_at,
        issued_on=timezone.localdate(certificate.issued_at),
        key_name=certificate.key_name,
        key_id=certificate.key_id,
    )


def certificate_find(*, request: HttpRequest, code: str) -> Check:
    """The public check of a typed or scanned code.

    A client that has tried `TAZA_CERTIFICATE_GUESSES` codes naming no certificate is refused every
    look-up, known codes included, until the window lets it again: refusing only the unknown ones
    would still tell a guesser which codes exist. A mistyped code (its check character is wrong) is no
    guess and is not counted. The name is shown only if its volunteer chose so (certificate_name_show).
    """
    config = {ACTION: settings.TAZA_CERTIFICATE_GUESSES}
    if ratelimit.consume(request, app=APP, action=ACTION, config=config, dry_run=True, limit_get=True) is None:
        raise TooManyCertificateCodes(retry_after=_retry_after(request, config))
    normalised = code_normalise(code)
    if normalised is None:
        raise CertificateCodeMistyped()
    certificate = Certificate.objects.select_related("volunteer").filter(code=normalised).first()
    if certificate is None:
        ratelimit.consume(request, app=APP, action=ACTION, config=config, limit_get=True)
        raise CertificateNotFound()
    return certificate_check(certificate, name_shown=certificate.volunteer.certificate_shows_name)


def _retry_after(request: HttpRequest, config: dict[str, str]) -> int:
    """Seconds until the exhausted limits let this client look up again: a limit of n per window
    lifts when the n-th newest guess leaves the window (as volunteers.adapter reads allauth's)."""
    now = time.time()
    waits = []
    for rate in ratelimit.get_rates(app=APP, action=ACTION, config=config):
        key = ratelimit.get_cache_key(request, app=APP, action=ACTION, rate=rate)
        history = sorted((t for t in cache.get(key, []) if t > now - rate.duration), reverse=True)
        if len(history) >= rate.amount:
            waits.append(history[rate.amount - 1] + rate.duration - now)
    return max(1, math.ceil(max(waits, default=60)))
