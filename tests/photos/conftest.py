"""Photos made in the test with Pillow (one with GPS EXIF, a time taken and a rotation), the people
and the event of tests/events, a dump reported in Astana, and storages in a folder of the test's own."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from tests.dumps.conftest import ASTANA_POINT, north, report_body  # noqa: F401
from tests.events.conftest import (  # noqa: F401  (fixtures)
    ASTANA,
    admin,
    campaign,
    client_for,
    coordinator,
    eco_club,
    event,
    in_english,
    make_event,
    organiser,
    other_coordinator,
    other_organiser,
    person,
    school,
    volunteer,
    volunteers,
)

# Where the camera says it was: 51°07'41.88" N 71°25'49.8" E, the Astana point of tests/dumps.
GPS = {1: "N", 2: (51.0, 7.0, 41.88), 3: "E", 4: (71.0, 25.0, 49.8)}
TAKEN = "2026:05:16 11:30:00"


def scene(seed: int = 0, size: tuple[int, int] = (800, 600)) -> Image.Image:
    """A picture of its own for each seed: stripes and boxes whose positions follow from it."""
    image = Image.new("RGB", size, (30 + seed * 17 % 200, 120, 90))
    draw = ImageDraw.Draw(image)
    for n in range(8):
        x = (seed * 97 + n * 131) % size[0]
        y = (seed * 53 + n * 71) % size[1]
        draw.rectangle(
            [x, y, x + size[0] // 5, y + size[1] // 7], fill=((n * 40 + seed * 13) % 256, (n * 90) % 256, 200)
        )
    return image


def jpeg(
    seed: int = 0,
    *,
    size: tuple[int, int] = (800, 600),
    gps: dict | None = None,
    taken: str | None = None,
    orientation: int | None = None,
    resized: tuple[int, int] | None = None,
) -> bytes:
    """A JPEG of `scene(seed)` (shrunk to `resized`: the same picture smaller), with GPS,
    DateTimeOriginal and Orientation in its EXIF when given."""
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = gps
    if taken:
        exif[0x8769] = {0x9003: taken}
    out = io.BytesIO()
    picture = scene(seed, size)
    if resized:
        picture = picture.resize(resized)
    picture.save(out, "JPEG", exif=exif.tobytes(), quality=90, comment=b"taken by Dana at home")
    return out.getvalue()


def upload(content: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


@pytest.fixture(autouse=True)
def photo_storages(settings, tmp_path):
    """The originals and the public files in the test's own folders (the settings' aliases, as in production)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "originals"), "base_url": "/nowhere/"},
        },
        "photos_public": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "public"), "base_url": "/photos/"},
        },
    }
    return tmp_path


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Run what a write queues after its commit (the processing task, eager in tests) at once."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
