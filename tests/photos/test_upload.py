"""Photos uploaded through the API: what is stored and recorded for each subject, who may attach
what, and every refusal (not an image, too large, a decompression bomb, beyond the rate limit) with
its code, its field and nothing stored or appended."""

from __future__ import annotations

import io

import pytest
from django.test import override_settings
from PIL import Image

from ledger.models import Fact
from photos.models import Photo, PhotoFile
from tests.photos.conftest import GPS, TAKEN, jpeg, upload

pytestmark = pytest.mark.django_db


def post_photo(client, subject_id, *, subject="result", role="after", content=None, name="photo.jpg"):
    return client.post(
        "/api/v1/photos/",
        {"file": upload(content if content is not None else jpeg(), name), "subject": subject,
         "subject_id": str(subject_id), "role": role},
        format="multipart",
    )  # fmt: skip


def stored(tmp_path) -> list[str]:
    return sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())


def test_an_organiser_attaches_an_after_photo_to_the_result_and_the_public_sees_it_stripped(
    client_for, organiser, event, photo_storages, committing
):
    # When the eco-club's organiser uploads an after-photo of the clean-up
    with committing():
        answer = post_photo(client_for(organiser), event.id, content=jpeg(gps=GPS, taken=TAKEN))

    # Then it is recorded, public at once (the event is approved), its public files made by the task
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    photo_id = body["id"]
    assert {k: body[k] for k in ("subject", "subject_id", "role", "processed", "public", "hidden")} == {
        "subject": "result",
        "subject_id": str(event.id),
        "role": "after",
        "processed": False,  # the answer comes before the commit, and the task after it
        "public": True,
        "hidden": False,
    }
    assert (body["url"], body["thumbnail_url"]) == (f"/photos/{photo_id}.jpg", f"/photos/{photo_id}-thumb.jpg")
    assert stored(photo_storages) == sorted(
        [f"originals/{photo_id}.jpg", f"public/{photo_id}.jpg", f"public/{photo_id}-thumb.jpg"]
    )
    fact = Fact.objects.get(stream=f"photo-{photo_id}")
    assert (fact.type, fact.data["subject"], fact.data["public"], len(fact.data["dhash"])) == (
        "PhotoAttached",
        "result",
        True,
        16,
    )

    # and the public lists it for the event, with no person and nothing of the EXIF
    public = client_for(None)
    listed = public.get("/api/v1/photos/", {"subject": "result", "subject_id": str(event.id)}).json()
    assert [p["id"] for p in listed["results"]] == [photo_id]
    assert set(listed["results"][0]) == {"id", "subject", "subject_id", "role", "url", "thumbnail_url", "attached_at"}
    served = public.get(f"/photos/{photo_id}.jpg")
    assert (served.status_code, served["Content-Type"]) == (200, "image/jpeg")
    assert Image.open(io.BytesIO(b"".join(served.streaming_content))).size == (800, 600)
    feed = public.get("/api/v1/facts/", {"stream": f"photo-{photo_id}"}).json()
    (form,) = feed["results"]
    assert form["data"] == {
        "photo_id": photo_id,
        "subject": "result",
        "subject_id": str(event.id),
        "role": "after",
        "file": f"{photo_id}.jpg",
        "thumbnail": f"{photo_id}-thumb.jpg",
    }


@pytest.mark.parametrize(
    ("content", "name", "status", "code", "message"),
    [
        (b"GIF89a not really", "x.gif", 400, "photo_invalid", "The file is not a JPEG, PNG or WebP image."),
        (b"", "empty.jpg", 400, "validation_error", "The submitted file is empty."),
        (jpeg()[:200], "cut.jpg", 400, "photo_invalid", "The file is not a JPEG, PNG or WebP image."),
    ],
    ids=["not-an-image", "empty", "truncated"],
)
def test_what_is_not_an_image_is_refused_with_nothing_stored(
    client_for, organiser, event, photo_storages, content, name, status, code, message
):
    facts = Fact.objects.count()
    answer = post_photo(client_for(organiser), event.id, content=content, name=name)
    assert (answer.status_code, answer.json()["error"]["code"]) == (status, code)
    assert answer.json()["error"]["fields"] == {"file": [message]}
    assert (Fact.objects.count(), Photo.objects.count(), PhotoFile.objects.count()) == (facts, 0, 0)
    assert stored(photo_storages) == []


@override_settings(TAZA_PHOTO_MAX_BYTES=32_768)
def test_a_file_above_the_size_limit_is_413_photo_too_large(client_for, organiser, event, photo_storages):
    big = jpeg(size=(1600, 1200))
    assert len(big) > 32_768
    answer = post_photo(client_for(organiser), event.id, content=big)
    assert (answer.status_code, answer.json()["error"]["code"]) == (413, "photo_too_large")
    assert answer.json()["error"]["fields"] == {"file": ["A photo may be at most 0.03125 MB."]}
    assert stored(photo_storages) == [] and Photo.objects.count() == 0


