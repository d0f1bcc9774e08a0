"""The errata page and the open-data page, as a journalist reads them, in kk, ru and en."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client

from opendata.release import release_make

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _entries(html: str) -> str:
    """The text of the log itself (the filters' options name every kind too)."""
    return _text(html.split('<ol class="errata">')[1].split("</ol>")[0]) if '<ol class="errata">' in html else ""


def _page(path: str, language: str = "en") -> str:
    answer = Client(headers={"accept-language": language}).get(path)
    assert answer.status_code == 200
    return answer.content.decode()


def test_the_errata_page_shows_each_change_with_its_figures_before_and_after(world):
    text = _entries(_page("/open-data/errata/"))

    rejection = text.index("Result rejected by the coordinator")
    adjustment = text.index("Result adjusted by the coordinator")
    undone = text.index("Check-in undone")
    correction = text.index("Result corrected by the organiser")
    assert rejection < adjustment < undone < correction  # newest first
    assert "Waste, mixed 500.000 kg counts nowhere People counted who did not register 20 counts nowhere" in text
    assert "Trees planted 50 40 Reason: checked on site" in text
    assert "Volunteers checked in 3 2 Reason: not published: it is about a person." in text
    assert "Waste, plastic 100.500 kg 120.500 kg People counted who did not register 10 12" in text
    assert "Reason: bags weighed again" in text
    assert "HYPERLINK" not in text  # the undone check-in's reason is never published


def test_the_errata_page_filters_by_region_and_kind(world):
    ulytau = _entries(_page("/open-data/errata/?region=KZ-62"))
    assert "Result rejected by the coordinator" in ulytau and "Check-in undone" not in ulytau
    undone = _entries(_page("/open-data/errata/?kind=checkin_undone&region=KZ-71"))
    assert "Volunteers checked in 3 2" in undone and "Result corrected" not in undone
    nothing = _text(_page("/open-data/errata/?region=KZ-75"))
    assert "No published figure has changed yet." in nothing


@pytest.mark.parametrize(
    ("language", "title"),
    [("kk", "Түзетулер"), ("ru", "Исправления"), ("en", "Errata")],
)
def test_the_errata_page_and_the_open_data_links_in_every_language(world, language, title):
    errata = _page("/open-data/errata/", language)
    assert f"<h1>{title}</h1>" in errata

    open_data = _page("/open-data/", language)
    for link in ('href="/open-data/errata/"', 'href="/api/v1/open-data/releases/"', 'href="/open-data/catalog.jsonld"'):
        assert link in open_data
    assert "{# transparency" not in open_data  # the marked place is a template comment, not shown


def test_the_open_data_page_offers_the_latest_release_to_download(world):
    release = release_make(day=world.today)

    page = _page("/open-data/")

    base = f"/api/v1/open-data/releases/{release.name}/"
    assert f'href="{base}datapackage.zip" download' in page
    for table in ("facts", "events", "results", "totals_by_region", "totals_by_campaign", "plan_vs_fact"):
        assert f'href="{base}{table}.csv" download' in page
    assert f"Every table is as of the fact at ledger position {release.as_of_position}." in _text(page)
