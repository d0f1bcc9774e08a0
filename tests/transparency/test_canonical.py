"""Known answers for the canonical JSON of leaves (RFC 8785): cyberphone/json-canonicalization's
testdata (the reference implementation's author's vectors), copied in data/jcs_vectors.json with
the commit they come from."""

import json
import random
import struct
from pathlib import Path

import pytest

from transparency.canonical import NotCanonical, canonical_json, canonical_json_slow, number

VECTORS = json.loads((Path(__file__).parent / "data" / "jcs_vectors.json").read_text())


@pytest.mark.parametrize("name", sorted(VECTORS["files"]))
def test_files(name):
    case = VECTORS["files"][name]
    assert canonical_json(json.loads(case["input"])).hex(" ") == case["outhex"]


@pytest.mark.parametrize(("bits", "want"), VECTORS["numbers"])
def test_numbers(bits, want):
    value = struct.unpack(">d", bytes.fromhex(bits.rjust(16, "0")))[0]
    if want is None:
        with pytest.raises(NotCanonical):
            number(value)
    else:
        assert number(value) == want


@pytest.mark.parametrize(
    ("value", "want"),
    [
        (2.0, "2"),
        (-0.0, "0"),
        (0.5, "0.5"),
        (123.45, "123.45"),
        (1e20, "100000000000000000000"),
        (1e21, "1e+21"),
        (1.5e16, "15000000000000000"),
        (1e-6, "0.000001"),
        (1e-7, "1e-7"),
        (-1.25e-9, "-1.25e-9"),
        (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
    ],
)
def test_number_layout(value, want):
    assert number(value) == want


def test_every_double_reads_back_as_itself():
    rng = random.Random(8785)
    for _ in range(20000):
        value = struct.unpack(">d", rng.randbytes(8))[0]
        if value != value or value in (float("inf"), float("-inf")):
            continue
        text = number(value)
        assert float(text) == value, text
        assert ("e" in text) == (abs(value) < 1e-6 or abs(value) >= 1e21), text


def test_what_json_cannot_carry_canonically_is_refused():
    for value in (float("nan"), 2**53 + 1, {1: "a"}, b"bytes"):
        with pytest.raises(NotCanonical):
            canonical_json(value)
    assert canonical_json(2**53) == b"9007199254740992"


def test_the_fast_path_writes_the_same_bytes_as_the_serialiser():
    """orjson serves plain values (no float, ASCII keys): its strings must be escaped as JCS says."""
    rng = random.Random(16)
    for _ in range(20000):
        text = "".join(
            chr(rng.choice([rng.randrange(0, 0x80), rng.randrange(0x80, 0xD800), rng.randrange(0xE000, 0x110000)]))
            for _ in range(rng.randrange(0, 12))
        )
        value = {"k": text, "list": [text, 1, -(2**53), True, None, {"z": {}, "a": []}], "n": rng.randrange(-9, 2**53)}
        assert canonical_json(value) == canonical_json_slow(value)
    for name, case in VECTORS["files"].items():
        assert canonical_json_slow(json.loads(case["input"])).hex(" ") == case["outhex"], name
