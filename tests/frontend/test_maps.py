"""The maps come from the platform itself: no other host in the CSP unless a setting names a tile
server (and then only on the pages with a map), and the PMTiles basemap served by byte ranges.

The sample archive is written here with the PyPI pmtiles writer, from solid PNG tiles (Pillow)
covering the country at zooms 0 to 4; tests/browser/test_maps.py draws it."""

from __future__ import annotations

import io
import json
import math
import re
from pathlib import Path

import pytest
from django.test import Client
from PIL import Image
from pmtiles.reader import Reader
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import Writer

from frontend.views.maps import map_sources

pytestmark = pytest.mark.django_db

TILE_COLOUR = (200, 30, 30)
BOX = (46.4, 40.5, 87.4, 55.5)  # the country's box: west, south, east, north
ZOOMS = range(0, 5)


def tile_range(zoom: int) -> tuple[range, range]:
    """The x and y of the Web Mercator tiles over the country's box at `zoom`."""
    west, south, east, north = BOX
    n = 2**zoom

    def x(lon: float) -> int:
        return int((lon + 180) / 360 * n)

    def y(lat: float) -> int:
        radians = math.radians(lat)
        return int((1 - math.asinh(math.tan(radians)) / math.pi) / 2 * n)

    return range(x(west), x(east) + 1), range(y(north), y(south) + 1)


def png(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 256), colour).save(out, "PNG")
    return out.getvalue()


def write_sample_pmtiles(path: Path) -> dict[tuple[int, int, int], bytes]:
    """A raster PMTiles archive of solid tiles over the country; returns what each tile holds."""
    tiles = {}
    for zoom in ZOOMS:
        xs, ys = tile_range(zoom)
        for x in xs:
            for y in ys:
                # Each tile's own shade of the colour, so a tile read back is known to be that tile.
                tiles[(zoom, x, y)] = png((TILE_COLOUR[0], TILE_COLOUR[1] + zoom, TILE_COLOUR[2] + (x + y) % 50))
    with path.open("wb") as file:
        writer = Writer(file)
        for (zoom, x, y), data in sorted(tiles.items(), key=lambda item: zxy_to_tileid(*item[0])):
            writer.write_tile(zxy_to_tileid(zoom, x, y), data)
        west, south, east, north = BOX
        writer.finalize(
            {
                "tile_type": TileType.PNG,
                "tile_compression": Compression.NONE,
                "min_lon_e7": int(west * 1e7),
                "min_lat_e7": int(south * 1e7),
                "max_lon_e7": int(east * 1e7),
                "max_lat_e7": int(north * 1e7),
                "center_zoom": 3,
                "center_lon_e7": int(67 * 1e7),
                "center_lat_e7": int(48 * 1e7),
            },
            {"attribution": "test tiles"},
        )
    return tiles


@pytest.fixture
def archive(tmp_path, settings):
    path = tmp_path / "kazakhstan.pmtiles"
    tiles = write_sample_pmtiles(path)
    settings.TAZA_MAP_PMTILES = str(path)
    return path, tiles


def img_src(response) -> str:
    directives = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return directives["img-src"]


def basemap_url(client: Client) -> str:
    """The basemap's address, as every map's data-pmtiles names it."""
    url = map_sources()["pmtiles"]
    assert re.fullmatch(r"/maps/basemap/[0-9a-f]{16}\.pmtiles", url), url
    return url


@pytest.fixture
def finder_with_pins(db):
    from tests.browser.world import build_world

    return build_world()


# --- The CSP ------------------------------------------------------------------------------------------


def test_by_default_the_pages_with_a_map_name_no_other_host(client, finder_with_pins):
    for path in ("/events/", "/dumps/", "/"):
        response = client.get(path)
        assert response.status_code == 200
        policy = response["Content-Security-Policy"]
        assert img_src(response) == "'self' data:", path
        assert "http://" not in policy and "https://" not in policy, path
    page = client.get("/events/").content.decode()
    assert 'data-tiles=""' in page and 'data-pmtiles=""' in page and 'data-attribution=""' in page
    assert "openstreetmap" not in page


def test_a_tile_server_in_the_settings_is_allowed_on_the_map_pages_only(client, finder_with_pins, settings):
    settings.TAZA_MAP_TILE_URL = "https://tiles.example.org/osm/{z}/{x}/{y}.png"
    finder = client.get("/events/")
    assert img_src(finder) == "'self' data: https://tiles.example.org"
    assert 'data-tiles="https://tiles.example.org/osm/{z}/{x}/{y}.png"' in finder.content.decode()
    assert 'data-attribution="© OpenStreetMap contributors"' in finder.content.decode()
    assert img_src(client.get("/dumps/")) == "'self' data: https://tiles.example.org"
    client.force_login(finder_with_pins.organiser)
    for path in ("/organise/events/new/", f"/organise/events/{finder_with_pins.soon.id}/edit/", "/dumps/report/"):
        assert img_src(client.get(path)) == "'self' data: https://tiles.example.org", path
    assert img_src(client.get("/organise/")) == "'self' data:"
    client.logout()
    # A page without a map never names it.
    for path in ("/", "/regions/", "/open-data/"):
        assert img_src(client.get(path)) == "'self' data:", path


