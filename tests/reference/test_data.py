"""The shipped reference data: every file loads, every code is ISO 3166-2's (as pycountry has it), and
each figure says where it comes from."""

import csv
import datetime as dt
from zoneinfo import ZoneInfo

import pycountry
import pytest

from reference.models import Region
from reference.regions import COUNTRIES_DATA, COUNTRY_CODES, DATA_DIR, divisions_file, region_codes

COLUMNS = [
    "iso_code",
    "kind",
    "name_en",
    "name_kk",
    "name_ru",
    "centre_en",
    "population_approx",
    "name_local",
    "centre_local",
    "centre_ru",
]


def rows(path):
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_five_countries_are_shipped_with_their_time_zones():
    countries = {row["code"]: row for row in rows(COUNTRIES_DATA)}

    assert COUNTRY_CODES == ("KZ", "KG", "TJ", "TM", "UZ")
    assert {code: row["time_zone"] for code, row in countries.items()} == {
        "KZ": "Asia/Almaty",
        "KG": "Asia/Bishkek",
        "TJ": "Asia/Dushanbe",
        "TM": "Asia/Ashgabat",
        "UZ": "Asia/Tashkent",
    }
    assert {code: pycountry.countries.get(alpha_2=code).name for code in countries} == {
        "KZ": "Kazakhstan",
        "KG": "Kyrgyzstan",
        "TJ": "Tajikistan",
        "TM": "Turkmenistan",
        "UZ": "Uzbekistan",
    }
    for row in countries.values():
        assert row["name_local"] and row["name_kk"] and row["name_ru"] and row["name_en"]
        assert int(row["population"]) > 0 and row["population_source"] and 2020 <= int(row["population_year"]) <= 2026


def test_kazakhstan_is_one_zone_utc5_and_kyrgyzstan_utc6_in_2025():
    # The machine's tzdata must know Kazakhstan's change of 1 March 2024 (tzdata 2024a).
    summer = dt.datetime(2025, 7, 1, 12)
    assert summer.replace(tzinfo=ZoneInfo("Asia/Almaty")).utcoffset() == dt.timedelta(hours=5)
    assert summer.replace(tzinfo=ZoneInfo("Asia/Bishkek")).utcoffset() == dt.timedelta(hours=6)
    for zone in ("Asia/Dushanbe", "Asia/Ashgabat", "Asia/Tashkent"):
        assert summer.replace(tzinfo=ZoneInfo(zone)).utcoffset() == dt.timedelta(hours=5)


@pytest.mark.parametrize(("country", "count"), [("KZ", 20), ("KG", 9), ("TJ", 5), ("TM", 6), ("UZ", 14)])
def test_each_file_holds_exactly_its_countrys_first_level_divisions_in_iso_3166_2(country, count):
    divisions = rows(divisions_file(country))
    iso = {subdivision.code for subdivision in pycountry.subdivisions.get(country_code=country)}
    first_level = {s.code for s in pycountry.subdivisions.get(country_code=country) if s.parent_code is None}

    assert list(divisions[0]) == COLUMNS
    assert len(divisions) == count == len(first_level)
    codes = [row["iso_code"] for row in divisions]
    assert codes == sorted(codes) and set(codes) == first_level <= iso
    assert region_codes([country]) == tuple(codes)
    for row in divisions:
        assert row["kind"] in Region.Kind.values
        assert row["name_en"] and row["name_kk"] and row["name_ru"] and row["name_local"], row["iso_code"]
        assert row["population_approx"] == "" or int(row["population_approx"]) > 0


def test_kazakhstans_2022_regions_are_there_with_pycountrys_codes():
    kz = {row["iso_code"]: row for row in rows(divisions_file("KZ"))}
    names = {s.code: s.name for s in pycountry.subdivisions.get(country_code="KZ")}

    # Abai, Jetisu and Ulytau (2022): ISO 3166-2 gave them KZ-10, KZ-33 and KZ-62.
    assert (names["KZ-10"], names["KZ-33"], names["KZ-62"]) == ("Abay oblysy", "Zhetisū oblysy", "Ulytaū oblysy")
    assert [(kz[code]["name_en"], kz[code]["centre_en"]) for code in ("KZ-10", "KZ-33", "KZ-62")] == [
        ("Abai Region", "Semey"),
        ("Jetisu Region", "Taldykorgan"),
        ("Ulytau Region", "Jezkazgan"),
    ]
    assert (kz["KZ-19"]["name_en"], kz["KZ-19"]["centre_en"]) == ("Almaty Region", "Konaev")
    assert kz["KZ-11"]["name_en"] == "Akmola Region"


def test_kazakhstans_figures_stay_and_the_others_are_those_the_readme_cites():
    population = {
        country: {row["iso_code"]: row["population_approx"] for row in rows(divisions_file(country))}
        for country in COUNTRY_CODES
    }

    assert sum(int(figure) for figure in population["KZ"].values()) == 19_818_000
    assert population["KZ"]["KZ-75"] == "2175000"
    assert set(population["KG"].values()) == {""} and set(population["TM"].values()) == {""}
    assert population["TJ"] == {
        "TJ-DU": "948800",
        "TJ-GB": "227200",
        "TJ-KT": "3444000",
        "TJ-RA": "2270000",
        "TJ-SU": "2770000",
    }
    # Uzbekistan's regions add up to the Statistics Agency's total of the same date.
    uzbekistan = {row["code"]: row for row in rows(COUNTRIES_DATA)}["UZ"]
    assert sum(int(figure) for figure in population["UZ"].values()) == int(uzbekistan["population"]) == 35_271_276
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    for office in (
        "Bureau of National Statistics",
        "National Statistical Committee",
        "Agency on Statistics",
        "census of 17 December 2022",
        "Statistics Agency",
    ):
        assert office in readme
    assert "all 9 missing" in readme and "all 6 missing" in readme
