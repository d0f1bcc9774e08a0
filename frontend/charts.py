"""A small line chart drawn on the server as inline SVG: no JavaScript, no chart library, prints well.

The chart shows the running total of one metric per day. Its text (axis labels, the summary read
by screen readers) is formatted in the active language; the page puts the figures in a table too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from frontend import display

# Drawn at about a phone's width, so its labels read at their size there; wider screens scale it up.
WIDTH, HEIGHT = 360, 200
LEFT, RIGHT, TOP, BOTTOM = 6, 6, 26, 26  # room for the labels


@dataclass(frozen=True)
class Point:
    day: dt.date
    value: Decimal


def cumulative_points(series: list[dict], metric: str) -> list[Point]:
    """The stats timeseries (one row per day) as points of the running total, in display units."""
    return [
        Point(dt.date.fromisoformat(row["day"]), display.display_value(metric, row["cumulative"])) for row in series
    ]


def line_chart(points: list[Point], *, metric: str, title: str) -> SafeString:
    if not points:
        return format_html('<p class="chart__empty">{}</p>', _("No figures yet."))
    first, last = points[0].day, points[-1].day
    span = max((last - first).days, 1)
    top = max(max(p.value for p in points), Decimal(1))
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def xy(point: Point) -> tuple[float, float]:
        x = LEFT + inner_w * (point.day - first).days / span
        y = TOP + inner_h * (1 - float(point.value / top))
        return round(x, 1), round(y, 1)

    coordinates = [xy(p) for p in points]
    if len(coordinates) == 1:  # one day: a flat line across, so there is something to see
        coordinates = [(LEFT, coordinates[0][1]), (WIDTH - RIGHT, coordinates[0][1])]
    line = " ".join(f"{x},{y}" for x, y in coordinates)
    area = f"{coordinates[0][0]},{TOP + inner_h} {line} {coordinates[-1][0]},{TOP + inner_h}"
    latest = display.metric_number(metric, _raw(metric, points[-1].value))
    summary = _("%(title)s: %(value)s on %(day)s, from %(start)s.") % {
        "title": title,
        "value": latest,
        "day": display.day(last),
        "start": display.day(first),
    }
    dots = format_html_join("", '<circle cx="{}" cy="{}" r="3"></circle>', coordinates[-1:])
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="{summary}">'
        '<line class="chart__axis" x1="{l}" y1="{base}" x2="{r}" y2="{base}"></line>'
        '<polygon class="chart__area" points="{area}"></polygon>'
        '<polyline class="chart__line" points="{line}"></polyline>{dots}'
        '<text class="chart__label" x="{l}" y="16">{top}</text>'
        '<text class="chart__label" x="{l}" y="{h_text}">{start}</text>'
        '<text class="chart__label" x="{r}" y="{h_text}" text-anchor="end">{end}</text>'
        "</svg>",
        w=WIDTH,
        h=HEIGHT,
        summary=summary,
        l=LEFT,
        r=WIDTH - RIGHT,
        base=TOP + inner_h,
        area=area,
        line=line,
        dots=dots,
        top=display.number(top, display.places(metric, top)),
        h_text=HEIGHT - 8,
        start=display.day(first),
        end=display.day(last),
    )


def _raw(metric: str, shown: Decimal) -> Decimal:
    # metric_number converts from API units; undo the tonnes so it converts back exactly.
    return shown * 1000 if metric == "waste_kg" else shown