def test_a_pmtiles_basemap_wins_over_the_tile_server_and_keeps_the_csp_to_the_site(
    client, finder_with_pins, settings, archive
):
    settings.TAZA_MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    finder = client.get("/events/")
    assert img_src(finder) == "'self' data:"
    page = finder.content.decode()
    assert 'data-tiles=""' in page
    assert f'data-pmtiles="{basemap_url(client)}"' in page
    assert 'data-attribution="© OpenStreetMap contributors"' in page


def test_a_missing_archive_leaves_the_map_without_a_basemap(client, finder_with_pins, settings, tmp_path):
    settings.TAZA_MAP_PMTILES = str(tmp_path / "not-there.pmtiles")
    page = client.get("/events/").content.decode()
    assert 'data-pmtiles=""' in page and 'data-tiles=""' in page


# --- The PMTiles endpoint -------------------------------------------------------------------------------


def test_the_basemap_answers_exact_byte_ranges(client, archive):
    path, _ = archive
    data = path.read_bytes()
    size = len(data)
    url = basemap_url(client)

    whole = client.get(url)
    assert whole.status_code == 200
    assert b"".join(whole.streaming_content) == data
    assert whole["Content-Length"] == str(size)
    assert whole["Accept-Ranges"] == "bytes"
    assert whole["Content-Type"] == "application/vnd.pmtiles"
    assert whole["Cache-Control"] == "public, max-age=31536000, immutable"
    etag = whole["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{16}"', etag) and etag.strip('"') in url

    cases = {
        "bytes=0-126": (0, 126),  # the header, as the browser's reader asks first
        "bytes=127-200": (127, 200),
        f"bytes={size - 10}-": (size - 10, size - 1),
        "bytes=-5": (size - 5, size - 1),
        "bytes=0-16383": (0, size - 1),  # the reader's first read, beyond a small file's end
        f"bytes={size - 1}-{size - 1}": (size - 1, size - 1),
        f"bytes=-{size + 100}": (0, size - 1),
    }
    assert size < 16384, size
    for header, (first, last) in cases.items():
        answer = client.get(url, headers={"Range": header})
        assert answer.status_code == 206, header
        assert answer["Content-Range"] == f"bytes {first}-{last}/{size}", header
        assert answer["Content-Length"] == str(last - first + 1), header
        assert b"".join(answer.streaming_content) == data[first : last + 1], header
        assert answer["ETag"] == etag


@pytest.mark.parametrize("header", ["bytes=999999-", "bytes=-0", "bytes=5-2", "bytes=abc", "bytes=-", "bytes=1-2-3"])
def test_a_range_outside_the_file_or_invalid_is_416_with_the_size(client, archive, header):
    size = archive[0].stat().st_size
    if header == "bytes=999999-":
        header = f"bytes={size}-"
    answer = client.get(basemap_url(client), headers={"Range": header})
    assert answer.status_code == 416
    assert answer["Content-Range"] == f"bytes */{size}"
    assert answer.content == b""


def test_another_unit_or_several_ranges_get_the_whole_file(client, archive):
    data = archive[0].read_bytes()
    url = basemap_url(client)
    for header in ("items=0-5", "bytes=0-5,10-20"):
        answer = client.get(url, headers={"Range": header})
        assert answer.status_code == 200, header
        assert b"".join(answer.streaming_content) == data


def test_head_conditional_and_if_range(client, archive):
    size = archive[0].stat().st_size
    url = basemap_url(client)
    head = client.head(url, headers={"Range": "bytes=10-19"})
    assert head.status_code == 206
    assert head["Content-Range"] == f"bytes 10-19/{size}"
    assert head["Content-Length"] == "10"
    assert head.content == b""
    plain_head = client.head(url)
    assert plain_head.status_code == 200 and plain_head["Content-Length"] == str(size) and plain_head.content == b""
    etag = plain_head["ETag"]

    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-None-Match": f'"other", W/{etag}'}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    # If-Range with the current tag: the range; with another: the whole file.
    assert client.get(url, headers={"Range": "bytes=0-9", "If-Range": etag}).status_code == 206
    changed = client.get(url, headers={"Range": "bytes=0-9", "If-Range": '"0000000000000000"'})
    assert changed.status_code == 200 and changed["Content-Length"] == str(size)
    assert client.post(url).status_code == 405


def test_a_reader_through_the_ranges_gets_each_tile_written(client, archive):
    _, tiles = archive
    url = basemap_url(client)

    def get_bytes(offset: int, length: int) -> bytes:
        answer = client.get(url, headers={"Range": f"bytes={offset}-{offset + length - 1}"})
        assert answer.status_code == 206
        return b"".join(answer.streaming_content)

    reader = Reader(get_bytes)
    assert reader.header()["tile_type"] == TileType.PNG
    assert (reader.header()["min_zoom"], reader.header()["max_zoom"]) == (0, 4)
    assert len(tiles) == 9  # 1 + 1 + 1 + 2 + 4 tiles over the box at zooms 0 to 4
    for (zoom, x, y), data in tiles.items():
        assert reader.get(zoom, x, y) == data, (zoom, x, y)
    assert reader.get(4, 0, 0) is None


def test_no_archive_another_version_or_a_path_is_404(client, settings, archive, tmp_path):
    url = basemap_url(client)
    assert client.get(url.replace(url[-24:-8], "0123456789abcdef")).status_code == 404
    for path in (
        "/maps/basemap/..%2F..%2Fconfig%2Fsettings%2Fbase.py.pmtiles",
        "/maps/basemap/../../manage.py",
        "/maps/basemap/%2e%2e/%2e%2e/etc/passwd.pmtiles",
        "/maps/basemap/" + url.rsplit("/", 1)[1] + "/../../../manage.py",
        "/maps/basemap/etc%00passwd.pmtiles",
    ):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert b"DJANGO_SETTINGS_MODULE" not in answer.content and b"PMTiles" not in answer.content, path
    archive[0].unlink()
    assert client.get(url).status_code == 404
    # A directory named by mistake is no archive: no address, and nothing served.
    settings.TAZA_MAP_PMTILES = str(tmp_path)
    assert map_sources()["pmtiles"] == ""
    assert client.head(url).status_code == 404
    settings.TAZA_MAP_PMTILES = ""
    assert client.get(url).status_code == 404


# --- The maps' points and the forms' point picker ------------------------------------------------------


def pins_of(page: str, element_id: str) -> list[dict]:
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', page, re.S)
    assert found, element_id
    return json.loads(found.group(1))


def test_the_dumps_list_maps_the_dumps_it_lists_each_to_its_page(client):
    from dumps.models import Dump
    from dumps.services import dumps_import

    empty = client.get("/dumps/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "data-map " not in empty and 'id="dump-pins"' not in empty  # no point: no map, no map chunk
    rows = [
        {"id": "S-1", "latitude": 51.2, "longitude": 71.5, "area": "12"},
        {"id": "S-2", "latitude": 43.25, "longitude": 76.9, "area": "140"},
    ]
    assert dumps_import(rows=rows, source="maps").added == 2
    page = client.get("/dumps/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    by_point = {(d.latitude, d.longitude): d for d in Dump.objects.all()}
    assert sorted(pins_of(page, "dump-pins"), key=lambda pin: pin["lat"]) == [
        {
            "lat": 43.25,
            "lon": 76.9,
            "title": "Confirmed · Found by space monitoring · over 100 m²",
            "url": f"/dumps/{by_point[(43.25, 76.9)].id}/",
        },
        {
            "lat": 51.2,
            "lon": 71.5,
            "title": "Confirmed · Found by space monitoring · 10 to 100 m²",
            "url": f"/dumps/{by_point[(51.2, 71.5)].id}/",
        },
    ]
    assert 'aria-label="Map of the dumps"' in page and 'href="#found-dumps"' in page and 'id="found-dumps"' in page


def test_the_finder_maps_its_events_as_data(client, finder_with_pins):
    page = client.get("/events/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    world = finder_with_pins
    assert pins_of(page, "event-pins") == [
        {"lat": 51.1283, "lon": 71.4305, "title": "Esil embankment clean-up", "url": f"/events/{world.soon.id}/"},
        {
            "lat": 51.1283,
            "lon": 71.4305,
            "title": "Tree planting in the Botanical Garden",
            "url": f"/events/{world.later[0].id}/",
        },
        {"lat": 51.17, "lon": 71.47, "title": "Clean-up of the Koktal park", "url": f"/events/{world.later[1].id}/"},
    ]
    assert 'aria-label="Map of the events"' in page and 'href="#found-events"' in page


def test_the_propose_and_report_forms_carry_the_point_picker_beside_plain_inputs(client, finder_with_pins):
    from tests.browser.world import person

    client.force_login(finder_with_pins.organiser)
    for path in ("/organise/events/new/", f"/organise/events/{finder_with_pins.soon.id}/edit/"):
        page = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert 'data-point-map data-latitude="id_latitude" data-longitude="id_longitude"' in page, path
        assert '<input type="number" name="latitude"' in page and '<input type="number" name="longitude"' in page
    client.force_login(person("reporter@taza.test", "Reporter"))
    report = client.get("/dumps/report/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert report.count("data-point-map ") == 1
    # The map comes right after the longitude's field, before the rest of the form.
    assert report.index('name="longitude"') < report.index("data-point-map") < report.index('name="size"')
