"""The processing task: the public image upright, resized and with no metadata at all (read back),
the EXIF location and time kept for the coordinator only, and the task safe to run twice."""

from __future__ import annotations

import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from photos.models import PhotoFile
from photos.processing import photo_process
from photos.services import photo_attach
from photos.tasks import process_photo, process_waiting
from tests.photos.conftest import GPS, TAKEN, jpeg, upload

# 51°08'30" N 71°27'00" E: 2 km from the event's place, which the event's page shows itself.
ELSEWHERE = {1: "N", 2: (51.0, 8.0, 30.0), 3: "E", 4: (71.0, 27.0, 0.0)}

pytestmark = pytest.mark.django_db


def read_back(path) -> Image.Image:
    image = Image.open(path)
    image.load()
    return image


def test_the_public_file_has_no_metadata_and_only_the_coordinator_reads_where_and_when(
    client_for, organiser, coordinator, volunteer, event, photo_storages, committing, time_machine
):
    # Given a portrait photo from a phone: 800 x 600 pixels stored sideways (EXIF Orientation 6),
    # with the camera's GPS position, its time taken, its maker and a JPEG comment
    original = jpeg(size=(2400, 1800), gps=ELSEWHERE, taken=TAKEN, orientation=6)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    with committing():
        answer = client_for(organiser).post(
            "/api/v1/photos/",
            {"file": upload(original), "subject": "result", "subject_id": str(event.id), "role": "after"},
            format="multipart",
        )
    photo_id = answer.json()["id"]

    # Then the public image is upright (turned by the orientation), at most 1600 px, and carries nothing
    public = read_back(photo_storages / "public" / f"{photo_id}.jpg")
    thumbnail = read_back(photo_storages / "public" / f"{photo_id}-thumb.jpg")
    assert (public.size, thumbnail.size) == ((1200, 1600), (240, 320))
    for image in (public, thumbnail):
        assert dict(image.getexif()) == {}
        assert set(image.info) <= {"jfif", "jfif_version", "jfif_unit", "jfif_density", "progressive", "progression"}
        assert "exif" not in image.info and "icc_profile" not in image.info and "comment" not in image.info
        assert b"Exif" not in (photo_storages / "public" / f"{photo_id}.jpg").read_bytes()
        assert b"TestCam" not in (photo_storages / "public" / f"{photo_id}.jpg").read_bytes()
        assert image.applist == [("APP0", image.applist[0][1])]  # JFIF only: no APP1 (EXIF, XMP), no APP2 (ICC)

    # and the private row keeps where and when the camera says it was taken
    record = PhotoFile.objects.get(pk=photo_id)
    assert (record.latitude, record.longitude) == (51.141667, 71.45)
    assert record.taken_at == dt.datetime(2026, 5, 16, 11, 30, tzinfo=ZoneInfo("Asia/Almaty"))
    assert (record.public_width, record.public_height) == (1200, 1600)

    # which the region's coordinator reads in the evidence, and nobody else
    evidence = client_for(coordinator).get(f"/api/v1/photos/{photo_id}/evidence/")
    assert evidence.status_code == 200
    assert {k: evidence.json()[k] for k in ("taken_at", "latitude", "longitude")} == {
        "taken_at": "2026-05-16T11:30:00+05:00",
        "latitude": 51.141667,
        "longitude": 71.45,
    }
    assert client_for(volunteer).get(f"/api/v1/photos/{photo_id}/evidence/").status_code == 403
    assert client_for(None).get(f"/api/v1/photos/{photo_id}/evidence/").status_code == 401

    # Once the event is over, its page shows the photo itself (its thumbnail, linking to the public copy)
    time_machine.move_to(event.ends_at + dt.timedelta(hours=1), tick=False)
    event_page = client_for(None).get(f"/events/{event.id}/").content.decode()
    assert f'src="/photos/{photo_id}-thumb.jpg"' in event_page and f'href="/photos/{photo_id}.jpg"' in event_page

    # The public API, the feed and the event's page never show them
    anyone = client_for(None)
    shown = [
        json.dumps(anyone.get(f"/api/v1/photos/{photo_id}/").json()),
        json.dumps(anyone.get("/api/v1/photos/").json()),
        json.dumps(anyone.get("/api/v1/facts/", {"stream": f"photo-{photo_id}"}).json()),
        anyone.get(f"/events/{event.id}/").content.decode(),
    ]
    for text in shown:
        for secret in ("51.1416", "71.45", "2026-05-16", "11:30", "TestCam", str(organiser.volunteer_id)):
            assert secret not in text


def test_the_task_is_safe_to_run_twice(client_for, organiser, event, photo_storages, committing):
    with committing():
        photo_id = (
            client_for(organiser)
            .post(
                "/api/v1/photos/",
                {"file": upload(jpeg(gps=GPS)), "subject": "result", "subject_id": str(event.id), "role": "after"},
                format="multipart",
            )
            .json()["id"]
        )
    made = (photo_storages / "public" / f"{photo_id}.jpg").read_bytes()
    processed_at = PhotoFile.objects.get(pk=photo_id).processed_at

    assert process_photo.delay(photo_id).get() is True
    photo_process(photo_id=photo_id)

    assert (photo_storages / "public" / f"{photo_id}.jpg").read_bytes() == made
    assert sorted(p.name for p in (photo_storages / "public").iterdir()) == [f"{photo_id}-thumb.jpg", f"{photo_id}.jpg"]
    assert PhotoFile.objects.get(pk=photo_id).processed_at == processed_at
    assert process_photo.delay("not-a-photo").get() is False


def test_beat_processes_a_photo_whose_task_was_lost(organiser, event, photo_storages, time_machine):
    # Given a photo whose task never ran (no commit callback here: as if the broker was down)
    photo = photo_attach(actor=organiser, subject="result", subject_id=event.id, role="after", file=jpeg(3))
    assert process_waiting.delay().get() == 0  # within its first minute it is left to its own task

    time_machine.move_to(PhotoFile.objects.get(pk=photo.id).uploaded_at + dt.timedelta(minutes=2))

    assert process_waiting.delay().get() == 1
    assert PhotoFile.objects.get(pk=photo.id).processed_at is not None
    assert (photo_storages / "public" / f"{photo.id}.jpg").exists()
    assert process_waiting.delay().get() == 0
