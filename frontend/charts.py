"""A small line chart drawn on the server as inline SVG and HTML: no JavaScript, no chart library, prints well.

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

# The drawing stretches to the width of the page (preserveAspectRatio="none", strokes that do not
# scale), in a box of fixed height; its text is HTML beside it, so it reads at the page's own size on
# a phone and on a desktop alike instead of scaling with the drawing.
WIDTH, HEIGHT = 100, 100
TOP = 14  # the top grid line, with room above it for its label


@dataclass(frozen=True)
class Point:
    day: dt.date
    value: Decimal


def cumulative_points(series: list[dict], metric: str) -> list[Point]:
    """The stats timeseries (one row per day) as points of the running total, in display units."""
    return [
        Point(dt.date.fromisoformat(row["day"]), display.display_value(metric, row["cumulative"])) for row in series
    ]


def nice_top(value: Decimal) -> Decimal:
    """The axis's top: the smallest of 1, 2, 2.5, 5 times a power of ten that is at least `value`, so
    the grid lines (the top, its half and zero) fall on figures a reader can take in at a glance."""
    value = max(value, Decimal(1))
    power = Decimal(10) ** (value.adjusted())
    for step in (1, 2, Decimal("2.5"), 5, 10):
        if step * power >= value:
            return (step * power).normalize()
    raise AssertionError("unreachable: 10 × 10^⌊log10 v⌋ > v")


def line_chart(points: list[Point], *, metric: str, title: str) -> SafeString:
    if not points:
        return format_html('<p class="chart__empty">{}</p>', _("No figures yet."))
    first, last = points[0].day, points[-1].day
    span = max((last - first).days, 1)
    top = nice_top(max(p.value for p in points))
    inner_h = HEIGHT - TOP

    def xy(point: Point) -> tuple[float, float]:
        x = WIDTH * (point.day - first).days / span
        y = TOP + inner_h * (1 - float(point.value / top))
        return round(x, 2), round(y, 2)

    coordinates = [xy(p) for p in points]
    if len(coordinates) == 1:  # one day: a flat line across, so there is something to see
        coordinates = [(0, coordinates[0][1]), (WIDTH, coordinates[0][1])]
    line = " ".join(f"{x},{y}" for x, y in coordinates)
    area = f"{coordinates[0][0]},{HEIGHT} {line} {coordinates[-1][0]},{HEIGHT}"
    latest = display.metric_number(metric, _raw(metric, points[-1].value))
    summary = _("%(title)s: %(value)s on %(day)s, from %(start)s.") % {
        "title": title,
        "value": latest,
        "day": display.day(last),
        "start": display.day(first),
    }
    end_x, end_y = coordinates[-1]
    ticks = ((top, "top"), (top / 2, "middle"), (Decimal(0), "base"))
    labels = format_html_join(
        "",
        '<span class="chart__tick chart__tick--{}">{}</span>',
        ((where, display.number(value, display.places(metric, value))) for value, where in ticks),
    )
    return format_html(
        '<div class="chart" role="img" aria-label="{summary}">'
        '<div class="chart__plot" aria-hidden="true">'
        '<svg viewBox="0 0 {w} {h}" preserveAspectRatio="none" focusable="false">'
        '<line class="chart__grid" x1="0" y1="{top_y}" x2="{w}" y2="{top_y}"></line>'
        '<line class="chart__grid" x1="0" y1="{mid_y}" x2="{w}" y2="{mid_y}"></line>'
        '<polygon class="chart__area" points="{area}"></polygon>'
        '<polyline class="chart__line" points="{line}"></polyline>'
        # A zero-length stroke with round caps that does not scale: a dot that stays round
        '<line class="chart__dot" x1="{end_x}" y1="{end_y}" x2="{end_x}" y2="{end_y}"></line>'
        '<line class="chart__axis" x1="0" y1="{h}" x2="{w}" y2="{h}"></line>'
        "</svg>{labels}"
        '<span class="chart__latest">{latest}</span>'
        "</div>"
        '<div class="chart__days" aria-hidden="true"><span>{start}</span><span>{end}</span></div>'
        "</div>",
        summary=summary,
        w=WIDTH,
        h=HEIGHT,
        top_y=TOP,
        mid_y=TOP + inner_h / 2,
        area=area,
        line=line,
        end_x=end_x,
        end_y=end_y,
        labels=labels,
        latest=latest,
        start=display.day(first),
        end=display.day(last),
    )


def _raw(metric: str, shown: Decimal) -> Decimal:
    # metric_number converts from API units; undo the tonnes so it converts back exactly.
    return shown * 1000 if metric == "waste_kg" else shown
