"""Every CSV download is safe to open in a spreadsheet, and no request to a CSV answer is a 500.

OWASP's rule for CSV injection: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
return is read as a formula, so it is written with a leading single quote. Numbers stay numbers.
"""

import csv
import io

import pytest
from django.urls import reverse

from volunteers.models import Organisation, User

BOARD = "/api/v1/stats/leaderboards/volunteers/"


def rows_of(response) -> list[dict]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def rename(client, email: str, display_name: str) -> None:
    """The volunteer renames themself on their profile page, as anyone can."""
    user = User.objects.get(email=email)
    client.force_login(user)
    response = client.post(
        reverse("profile"),
        {"display_name": display_name, "language": "en", "show_on_leaderboards": "on"},
    )
    assert response.status_code == 302, response.content
    client.logout()


@pytest.mark.parametrize(
    ("display_name", "written"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
        ("  =1+1", "'=1+1"),  # the profile form trims the name; what is left still starts a formula
        ("Aigerim = the best", "Aigerim = the best"),
    ],
)
def test_a_display_name_that_is_a_formula_is_written_as_text(story, client, display_name, written):
    # Given Aigerim, on the volunteer leaderboard, renames herself to a formula
    rename(client, "aigerim@example.kz", display_name)

    # When anyone downloads the leaderboard as CSV
    rows = rows_of(client.get(BOARD, {"format": "csv"}))

    # Then her name is quoted so a spreadsheet shows it as text, and the figures are still numbers
    assert [(r["rank"], r["display_name"], r["events"], r["volunteer_hours"]) for r in rows] == [
        ("1", written, "2", "4.00"),
        ("2", "Bolat", "1", "4.00"),
    ]


def test_the_same_name_is_unchanged_in_json(story, client):
    rename(client, "aigerim@example.kz", '=HYPERLINK("http://evil","x")')

    data = client.get(BOARD).json()["data"]

    assert data[0]["display_name"] == '=HYPERLINK("http://evil","x")'


@pytest.mark.parametrize(
    ("name", "written"),
    [("\t=1+2", "'\t=1+2"), ("\r=1+2", "'\r=1+2"), ("=1+2", "'=1+2"), ("-12", "-12"), ("-1.5", "-1.5")],
)
def test_an_organisation_named_as_a_formula_is_written_as_text(story, client, name, written):
    # Given an organisation whose name an administrator typed with a leading tab, or as a formula
    # (a name that is only a number cannot be a formula and stays as it is)
    Organisation.objects.filter(id=story.eco_club).update(name_en=name)

    board = client.get("/api/v1/stats/leaderboards/organisations/", {"format": "csv", "metric": "participants"})

    assert [(r["rank"], r["name"], r["value"]) for r in rows_of(board)] == [
        ("1", written, "45"),
        ("2", "School No. 7", "7"),
    ]


@pytest.mark.parametrize(
    ("url", "accept"),
    [
        ("/api/v1/stats/national/?format=csv", "*/*"),
        ("/api/v1/stats/national.csv", "*/*"),
        ("/api/v1/stats/national/", "text/csv"),
        ("/api/v1/stats/leaderboards/volunteers/?format=csv", "*/*"),
        ("/api/v1/stats/regions/KZ-71.csv", "*/*"),
    ],
)
def test_options_on_a_csv_answer_is_the_views_description_in_json(story, client, url, accept):
    response = client.options(url, HTTP_ACCEPT=accept)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["renders"] == ["application/json", "text/csv"]


def test_a_refusal_in_csv_is_a_csv_of_the_error(story, client):
    response = client.get(BOARD, {"format": "csv", "limit": "abc"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert list(csv.reader(io.StringIO(response.content.decode())))[0] == ["code", "message"]
