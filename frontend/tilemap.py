"""Kazakhstan's 20 regions as a tile map: one square per region, placed roughly where it lies.

No map service: the grid is 7 columns (west to east) by 5 rows (north to south). Each tile is
coloured by a share (0 to 1) of the chosen metric's largest value, or by plan versus fact.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

# ISO 3166-2 code -> (column, row), both from 1 (CSS grid lines).
TILES = {
    "KZ-39": (3, 1),  # Kostanay
    "KZ-59": (4, 1),  # North Kazakhstan
    "KZ-55": (6, 1),  # Pavlodar
    "KZ-27": (1, 2),  # West Kazakhstan
    "KZ-15": (2, 2),  # Aktobe
    "KZ-11": (4, 2),  # Akmola
    "KZ-71": (5, 2),  # Astana
    "KZ-10": (6, 2),  # Abai
    "KZ-63": (7, 2),  # East Kazakhstan
    "KZ-23": (1, 3),  # Atyrau
    "KZ-62": (3, 3),  # Ulytau
    "KZ-35": (4, 3),  # Karaganda
    "KZ-33": (6, 3),  # Jetisu
    "KZ-47": (1, 4),  # Mangystau
    "KZ-43": (2, 4),  # Kyzylorda
    "KZ-61": (3, 4),  # Turkistan
    "KZ-31": (4, 4),  # Jambyl
    "KZ-19": (5, 4),  # Almaty Region
    "KZ-79": (3, 5),  # Shymkent
    "KZ-75": (5, 5),  # Almaty
}
SHADES = 5  # colour steps of the metric scale, taza.css .tile--shade-0 … -4


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    short: str  # what fits on a phone-sized tile
    column: int
    row: int
    value: object  # the figure shown, in API units
    shade: int | None  # 0..SHADES-1 on the metric scale; None in plan mode
    behind: bool | None  # plan mode: behind target (None: no target)


CITY_WORDS = {"қаласы", "город"}
REGION_WORDS = {"облысы", "region", "область"}


def short_name(name: str) -> str:
    """'Абай облысы' -> 'Абай', 'город Алматы' -> 'Алматы', 'West Kazakhstan Region' -> 'West Kazakhstan'."""
    words = [w for w in name.split() if w.lower() not in CITY_WORDS | REGION_WORDS]
    return " ".join(words) or name


def short_names(names: list[str]) -> dict[str, str]:
    """Each name's short form, but where two would read the same ('Almaty Region' and the city
    'Almaty', 'Алматы облысы' and 'Алматы қаласы') the region keeps its whole name."""
    shorts = {name: short_name(name) for name in names}
    count = Counter(shorts.values())
    return {
        name: short if count[short] == 1 or not REGION_WORDS & {w.lower() for w in name.split()} else name
        for name, short in shorts.items()
    }


VOWELS = set("аәеёиоөуұүыіэюяaeiouy")
NEVER_FIRST = set("ьъй")  # never begin a syllable: they close the one before


def soft_hyphens(name: str) -> str:
    """`name` with soft hyphens (U+00AD) where a word may break across lines on a narrow tile:
    before a consonant that starts a syllable (consonant then vowel: "Кос-та-найс-кая",
    "Ма-ңғыс-тау", "Ky-zy-lor-da"), never leaving a single letter or a part without a vowel on
    either side. The browser breaks there only if the word does not fit, and shows the hyphen."""
    return " ".join(_syllables(word) for word in name.split(" "))


def _syllables(word: str) -> str:
    letters = word.lower()
    breaks = [
        i
        for i in range(2, len(word) - 1)
        if letters[i] not in VOWELS | NEVER_FIRST
        and letters[i].isalpha()
        and letters[i + 1] in VOWELS
        and VOWELS & set(letters[:i])
        and VOWELS & set(letters[i:])
        and letters[i - 1].isalpha()
    ]
    pieces = [word[a:b] for a, b in zip([0, *breaks], [*breaks, len(word)], strict=True)]
    return "\u00ad".join(pieces)


def shade(value: Decimal, top: Decimal) -> int:
    if top <= 0 or value <= 0:
        return 0
    return min(int(value * (SHADES - 1) / top + Decimal("0.999")), SHADES - 1)