def test_a_decompression_bomb_is_refused_from_its_header_before_a_pixel_is_decoded(
    client_for, organiser, event, photo_storages
):
    # 30 000 x 30 000 pixels of one colour: 900 million pixels in a few hundred kilobytes of PNG.
    out = io.BytesIO()
    Image.new("1", (30_000, 30_000)).save(out, "PNG")
    assert len(out.getvalue()) < 1_000_000
    answer = post_photo(client_for(organiser), event.id, content=out.getvalue(), name="bomb.png")
    assert (answer.status_code, answer.json()["error"]["code"]) == (400, "photo_invalid")
    assert answer.json()["error"]["fields"] == {"file": ["A photo may have at most 50 million pixels."]}
    assert stored(photo_storages) == [] and Photo.objects.count() == 0


def test_who_may_attach_what(client_for, organiser, other_organiser, volunteer, coordinator, event, make_event):
    # Someone else's event, a wrong role for the subject, an unknown subject, nobody signed in
    assert post_photo(client_for(other_organiser), event.id).json()["error"]["code"] == "photo_not_allowed"
    assert post_photo(client_for(volunteer), event.id).status_code == 403
    proposed = make_event(approved=False)
    refused = post_photo(client_for(organiser), proposed.id)
    assert (refused.status_code, refused.json()["error"]["fields"]) == (
        400,
        {"subject_id": ["Photos of a result are for an approved event."]},
    )
    wrong_role = post_photo(client_for(organiser), event.id, subject="dump_liquidation", role="before")
    assert wrong_role.json()["error"] == {
        "code": "photo_invalid",
        "message": "The photo is not valid.",
        "fields": {"role": ["A report's photo is a before-photo, a liquidation's an after-photo."]},
    }
    nowhere = post_photo(client_for(organiser), "7d5b0c2e-0000-4000-8000-000000000000")
    assert (nowhere.status_code, nowhere.json()["error"]["code"]) == (404, "photo_subject_not_found")
    assert post_photo(client_for(None), event.id).status_code == 401
    assert Photo.objects.count() == 0


@override_settings(TAZA_PHOTO_UPLOADS_PER_HOUR=2)
def test_a_person_uploads_at_most_the_hour_s_limit(client_for, organiser, event, photo_storages):
    client = client_for(organiser)
    assert [post_photo(client, event.id, content=jpeg(n)).status_code for n in range(2)] == [201, 201]
    refused = post_photo(client, event.id, content=jpeg(3))
    assert (refused.status_code, refused.json()["error"]["code"]) == (429, "too_many_photos")
    assert 3590 <= int(refused["Retry-After"]) <= 3600
    assert Photo.objects.count() == 2 and len(stored(photo_storages)) == 2  # originals only: no task run here


def test_a_retry_with_the_same_idempotency_key_records_one_photo(client_for, organiser, event, photo_storages):
    client = client_for(organiser)
    first = client.post(
        "/api/v1/photos/",
        {"file": upload(jpeg()), "subject": "result", "subject_id": str(event.id), "role": "before"},
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="photo-1",
    )
    again = client.post(
        "/api/v1/photos/",
        {"file": upload(jpeg()), "subject": "result", "subject_id": str(event.id), "role": "before"},
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="photo-1",
    )
    assert (first.status_code, again.status_code, again.json()["id"]) == (201, 201, first.json()["id"])
    assert Photo.objects.count() == 1 and len(stored(photo_storages)) == 1


def test_the_coordinator_hides_a_photo_with_a_reason_and_its_public_files_go(
    client_for, organiser, coordinator, other_coordinator, event, photo_storages, committing
):
    with committing():
        photo_id = post_photo(client_for(organiser), event.id).json()["id"]
    assert (
        client_for(other_coordinator)
        .post(f"/api/v1/photos/{photo_id}/hide/", {"reason": "A face."}, format="json")
        .json()["error"]["code"]
        == "coordinator_required"
    )

    with committing():
        hidden = client_for(coordinator).post(
            f"/api/v1/photos/{photo_id}/hide/", {"reason": "A child's face."}, format="json"
        )

    assert (hidden.status_code, hidden.json()["hidden"]) == (200, True)
    assert stored(photo_storages) == [f"originals/{photo_id}.jpg"]
    public = client_for(None)
    assert public.get("/api/v1/photos/", {"subject_id": str(event.id)}).json()["count"] == 0
    assert public.get(f"/api/v1/photos/{photo_id}/").status_code == 404
    assert public.get(f"/photos/{photo_id}.jpg").status_code == 404
    (form,) = public.get("/api/v1/facts/", {"stream": f"photo-{photo_id}", "type": "PhotoHidden"}).json()["results"]
    assert form["data"] == {"photo_id": photo_id}  # not why: a reason may name someone
    again = client_for(coordinator).post(f"/api/v1/photos/{photo_id}/hide/", {"reason": "Again."}, format="json")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "photo_hidden")
