"""The link preview images, drawn with Pillow: a PNG of 1200 x 630 for each public event and language,
and one for the site. Messengers show PNG and JPEG previews, not SVG, so the card is a picture.

Every text is fitted to its box: a line is broken at spaces (or inside a word longer than the box),
a text gets a fixed number of lines, and the last line it may have ends with "…" when text is left
over. So no title, however long, draws outside the card or over the lines below it. The font is
DejaVu Sans, shipped in frontend/fonts/ (it has all of Kazakh's letters), never the system's.
"""

from __future__ import annotations

import io
import math
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from events.models import Event
from frontend import labels, sharing

# Bumped when the drawing changes, so caches keyed on an event's version let go of the old picture.
DRAWING = 1

FONTS = Path(__file__).resolve().parent / "fonts"
WIDTH, HEIGHT = sharing.PREVIEW_SIZE
MARGIN = 72
TEXT_WIDTH = WIDTH - 2 * MARGIN
BAND = 96  # the brand band along the bottom edge

GREEN_900 = (6, 64, 46)
GREEN_700 = (11, 110, 79)
GREEN_100 = (227, 242, 236)
INK = (27, 31, 35)
INK_MUTED = (74, 85, 97)
PAPER = (255, 255, 255)

ELLIPSIS = "…"


@cache
def font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    # The basic layout: Cyrillic and Latin need no shaping, and it draws the same with or without libraqm.
    return ImageFont.truetype(str(FONTS / name), size, layout_engine=ImageFont.Layout.BASIC)


def fit(text: str, face: ImageFont.FreeTypeFont, width: int, max_lines: int) -> list[str]:
    """`text` broken into at most `max_lines` lines no wider than `width`; the last ends with "…"
    when some text did not fit. Whitespace of any kind (line breaks, U+2028) is one space."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if face.getlength(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while face.getlength(word) > width:  # a word wider than the box is cut where it must be
            cut = _longest_prefix(word, face, width)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
        if len(lines) >= max_lines:
            return _ellipsised(lines[:max_lines], face, width)
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        return _ellipsised(lines[:max_lines], face, width)
    return lines


def _longest_prefix(word: str, face: ImageFont.FreeTypeFont, width: int) -> int:
    cut = len(word)
    while cut > 1 and face.getlength(word[:cut]) > width:
        cut -= 1
    return cut


def _ellipsised(lines: list[str], face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    last = lines[-1]
    while last and face.getlength(last.rstrip() + ELLIPSIS) > width:
        last = last[:-1]
    return [*lines[:-1], last.rstrip() + ELLIPSIS]


def event_png(event: Event, language: str) -> bytes:
    """The event's card in `language`: its kind and campaign, its title, when (its own zone's time) and where."""
    with translation.override(language):
        card, draw = _canvas()
        y = 52
        heading = f"{labels.EVENT_KIND_LABELS.get(event.kind, event.kind)} · {event.campaign.name}"
        y = _text(draw, heading, font(30), INK_MUTED, y, max_lines=1, leading=1.3)
        y += 16
        title_lines, title_face = _title(event.title)
        for line in title_lines:
            draw.text((MARGIN, y), line, font=title_face, fill=INK)
            y += round(title_face.size * 1.18)
        y += 22
        draw.rectangle((MARGIN, y + 4, MARGIN + 8, y + 40), fill=GREEN_700)
        y = _text(draw, sharing.when(event), font(34, bold=True), GREEN_900, y, max_lines=1, left=MARGIN + 28)
        y += 8
        _text(draw, sharing.where(event), font(30), INK_MUTED, y, max_lines=2, left=MARGIN + 28)
        _band(card, draw)
        return _png(card)


def site_png(language: str) -> bytes:
    """The site's card in `language`: the mark, the name and what the platform is."""
    with translation.override(language):
        card, draw = _canvas()
        _mark(card, (MARGIN, 96), 120, fill=GREEN_700, stem=PAPER)
        draw.text((MARGIN + 150, 112), "Taza", font=font(88, bold=True), fill=GREEN_900)
        line = _(
            "Taza is the public platform of national environmental campaigns: "
            "clean-ups, tree planting and cleaning of areas across Kazakhstan."
        )
        _text(draw, line, font(40), INK, 290, max_lines=4, leading=1.3)
        _band(card, draw)
        return _png(card)


