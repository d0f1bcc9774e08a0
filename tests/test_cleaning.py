"""The one cleaning of request input (config/cleaning.py): texts, numbers, plain decimal text.

Pure functions: each story gives a value and reads the cleaned one and the messages exactly.
"""

from decimal import Decimal

import pytest
from django.utils import translation

from config.cleaning import MAX_TEXT, Errors, number, plain, text


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def cleaned_text(value, **rules) -> tuple[str, Errors]:
    errors: Errors = {}
    return text(errors, "reason", value, **rules), errors


def test_a_text_is_stripped_and_none_is_empty():
    assert cleaned_text("  Rain.\n") == ("Rain.", {})
    assert cleaned_text(None) == ("", {})
    assert cleaned_text("") == ("", {})


def test_what_is_not_a_text_is_refused_as_empty():
    assert cleaned_text(12) == ("", {"reason": ["Give a text."]})
    assert cleaned_text(["a"], required=True) == ("", {"reason": ["Give a text."]})


def test_a_required_text_says_what_is_missing():
    assert cleaned_text("   ", required=True) == ("", {"reason": ["This field is required."]})
    assert cleaned_text(None, required=True, missing="Say why.") == ("", {"reason": ["Say why."]})
    assert cleaned_text("Flooded.", required=True, missing="Say why.") == ("Flooded.", {})


def test_the_length_is_counted_once_stripped():
    assert MAX_TEXT == 5000
    assert cleaned_text("x" * 5000) == ("x" * 5000, {})
    assert cleaned_text(" " + "x" * 5000 + " ") == ("x" * 5000, {})
    assert cleaned_text("x" * 5001) == ("x" * 5001, {"reason": ["At most 5000 characters."]})
    assert cleaned_text("abcd", max_length=3) == ("abcd", {"reason": ["At most 3 characters."]})


def test_an_existing_problem_of_another_field_is_kept():
    errors: Errors = {"title": ["This field is required."]}
    assert text(errors, "reason", 5) == ""
    assert errors == {"title": ["This field is required."], "reason": ["Give a text."]}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12.5", Decimal("12.5")),
        (" 3 ", Decimal("3")),
        (7, Decimal("7")),
        (0.5, Decimal("0.5")),
        ("-2", Decimal("-2")),
        ("1E+3", Decimal("1E+3")),
    ],
)
def test_a_number_or_its_text_is_a_decimal(value, expected):
    assert number(value) == expected


@pytest.mark.parametrize("value", [None, True, False, "", "abc", "NaN", "Infinity", "-inf", [1]])
def test_what_is_not_a_finite_number_is_none(value):
    assert number(value) is None


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (Decimal("1200"), "1200"),
        (Decimal("1.2E+3"), "1200"),
        (Decimal("120000.000"), "120000"),
        (Decimal("0.500"), "0.5"),
        (Decimal("2.25"), "2.25"),
        (Decimal("0.0001"), "0.0001"),
        (Decimal("0"), "0"),
        (Decimal("0.000"), "0"),
    ],
)
def test_plain_text_has_no_exponent_and_no_trailing_zeros(value, written):
    assert plain(value) == written
