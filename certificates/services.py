"""Issuing a volunteer's certificate, and the volunteer's choice of showing their name where it is checked.

A certificate is issued the first time its content is asked for: opening or printing the certificate
page, or downloading its signed document. Its content is fixed then (the name as printed, the events
with their dates and hours, the hours in all, the period, the time of issue) and never changes; when
what the volunteer's record certifies changes (a new event, hours credited since, a new name, another
language), the next opening issues a new certificate under a new code, and the old one still checks
out as what it certified on its day.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from certificates import keys
from certificates.codes import code_display, code_new
from certificates.document import KIND, certified_digest, content_sign
from certificates.models import Certificate
from events.selectors import attendance_hours, volunteer_attendance
from volunteers.models import User

MAX_CODE_TRIES = 5  # a new code colliding with one issued: 1 in 35 million at a million certificates


def certificate_content(*, user: User, language: str, now: dt.datetime) -> dict | None:
    """What a certificate of `user` issued at `now` in `language` would certify (no code, no time of
    issue); None when they have not been checked in at any event."""
    history = volunteer_attendance(volunteer_id=user.volunteer_id, now=now)
    if not history:
        return None
    with translation.override(language):
        events = [
            {
                "event_id": str(item.event.id),
                "title": item.event.title,
                "date": timezone.localdate(item.event.starts_at).isoformat(),
                "region": item.event.region.name,
                "hours": str(item.hours),
            }
            for item in history
        ]
    dates = [event["date"] for event in events]
    return {
        "kind": KIND,
        "language": language,
        "name": user.display_name or user.email,
        "events": events,
        "hours": str(attendance_hours(history)),
        "period": {"from": min(dates), "to": max(dates)},
    }


def certificate_issue(*, user: User, language: str, now: dt.datetime | None = None) -> Certificate | None:
    """The certificate of what the volunteer's record certifies now: the one issued before for the
    same content, else a new one, signed. None when there is nothing to certify."""
    now = (now or timezone.now()).replace(microsecond=0)
    certified = certificate_content(user=user, language=language, now=now)
    if certified is None:
        return None
    digest = certified_digest(certified)
    existing = Certificate.objects.filter(volunteer=user, certified=digest).first()
    if existing is not None:
        return existing
    signer = keys.signer()
    issued_at = now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    for _ in range(MAX_CODE_TRIES):
        code = code_new()
        content = {**certified, "code": code_display(code), "issued_at": issued_at}
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    code=code,
                    volunteer=user,
                    certified=digest,
                    content=content,
                    signature=content_sign(content, signer),
                    key_name=signer.verifier.name,
                    key_id=signer.verifier.id.hex(),
                    issued_at=now,
                )
        except IntegrityError:
            # The same content issued at the same moment by another request (the page and its
            # download opened together): that one is the certificate. Else the code was taken.
            existing = Certificate.objects.filter(volunteer=user, certified=digest).first()
            if existing is not None:
                return existing
    raise RuntimeError("no free certificate code after several tries")


def certificate_name_show(*, user: User, shown: bool) -> User:
    """The volunteer's choice: whether the public verification page of their certificates shows their
    name. It is read when the page is shown, so it holds for every certificate, past ones too."""
    user.certificate_shows_name = bool(shown)
    user.save(update_fields=["certificate_shows_name"])
    return user
