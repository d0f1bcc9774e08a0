"""Figures and dates on the pages are written the way each language writes them."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import translation

from frontend import display
from frontend.charts import Point, line_chart, nice_top
from frontend.display import per_capita, per_capita_base
from frontend.tilemap import TILES, shade, short_name, short_names, soft_hyphens

MOMENT = dt.datetime(2026, 5, 12, 5, 30, tzinfo=dt.UTC)  # 10:30 in Almaty


@pytest.mark.parametrize(
    ("language", "number", "waste", "moment"),
    [
        ("kk", "1\xa0234\xa0567", "320,5", "12 мамыр 2026 ж., 10:30"),
        ("ru", "1\xa0234\xa0567", "320,5", "12 мая 2026 г. 10:30"),
        ("en", "1,234,567", "320.5", "May 12, 2026, 10:30 a.m."),
    ],
)
def test_numbers_tonnes_and_times_follow_the_language(language, number, waste, moment):
    with translation.override(language):
        assert display.number(1234567) == number
        # the API gives kilograms; pages show tonnes with one decimal
        assert display.metric_number("waste_kg", "320456.000") == waste
        assert display.moment(MOMENT) == moment


def test_hours_and_hectares_keep_one_decimal_and_counts_none():
    with translation.override("en"):
        assert display.metric_number("area_ha", "2.2500") == "2.3"
        assert display.metric_number("volunteer_hours", "18.04") == "18.0"
        assert display.metric_number("participants", 6900000) == "6,900,000"


def test_figures_of_a_thousand_and_more_are_shown_whole():
    # The seed's national figures fit a counter: a tenth of a tonne is noise in 844 000 t
    with translation.override("en"):
        assert display.metric_number("waste_kg", "844000000.000") == "844,000"
        assert display.metric_number("waste_kg", "999949.000") == "999.9"
        assert display.metric_number("waste_kg", "999950.000") == "1,000"  # rounds up into whole figures
        assert display.metric_number("area_ha", "1000000.0000") == "1,000,000"
        assert display.metric_number("volunteer_hours", "7518258.52") == "7,518,259"
    with translation.override("kk"):
        assert display.metric_number("waste_kg", "844321456.000") == "844\xa0321"


def test_the_tile_map_places_each_of_the_20_regions_once():
    assert len(TILES) == 20
    assert len(set(TILES.values())) == 20
    assert all(1 <= column <= 7 and 1 <= row <= 5 for column, row in TILES.values())


def test_tile_shades_rise_with_the_value_and_names_fit_a_tile():
    assert [shade(Decimal(v), Decimal(100)) for v in (0, 1, 25, 26, 99, 100)] == [0, 1, 1, 2, 4, 4]
    assert short_name("Абай облысы") == "Абай"
    assert short_name("город Алматы") == "Алматы"
    assert short_name("West Kazakhstan Region") == "West Kazakhstan"


@pytest.mark.parametrize(
    ("names", "shorts"),
    [
        (["Almaty Region", "Almaty", "Abai Region"], ["Almaty Region", "Almaty", "Abai"]),
        (["Алматы облысы", "Алматы қаласы", "Абай облысы"], ["Алматы облысы", "Алматы", "Абай"]),
        (["Алматинская область", "город Алматы"], ["Алматинская", "Алматы"]),
    ],
)
def test_two_tiles_never_read_the_same(names, shorts):
    assert list(short_names(names).values()) == shorts


def test_the_chart_is_an_svg_with_a_summary_in_the_language():
    points = [Point(dt.date(2026, 5, 1), Decimal(10)), Point(dt.date(2026, 5, 11), Decimal(40))]
    with translation.override("kk"):
        chart = str(line_chart(points, metric="participants", title="Қатысушылар"))
    assert chart.startswith('<div class="chart" role="img" aria-label="Қатысушылар: 11 мамыр 2026 ж. күнгі')
    # The axis runs to 50 (the nice figure above 40), with grid lines at 50, 25 and 0 labelled in HTML
    assert re.findall(r'<span class="chart__tick chart__tick--(\w+)">([^<]+)</span>', chart) == [
        ("top", "50"),
        ("middle", "25"),
        ("base", "0"),
    ]
    # 10 of 50 sits a fifth of the way up from the base (y 100) to the top line (y 14); 40 at four fifths
    assert '<polyline class="chart__line" points="0.0,82.8 100.0,31.2"></polyline>' in chart
    assert '<span class="chart__latest">40</span>' in chart
    assert (
        '<div class="chart__days" aria-hidden="true"><span>1 мамыр 2026 ж.</span><span>11 мамыр 2026 ж.</span></div>'
        in chart
    )


@pytest.mark.parametrize(
    ("highest", "top"),
    [("0", "1"), ("0.4", "1"), ("1", "1"), ("1.2", "2"), ("3", "5"), ("40", "50"), ("210", "250"), ("1367000", "2E+6")],
)
def test_the_axis_tops_at_a_round_figure(highest, top):
    assert nice_top(Decimal(highest)) == Decimal(top)


@pytest.mark.parametrize(
    ("rates", "base", "shown"),
    [
        (["345.25", "12.5", "0"], 1_000, ["345", "12.5", "0.0"]),  # the country's scale: per 1 000
        (["0.0037", "0.0004", None], 1_000_000, ["3.7", "0.4", "—"]),  # a demo's handful: per million
        (["0.05"], 100_000, ["5.0"]),
        (["0.5"], 10_000, ["5.0"]),
        (["0", None], 1_000, ["0.0", "—"]),
        ([], 1_000, []),
    ],
)
def test_rates_per_capita_read_at_least_one_on_one_base_per_column(rates, base, shown):
    assert per_capita_base(rates) == base
    with translation.override("en"):
        assert [per_capita(rate, base) for rate in rates] == shown


@pytest.mark.parametrize(
    ("name", "breaks"),
    [
        ("Костанайская", "Кос-та-найс-кая"),
        ("Маңғыстау", "Маң-ғыс-тау"),
        ("Солтүстік Қазақстан", "Сол-түс-тік Қа-зақс-тан"),
        ("Ұлытау", "Ұлы-тау"),  # never a single letter alone
        ("Абай", "Абай"),
        ("Kyzylorda", "Ky-zy-lor-da"),
    ],
)
def test_tile_names_may_break_only_between_syllables(name, breaks):
    assert soft_hyphens(name).replace("\u00ad", "-") == breaks
