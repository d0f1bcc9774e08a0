"""Sharing an event: its link preview tags, its preview image, its poster and the share links.

A day in November 2026 with the Astana eco-club's tree planting on 12 December, 10:00 to 13:00 in
Almaty's time; SITE_URL is the test settings' http://127.0.0.1:8000, the address every shared link
starts with whatever host the request came to.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import segno
import time_machine
from PIL import Image, ImageDraw

from events.services import event_approve, event_cancel, event_propose, event_reject, event_reschedule
from frontend import preview

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
SITE = "http://127.0.0.1:8000"


@pytest.fixture
def planting(db):
    """The world on 20 November 2026, and its public tree planting on 12 December."""
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, 0, tzinfo=ALMATY), tick=True):
        from tests.browser.world import build_world

        world = build_world()
        proposed = event_propose(
            actor=world.organiser,
            campaign_id=world.campaign.id,
            kind="tree_planting",
            title="Tree planting in the Botanical Garden",
            description="Two hundred elms along the new alley.\nSpades are given out on site.",
            region="KZ-71",
            address="Botanical Garden, Turan Avenue 1",
            starts_at=dt.datetime(2026, 12, 12, 10, 0, tzinfo=ALMATY),
            ends_at=dt.datetime(2026, 12, 12, 13, 0, tzinfo=ALMATY),
            capacity=40,
            what_to_bring="Gloves and water.",
        )
        world.planting = event_approve(actor=world.coordinator, event_id=proposed.id)
        yield world


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        key = named.get("property") or named.get("name")
        if tag == "meta" and key and (key.startswith(("og:", "twitter:"))):
            self.found.setdefault(key, []).append(named["content"])
        if tag == "link" and named.get("rel") == "canonical":
            self.found.setdefault("canonical", []).append(named["href"])


def tags_of(page: str) -> dict[str, list[str]]:
    parser = Tags()
    parser.feed(page)
    return parser.found


WHEN = {
    "kk": "12 желтоқсан 2026 ж., 10:00 – 13:00",
    "ru": "12 декабря 2026 г. 10:00 – 13:00",
    "en": "Dec. 12, 2026, 10 a.m. – 1 p.m.",
}
WHERE = {
    "kk": "Botanical Garden, Turan Avenue 1, Астана қаласы",
    "ru": "Botanical Garden, Turan Avenue 1, город Астана",
    "en": "Botanical Garden, Turan Avenue 1, Astana",
}
CAMPAIGN = {"kk": "Таза Қазақстан — күз", "ru": "Таза Казахстан — осень", "en": "Clean Kazakhstan — autumn"}
LOCALES = {"kk": ["kk_KZ", "ru_RU", "en_GB"], "ru": ["ru_RU", "kk_KZ", "en_GB"], "en": ["en_GB", "kk_KZ", "ru_RU"]}


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_event_page_carries_its_link_preview_in_the_visitors_language(client, planting, language):
    event = planting.planting
    page = client.get(f"/events/{event.id}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    url = f"{SITE}/events/{event.id}/"
    image = f"{SITE}/events/{event.id}/preview.{language}.png?v={event.version}"
    description = (
        f"{WHEN[language]}, {WHERE[language]}. {CAMPAIGN[language]}. "
        "Two hundred elms along the new alley. Spades are given out on site."
    )
    alt = f"Tree planting in the Botanical Garden. {WHEN[language]}, {WHERE[language]}."
    assert tags_of(page) == {
        "og:site_name": ["Taza"],
        "og:locale": LOCALES[language][:1],
        "og:locale:alternate": LOCALES[language][1:],
        "og:type": ["website"],
        "og:title": ["Tree planting in the Botanical Garden"],
        "og:description": [description],
        "og:url": [url],
        "og:image": [image],
        "og:image:type": ["image/png"],
        "og:image:width": ["1200"],
        "og:image:height": ["630"],
        "og:image:alt": [alt],
        "twitter:card": ["summary_large_image"],
        "twitter:title": ["Tree planting in the Botanical Garden"],
        "twitter:description": [description],
        "twitter:image": [image],
        "twitter:image:alt": [alt],
        "canonical": [url],
    }


@pytest.mark.parametrize(
    ("language", "description", "alt"),
    [
        (
            "kk",
            "Taza: Қазақстандағы ұлттық экологиялық науқандардың еріктілері, іс-шаралары және ашық нәтижелері.",
            "Taza — ұлттық экологиялық науқандардың платформасы",
        ),
        (
            "ru",
            "Taza: волонтёры, мероприятия и открытые результаты национальных экологических кампаний Казахстана.",
            "Taza — платформа национальных экологических кампаний",
        ),
        (
            "en",
            "Taza: volunteers, events and open results of national environmental campaigns in Kazakhstan.",
            "Taza, the platform of national environmental campaigns",
        ),
    ],
)
def test_a_page_without_a_card_of_its_own_carries_the_sites(client, planting, language, description, alt):
    page = client.get("/regions/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    tags = tags_of(page)
    assert tags["og:title"] == ["Taza"]
    assert tags["og:description"] == [description]
    assert tags["og:url"] == [f"{SITE}/regions/"]
    assert tags["og:image"] == [f"{SITE}/preview.{language}.png"]
    assert tags["og:image:alt"] == [alt]
    assert tags["og:locale"] == LOCALES[language][:1]
    assert tags["twitter:card"] == ["summary_large_image"]
    assert "canonical" not in tags
    site_image = client.get(f"/preview.{language}.png")
    assert Image.open(io.BytesIO(site_image.content)).size == (1200, 630)


def test_a_proposed_event_page_shows_its_organiser_the_sites_card_and_no_share_box(client, planting):
    client.force_login(planting.organiser)

    page = client.get(f"/events/{planting.proposed.id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert tags_of(page)["og:title"] == ["Taza"]
    assert "data-share" not in page and "/poster/" not in page


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_preview_is_a_1200_by_630_png_with_something_drawn_on_it(client, planting, language):
    response = client.get(f"/events/{planting.planting.id}/preview.{language}.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=3600"
    image = Image.open(io.BytesIO(response.content))
    assert (image.format, image.size) == ("PNG", (1200, 630))
    # Not blank: the paper, the brand's green and the title's ink are all there, and the title's
    # box (below the heading line, above the band) is partly dark.
    colours = {colour for _count, colour in image.convert("RGB").getcolors(maxcolors=1 << 16)}
    assert {(255, 255, 255), preview.GREEN_700, preview.INK} <= colours
    title_box = image.convert("L").crop((72, 110, 1128, 260))
    dark = sum(1 for value in title_box.get_flattened_data() if value < 100)
    assert dark > 5000


def test_each_language_draws_its_own_preview(client, planting):
    drawn = {
        lang: client.get(f"/events/{planting.planting.id}/preview.{lang}.png").content for lang in ("kk", "ru", "en")
    }

    assert len(set(drawn.values())) == 3


def test_the_font_has_every_kazakh_letter():
    # A letter a font lacks is drawn as its "no glyph" box: every Kazakh one must differ from it.
    def drawn(letter: str) -> bytes:
        canvas = Image.new("L", (80, 80), 0)
        ImageDraw.Draw(canvas).text((10, 10), letter, font=preview.font(40, bold=True), fill=255)
        return canvas.tobytes()

    missing = drawn("\U000f0000")  # a private-use code point no font draws
    letters = "әғқңөұүһіӘҒҚҢӨҰҮҺІ" + "жщэюЖЩЭЮ"
    assert [letter for letter in letters if drawn(letter) == missing] == []
    assert drawn("ә") != drawn("а")


def test_a_long_text_wraps_within_its_box_and_ends_with_an_ellipsis():
    face = preview.font(64, bold=True)
    title = "Үлкен көгалдандыру: Есіл өзенінің сол жағалауындағы саябақтарда ағаш отырғызу және қоқыс жинау " * 3

    lines = preview.fit(title, face, preview.TEXT_WIDTH, 3)

    assert len(lines) == 3
    assert all(face.getlength(line) <= preview.TEXT_WIDTH for line in lines)
    assert lines[-1].endswith("…") and not lines[0].endswith("…")
    assert lines[0] == "Үлкен көгалдандыру: Есіл"


def test_a_word_wider_than_the_box_is_cut_and_a_short_text_is_left_alone():
    face = preview.font(64, bold=True)

    cut = preview.fit("Ә" * 80, face, 500, 2)
    kept = preview.fit("Тал егу", face, 500, 2)

    assert len(cut) == 2 and cut[1].endswith("…")
    assert all(face.getlength(line) <= 500 for line in cut)
    assert kept == ["Тал егу"]


def test_a_preview_or_poster_of_an_event_not_public_is_not_found(client, planting):
    rejected = event_propose(
        actor=planting.organiser,
        campaign_id=planting.campaign.id,
        kind="cleanup",
        title="Rejected clean-up",
        region="KZ-71",
        address="Somewhere",
        starts_at=planting.planting.starts_at,
        ends_at=planting.planting.ends_at,
        capacity=5,
    )
    event_reject(actor=planting.coordinator, event_id=rejected.id, reason="Same day as the planting.")
    cancelled = planting.later[1]
    event_cancel(actor=planting.organiser, event_id=cancelled.id, reason="Storm warning.")
    client.force_login(planting.organiser)  # not even its organiser: these are for the world

    answers = {
        name: (
            client.get(f"/events/{event_id}/preview.en.png").status_code,
            client.get(f"/events/{event_id}/poster/").status_code,
        )
        for name, event_id in {
            "proposed": planting.proposed.id,
            "rejected": rejected.id,
            "cancelled": cancelled.id,
            "unknown": "01900000-0000-7000-8000-000000000000",
        }.items()
    }

    assert answers == dict.fromkeys(answers, (404, 404))
    assert client.get(f"/events/{planting.planting.id}/preview.de.png").status_code == 404


def test_the_preview_etag_changes_when_the_event_is_rescheduled(client, planting):
    event = planting.planting
    url = f"/events/{event.id}/preview.kk.png"
    first = client.get(url)
    etag = first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304

    with time_machine.travel(dt.datetime(2026, 11, 21, 9, 0, tzinfo=ALMATY), tick=True):
        moved = event_reschedule(
            actor=planting.organiser,
            event_id=event.id,
            starts_at=dt.datetime(2026, 12, 13, 11, 0, tzinfo=ALMATY),
            ends_at=dt.datetime(2026, 12, 13, 14, 0, tzinfo=ALMATY),
            reason="Frost on Saturday.",
        )

    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert again["ETag"] != etag
    assert again.content != first.content
    page = client.get(f"/events/{event.id}/", HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert tags_of(page)["og:image"] == [f"{SITE}{url}?v={moved.version}"]
    assert moved.version > event.version


def _qr_path(url: str) -> str:
    """The path segno draws for `url` at the poster's settings: the modules of the code, nothing else."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="svg", scale=10, xmldecl=False, border=4)
    return re.search(r' d="([^"]+)"', buffer.getvalue().decode()).group(1)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "kk",
            [
                "Қашан",
                "Қайда",
                "Өзіңізбен не алу керек",
                "Ұйымдастырушы",
                "Тіркелу үшін кодты телефоныңыздың камерасымен сканерлеңіз: ол іс-шараның бетін ашады.",
            ],
        ),
        (
            "ru",
            [
                "Когда",
                "Где",
                "Что взять с собой",
                "Организатор",
                "Отсканируйте код камерой телефона, чтобы записаться: откроется страница мероприятия.",
            ],
        ),
        (
            "en",
            [
                "When",
                "Where",
                "What to bring",
                "Organised by",
                "Scan the code with your phone's camera to register: it opens the event's page.",
            ],
        ),
    ],
)
def test_the_poster_says_what_when_where_and_carries_the_qr_code_of_the_event_page(client, planting, language, words):
    event = planting.planting
    response = client.get(f"/events/{event.id}/poster/", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 200
    page = " ".join(response.content.decode().replace("&#x27;", "'").split())
    for text in [
        *words,
        "Tree planting in the Botanical Garden",
        WHEN[language],
        WHERE[language],
        "Gloves and water.",
        "ENU Eco-club",
        CAMPAIGN[language],
        f"{SITE}/events/{event.id}/",
    ]:
        assert text in page, text
    assert '<link rel="stylesheet" href="/static/frontend/poster.css">' in page
    # The QR code is segno's drawing of the event page's address, and only of it.
    assert page.count("<svg") == 3  # the header's mark, the poster's mark, the code
    assert f'd="{_qr_path(f"{SITE}/events/{event.id}/")}"' in page
    assert 'viewBox="0 0 ' in page


def test_the_event_page_links_its_address_the_messengers_and_the_poster(client, planting):
    event = planting.planting
    page = client.get(f"/events/{event.id}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    url = f"{SITE}/events/{event.id}/"
    quoted = f"http%3A%2F%2F127.0.0.1%3A8000%2Fevents%2F{event.id}%2F"
    line = "%D0%9C%D0%B5%D1%80%D0%BE%D0%BF%D1%80%D0%B8%D1%8F%D1%82%D0%B8%D0%B5%20Taza"
    assert f'<input type="url" id="share-url" class="share-box__url" readonly value="{url}"' in page
    assert f'href="https://t.me/share/url?url={quoted}&amp;text={line}' in page
    assert f'href="https://wa.me/?text={line}' in page and f'%20{quoted}"' in page
    assert f'href="mailto:?subject={line}' in page and f'&amp;body={quoted}"' in page
    assert f'<a href="/events/{event.id}/poster/">Распечатать афишу</a>' in page
    assert "Поделиться" in page
