"""Canonical JSON, RFC 8785 (JCS): the bytes a fact's public form is hashed as, whoever computes them.

JCS serialises a JSON value with no whitespace, object members sorted by their names as UTF-16
code units, strings in UTF-8 with only `"`, `\\` and the control characters escaped (the short
forms \\b \\t \\n \\f \\r, others \\u00xx in lowercase hex), and numbers as ECMAScript prints a
double: the shortest digits that read back to the same value, integers without a fraction
(2.0 → 2), exponents from 1e21 up and below 1e-6 (1e+21, 1e-7).

Python's json module agrees on strings (ensure_ascii off) and on integers; it differs on
floats (repr: 2.0, 1e+16) and on key order beyond the Basic Multilingual Plane (it sorts by code
point), so both are done here: a float is written from repr's shortest digits in ECMAScript's
layout, and keys are sorted by their UTF-16 encoding. Integers are written exactly; JCS reads
numbers as doubles, so an integer beyond 2^53 (none in the feed) would be refused rather than
rounded.

Speed: the log hashes every public fact at catch-up speed, and this serialiser in Python costs
tens of microseconds a fact. Most facts hold no float and only ASCII keys; for those, orjson's
compact, key-sorted output is byte for byte JCS (its strings are escaped exactly as above:
tests/transparency/test_canonical.py holds it to the vectors and to random strings), so
`canonical_json` checks that (`plain`) and hands them to orjson, and serialises the rest here.
"""

from __future__ import annotations

import json
import math
from typing import Any

import orjson

_string = json.encoder.encode_basestring  # escapes exactly ", \ and U+0000–U+001F, lowercase hex
_MAX_EXACT = 2**53


class NotCanonical(ValueError):
    """A value JSON cannot carry canonically (NaN, infinities, huge integers, non-JSON types)."""


def canonical_json(value: Any) -> bytes:
    if plain(value):
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    return _encode(value).encode()


def plain(value: Any) -> bool:
    """No float, no integer beyond 2^53, only ASCII object keys (where every order agrees): what
    orjson writes as JCS does. A loop over a stack, not recursion: the log checks every fact."""
    pending = [value]
    while pending:
        value = pending.pop()
        kind = type(value)
        if kind is dict:
            for key in value:
                if type(key) is not str or not key.isascii():
                    return False
            items = value.values()
        elif kind is list or kind is tuple:
            items = value
        else:
            items = (value,)
        for item in items:
            kind = type(item)
            if kind is str or kind is bool or item is None:
                continue
            if kind is int:
                if -_MAX_EXACT <= item <= _MAX_EXACT:
                    continue
                return False
            if kind is dict or kind is list or kind is tuple:
                pending.append(item)
                continue
            return False
    return True


def canonical_json_slow(value: Any) -> bytes:
    """The same bytes, always by the serialiser here (the tests compare the two paths)."""
    return _encode(value).encode()


def _encode(value: Any) -> str:
    if isinstance(value, str):
        return _string(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        if abs(value) > _MAX_EXACT:
            raise NotCanonical(f"{value} is beyond what a double holds exactly")
        return str(value)
    if isinstance(value, float):
        return number(value)
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise NotCanonical("object keys are strings")
        keys = sorted(value, key=_utf16)
        return "{" + ",".join(_string(key) + ":" + _encode(value[key]) for key in keys) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_encode(item) for item in value) + "]"
    raise NotCanonical(f"{type(value).__name__} is not a JSON value")


def _utf16(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")


def number(value: float) -> str:
    """A double as ECMAScript's Number.prototype.toString writes it (ECMA-262 §6.1.6.1.20)."""
    if not math.isfinite(value):
        raise NotCanonical("NaN and infinities are not JSON")
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    # repr gives the shortest digits that round-trip, as ECMAScript requires; take them apart.
    mantissa, _, exponent = repr(abs(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    # n: where the decimal point sits relative to the digits (value = 0.digits × 10^n).
    n = (
        len(whole.lstrip("0")) + int(exponent or 0)
        if whole.strip("0")
        else int(exponent or 0) - (len(fraction) - len(fraction.lstrip("0")))
    )
    digits = digits.rstrip("0") or "0"
    k = len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * -n + digits
    e = n - 1
    exp = f"e+{e}" if e >= 0 else f"e-{-e}"
    if k == 1:
        return sign + digits + exp
    return sign + digits[0] + "." + digits[1:] + exp
