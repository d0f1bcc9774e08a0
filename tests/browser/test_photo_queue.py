"""An organiser on a phone adds an after-photo of the clean-up while the network is down: the photo
waits on the phone (IndexedDB), survives the tab being closed, and is sent once, by itself, when
the signal returns."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from photos.models import Photo, PhotoFile
from tests.browser.conftest import BROWSER, shot, sign_in

pytestmark = BROWSER


@pytest.fixture
def photo_storages(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "photos": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "o")},
        },
        "photos_public": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "p"), "base_url": "/photos/"},
        },
    }
    return tmp_path


def a_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 140, 90)).save(out, "JPEG")
    return out.getvalue()


def test_a_photo_chosen_offline_is_sent_once_when_the_signal_returns(world, new_page, live_server, photo_storages):
    event = world.soon
    page = new_page("en")
    sign_in(page, live_server, world.organiser.email)
    page.goto(f"{live_server.url}/organise/events/{event.id}/photos/")
    page.wait_for_selector("form[data-photo-queue]")
    context = page.context

    # When the network drops and the organiser adds an after-photo
    context.set_offline(True)
    page.set_input_files("#id_photos", files=[{"name": "after.jpg", "mimeType": "image/jpeg", "buffer": a_jpeg()}])
    page.get_by_role("button", name="Add the photos").click()

    # then it waits on the phone, said on screen, and nothing reached the server
    status = page.locator("[data-photo-queue-status]")
    status.wait_for(state="visible")
    assert status.inner_text() == "Waiting on this phone, sent when the signal returns: photos 1"
    shot(page, "en-photos-offline-queue")
    assert Photo.objects.count() == 0

    assert page.errors == []

    # When the tab is closed and opened again once the signal is back
    page.close()
    context.set_offline(False)
    again = context.new_page()
    again.goto(f"{live_server.url}/organise/events/{event.id}/photos/")

    # then the queue sends the photo by itself, once
    again.wait_for_selector("form[data-photo-queue][data-photo-queue-sent='1']")
    assert again.locator("[data-photo-queue-status]").inner_text() == "The photos are sent."
    photo = Photo.objects.get()
    assert (photo.subject, photo.subject_id, photo.role) == ("result", event.id, "after")
    assert PhotoFile.objects.get(pk=photo.id).processed_at is not None
    again.reload()
    again.wait_for_selector(f"[data-photo='{photo.id}'] img")
    assert again.locator("form[data-photo-queue]").get_attribute("data-photo-queue-count") == "0"
    assert Photo.objects.count() == 1
    shot(again, "en-photos")
