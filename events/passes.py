"""The volunteer's pass: a QR code carrying a signed token for one registration.

The token binds the registration and the event, signed with the project's SECRET_KEY under a salt
of its own, so it cannot be forged, nor reused for another event (the check-in compares both with
the registration it names, and the registration names its volunteer). It does not expire: a
cancelled registration is refused at check-in, which is what matters.

It does not carry the volunteer's id: a signed token is only base64, so anyone who scanned or
photographed a pass could read the one id that links all of a person's events. Passes issued
before carried it as "v"; they still work, and the id is then checked against the registration.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass

import segno
from django.core import signing

from events.errors import InvalidPass
from events.models import Registration

SALT = "taza.events.pass"


@dataclass(frozen=True)
class PassClaims:
    registration_id: uuid.UUID
    event_id: uuid.UUID
    volunteer_id: uuid.UUID | None  # only in passes issued before it was left out


def pass_token(registration: Registration) -> str:
    # Hex ids keep the token short, so the QR code stays small and quick to scan.
    payload = {"r": registration.id.hex, "e": registration.event_id.hex}
    return signing.dumps(payload, salt=SALT, compress=True)


def pass_read(token: str) -> PassClaims:
    """The claims of a token the platform signed; `InvalidPass` for anything else."""
    try:
        payload = signing.loads(token, salt=SALT)
        return PassClaims(
            registration_id=uuid.UUID(payload["r"]),
            event_id=uuid.UUID(payload["e"]),
            volunteer_id=uuid.UUID(payload["v"]) if "v" in payload else None,
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise InvalidPass(fields={"token": [str(InvalidPass.default_message)]}) from None


def pass_svg(token: str, *, scale: int = 6) -> str:
    """The QR code of the token as an SVG document."""
    buffer = io.BytesIO()
    segno.make(token, error="m", micro=False).save(buffer, kind="svg", scale=scale, xmldecl=False, border=4)
    return buffer.getvalue().decode()