def _title(title: str) -> tuple[list[str], ImageFont.FreeTypeFont]:
    """The title at the largest size it fits in three lines at, else the smallest, ellipsised."""
    for size in (64, 56, 50):
        face = font(size, bold=True)
        lines = fit(title, face, TEXT_WIDTH, 3)
        if not lines[-1:] or not lines[-1].endswith(ELLIPSIS):
            return lines, face
    return lines, face


def _canvas() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    card = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(card)
    draw.rectangle((0, 0, 12, HEIGHT - BAND), fill=GREEN_700)
    return card, draw


def _text(
    draw: ImageDraw.ImageDraw,
    text: str,
    face: ImageFont.FreeTypeFont,
    fill: tuple[int, int, int],
    y: int,
    *,
    max_lines: int,
    left: int = MARGIN,
    leading: float = 1.25,
) -> int:
    """Draw `text` fitted to the box from `left` to the right margin; return the y below it."""
    for line in fit(text, face, WIDTH - MARGIN - left, max_lines):
        draw.text((left, y), line, font=face, fill=fill)
        y += round(face.size * leading)
    return y


def _band(card: Image.Image, draw: ImageDraw.ImageDraw) -> None:
    top = HEIGHT - BAND
    draw.rectangle((0, top, WIDTH, HEIGHT), fill=GREEN_700)
    _mark(card, (MARGIN, top + 22), 52, fill=PAPER, stem=GREEN_700)
    draw.text((MARGIN + 66, top + 24), "Taza", font=font(40, bold=True), fill=PAPER)
    host = urlsplit(settings.SITE_URL).netloc or settings.SITE_URL
    face = font(28)
    draw.text((WIDTH - MARGIN - face.getlength(host), top + 32), host, font=face, fill=GREEN_100)


def _mark(card: Image.Image, at: tuple[int, int], size: int, *, fill: tuple, stem: tuple) -> None:
    """The Taza mark (a leaf as a drop, the favicon's drawing), drawn four times larger and scaled
    down so its curves are smooth."""
    scale = 4
    big = size * scale
    unit = big / 32  # the favicon's viewBox is 32 x 32
    layer = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    outline = _drop(unit)
    draw.polygon(outline, fill=fill)
    draw.line([(16 * unit, 28 * unit), (16 * unit, 14 * unit)], fill=stem, width=round(2 * unit))
    small = layer.resize((size, size), Image.Resampling.LANCZOS)
    card.paste(small, at, small)


def _drop(unit: float) -> list[tuple[float, float]]:
    """The favicon's outline, M16 3 c-6 6-9 11-9 16 a9 9 0 0 0 18 0 c0-5-3-10-9-16z, as points."""
    points = _cubic((16, 3), (10, 9), (7, 14), (7, 19))
    points += [(16 - 9 * math.cos(math.pi * i / 32), 19 + 9 * math.sin(math.pi * i / 32)) for i in range(33)]
    points += _cubic((25, 19), (25, 14), (22, 9), (16, 3))
    return [(x * unit, y * unit) for x, y in points]


def _cubic(p0, p1, p2, p3, steps: int = 24) -> list[tuple[float, float]]:
    def at(t: float, a: float, b: float, c: float, d: float) -> float:
        return (1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t**2 * c + t**3 * d

    return [
        (at(i / steps, p0[0], p1[0], p2[0], p3[0]), at(i / steps, p0[1], p1[1], p2[1], p3[1])) for i in range(steps + 1)
    ]


def _png(card: Image.Image) -> bytes:
    buffer = io.BytesIO()
    card.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
