"""The volunteer's pass: a QR code carrying a signed token for one registration, and a short code
to read out and type when the camera cannot read it.

The token binds the registration and the event, signed with the project's SECRET_KEY under a salt
of its own, so it cannot be forged, nor reused for another event (the check-in compares both with
the registration it names, and the registration names its volunteer). It does not expire: a
cancelled registration is refused at check-in, which is what matters.

It does not carry the volunteer's id: a signed token is only base64, so anyone who scanned or
photographed a pass could read the one id that links all of a person's events. Passes issued
before carried it as "v"; they still work, and the id is then checked against the registration.

It is the registration's pass, so it lives with registrations and check-ins: its token names a
registration and an event, and check-in reads it. In volunteers/ it would import events' models and
errors, and volunteers would depend on events.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import uuid
from dataclasses import dataclass

import segno
from django.conf import settings
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


# --- the short code, for reading out and typing ------------------------------------------------------
# Crockford's base32: no I, L, O or U, so nothing is mistaken for 1, 0 or V (and typed ones are read
# as those). Seven characters carry 35 bits of an HMAC of the registration id under the server's
# secret, so a code is deterministic (nothing new is stored) and cannot be derived without the key;
# the eighth is a check character (Damm's algorithm over GF(32)), which catches every single
# mistyped character and every swap of two neighbours, check character included, so a typo is told
# apart from a code that names no pass. (Luhn mod 32, used first, misses a swap of 0 and Z, as
# decimal Luhn misses 09 and 90: the check test found a code where it did.)
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_DATA_LENGTH = 7
CODE_LENGTH = CODE_DATA_LENGTH + 1
_TYPED_AS = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V", "-": None, " ": None})


def pass_code(registration_id: uuid.UUID) -> str:
    """The pass's short code, 8 characters shown as XXXX-XXXX."""
    digest = hmac.new(_code_key(), uuid.UUID(str(registration_id)).bytes, hashlib.sha256).digest()
    number = int.from_bytes(digest[:5], "big") >> (40 - 5 * CODE_DATA_LENGTH)
    body = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(CODE_DATA_LENGTH)))
    code = body + _check_character(body)
    return f"{code[:4]}-{code[4:]}"


def pass_code_normalise(typed: str) -> str | None:
    """The code as the platform writes it (no hyphen, upper case, look-alikes read as meant), or None
    when `typed` is not shaped like a short code at all (a signed token, say)."""
    text = typed.strip().upper().translate(_TYPED_AS)
    if len(text) != CODE_LENGTH or any(c not in ALPHABET for c in text):
        return None
    return text


def pass_code_checks(code: str) -> bool:
    """Whether a normalised code's last character is the check character of the others."""
    return _fold(code) == 0


def pass_code_matches(registration_id: uuid.UUID, code: str) -> bool:
    return hmac.compare_digest(pass_code(registration_id).replace("-", ""), code)


def _check_character(body: str) -> str:
    # Damm: fold the characters through x∘y = 2·x + y in GF(2^5) (x^5 + x^2 + 1); the check character
    # brings the fold to 0. A changed character changes the fold by a non-zero multiple; two
    # neighbours x, y swapped change it by 3·(x + y), zero only when x = y.
    return ALPHABET[_times_two(_fold(body))]


def _fold(text: str) -> int:
    interim = 0
    for char in text:
        interim = _times_two(interim) ^ ALPHABET.index(char)
    return interim


def _times_two(value: int) -> int:
    value <<= 1
    return value ^ 0b100101 if value & 0b100000 else value


def _code_key() -> bytes:
    return hashlib.sha256(f"{SALT}.code:{settings.SECRET_KEY}".encode()).digest()
