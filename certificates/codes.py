"""A certificate's verification code: ten characters to type from paper, random, shown as XXXXX-XXXXX.

Nine characters are drawn from the system's CSPRNG in the passes' alphabet (Crockford's base32, no
I, L, O or U: events.passes), 45 bits, and the tenth is the passes' check character (Damm's
algorithm over GF(32)). Random, not derived from an id or a key: a code says nothing about whose it
is, and knowing some codes tells nothing of the others. At 45 bits, even a million certificates
leave a guess a chance of one in 35 million, and guesses are limited per client
(certificates.selectors). The check character tells a typo (every single wrong character, every
swap of neighbours) from a code that names no certificate, so a mistyped code is said to be
mistyped and is not counted as a guess.
"""

from __future__ import annotations

import secrets

from events.passes import ALPHABET, pass_code_checks
from events.passes import _check_character as check_character  # the passes' check, one rule for both

CODE_DATA_LENGTH = 9
CODE_LENGTH = CODE_DATA_LENGTH + 1
_TYPED_AS = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V", "-": None, " ": None})


def code_new() -> str:
    """A new code, as stored: ten characters, no hyphen."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(CODE_DATA_LENGTH))
    return body + check_character(body)


def code_display(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def code_normalise(typed: str) -> str | None:
    """The code as stored (upper case, no hyphen, look-alikes read as meant), or None when `typed`
    is not shaped like a code or its check character is wrong: a typo."""
    text = typed.strip().upper().translate(_TYPED_AS)
    if len(text) != CODE_LENGTH or any(char not in ALPHABET for char in text) or not pass_code_checks(text):
        return None
    return text
