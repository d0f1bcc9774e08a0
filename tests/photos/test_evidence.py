"""Photos as evidence of a result: the `with_photos` grade (check-ins and after-photos), and the
coordinator's signals (the same photo used twice, taken far from the event, on another day), in
the result API and on the verification screen with the photos themselves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client, override_settings

from dumps.services import dump_report
from events.services import checkin_from_roster, registration_create, result_log
from photos.services import photo_attach, photo_hide, photo_read
from tests.events.conftest import english_day
from tests.photos.conftest import ASTANA_POINT, jpeg, upload

pytestmark = pytest.mark.django_db

# 30 km east of the event's place (51.1283, 71.4305): 51°07'41.88" N 71°51'36" E.
FAR = {1: "N", 2: (51.0, 7.0, 41.88), 3: "E", 4: (71.0, 51.0, 36.0)}
NEAR = {1: "N", 2: (51.0, 7.0, 41.88), 3: "E", 4: (71.0, 25.0, 49.8)}


@pytest.fixture
def attended(make_event, organiser, volunteers, time_machine):
    """A clean-up where two volunteers were checked in, its result logged."""
    event = make_event(capacity=10)
    places = [registration_create(actor=v, event_id=event.id) for v in volunteers[:2]]
    time_machine.move_to(event.starts_at, tick=False)
    for place in places:
        checkin_from_roster(actor=organiser, event_id=event.id, registration_id=place.id)
    result_log(actor=organiser, event_id=event.id, waste_kg={"mixed": "80"}, trees=0, area_ha="0", headcount=2)
    return event


def exif_day(event, days: int = 0) -> str:
    moment = (event.starts_at + dt.timedelta(days=days)).astimezone(dt.timezone(dt.timedelta(hours=5)))
    return moment.strftime("%Y:%m:%d %H:%M:%S")


def test_after_photos_beside_check_ins_give_with_photos_and_a_hidden_one_takes_it_back(
    attended, organiser, coordinator, client_for, committing
):
    url = f"/api/v1/events/{attended.id}/result/"
    assert client_for(None).get(url).json()["evidence_grade"] == "with_checkins"
    # a before-photo alone is no after-photo
    photo_attach(actor=organiser, subject="result", subject_id=attended.id, role="before", file=jpeg(1))
    assert client_for(None).get(url).json()["evidence_grade"] == "with_checkins"

    after = photo_attach(actor=organiser, subject="result", subject_id=attended.id, role="after", file=jpeg(2))
    assert client_for(None).get(url).json()["evidence_grade"] == "with_photos"

    photo_hide(actor=coordinator, photo_id=after.id, reason="Not this place.")
    assert client_for(None).get(url).json()["evidence_grade"] == "with_checkins"


def test_photos_without_check_ins_stay_the_organiser_s_word(event, organiser, client_for, time_machine):
    time_machine.move_to(event.starts_at, tick=False)
    result_log(actor=organiser, event_id=event.id, waste_kg={"mixed": "10"}, trees=0, area_ha="0", headcount=3)
    photo_attach(actor=organiser, subject="result", subject_id=event.id, role="after", file=jpeg(2))
    assert client_for(None).get(f"/api/v1/events/{event.id}/result/").json()["evidence_grade"] == "organiser_word"


@override_settings(TAZA_PHOTO_FAR_KM=5, TAZA_PHOTO_SAME_HAMMING=6)
def test_the_coordinator_is_shown_a_photo_used_twice_far_away_or_on_another_day(
    attended, organiser, coordinator, volunteer, client_for, committing
):
    # Given a dump reported with a photo, and the same photo (re-encoded smaller) after the clean-up
    dump_report(
        actor=volunteer, latitude=ASTANA_POINT[0], longitude=ASTANA_POINT[1], size="under_10_m2",
        waste_kinds=["mixed"], photos=[photo_read(jpeg(9))],
    )  # fmt: skip
    with committing():
        photo_attach(
            actor=organiser, subject="result", subject_id=attended.id, role="after",
            file=jpeg(9, resized=(640, 480), gps=NEAR, taken=exif_day(attended)),
        )  # fmt: skip
        # an after-photo taken 30 km away, the day before the event
        photo_attach(
            actor=organiser, subject="result", subject_id=attended.id, role="after",
            file=jpeg(3, gps=FAR, taken=exif_day(attended, days=-1)),
        )  # fmt: skip
        # a before-photo of the day before is no signal: the place is often seen while preparing
        photo_attach(
            actor=organiser, subject="result", subject_id=attended.id, role="before",
            file=jpeg(4, gps=NEAR, taken=exif_day(attended, days=-1)),
        )  # fmt: skip

    signals = client_for(coordinator).get(f"/api/v1/events/{attended.id}/result/").json()["signals"]
    day_before = (attended.starts_at - dt.timedelta(days=1)).astimezone(dt.timezone(dt.timedelta(hours=5)))
    codes = [s["code"] for s in signals]
    assert codes == ["photo_used_twice", "photo_far_from_event", "photo_on_another_day"]
    messages = {s["code"]: s["message"] for s in signals}
    assert messages["photo_used_twice"].startswith("An after-photo looks like a photo of a dump's report: ")
    assert messages["photo_used_twice"].endswith("of 64 bits of their perceptual hashes differ (at most 6).")
    assert messages["photo_far_from_event"] == (
        "An after-photo was taken 30.0 km from the event's place (more than 5 km)."
    )
    assert messages["photo_on_another_day"] == (
        f"An after-photo was taken on {english_day(day_before.date())}, not on the event's day."
    )
    assert client_for(None).get(f"/api/v1/events/{attended.id}/result/").json()["signals"] is None

    # The verification screen shows them beside the photos, with where and when each was taken
    page_client = Client(HTTP_ACCEPT_LANGUAGE="en")
    page_client.force_login(coordinator)
    page = page_client.get(f"/coordinate/events/{attended.id}/verify/").content.decode()
    assert 'data-signal="photo_far_from_event"' in page and 'data-signal="photo_used_twice"' in page
    assert page.count("data-photo=") == 3 and page.count("-thumb.jpg") == 3
    assert "51.12830, 71.86000" in page  # the far photo's place, for the coordinator's eyes only


def test_the_result_form_takes_photos_as_plain_file_inputs(attended, organiser, client_for, committing):
    page = Client(HTTP_ACCEPT_LANGUAGE="en")
    page.force_login(organiser)
    form = page.get(f"/organise/events/{attended.id}/result/").content.decode()
    assert 'enctype="multipart/form-data"' in form and 'type="file" name="photos_after"' in form

    with committing():
        sent = page.post(
            f"/organise/events/{attended.id}/result/",
            {"mixed": "", "waste_mixed": "90", "trees": "0", "area_ha": "0", "headcount": "2",
             "correction_reason": "Weighed again.", "photos_after": [upload(jpeg(11))]},
        )  # fmt: skip

    assert sent.status_code == 302
    result = client_for(None).get(f"/api/v1/events/{attended.id}/result/").json()
    assert (result["report"]["waste_kg"], result["evidence_grade"]) == ({"mixed": "90"}, "with_photos")
    listed = client_for(None).get("/api/v1/photos/", {"subject_id": str(attended.id)}).json()
    assert [p["role"] for p in listed["results"]] == ["after"]


def test_the_photos_page_adds_photos_with_a_plain_form_post(attended, organiser, volunteer, committing):
    page = Client(HTTP_ACCEPT_LANGUAGE="en")
    page.force_login(organiser)
    url = f"/organise/events/{attended.id}/photos/"
    assert "data-photo-queue" in page.get(url).content.decode()

    with committing():
        sent = page.post(url, {"role": "before", "photos": [upload(jpeg(12)), upload(jpeg(13))]})
    assert (sent.status_code, sent["Location"]) == (302, url)
    shown = page.get(url).content.decode()
    assert "2 photos are added." in shown and shown.count("-thumb.jpg") == 2

    refused = page.post(url, {"role": "after", "photos": [upload(b"nope", "x.jpg")]})
    assert refused.status_code == 400
    assert "The file is not a JPEG, PNG or WebP image." in refused.content.decode()
    nobody = Client(HTTP_ACCEPT_LANGUAGE="en")
    nobody.force_login(volunteer)
    assert nobody.get(url).status_code == 403


def test_the_coordinator_hides_a_photo_from_the_verification_screen(attended, organiser, coordinator, committing):
    with committing():
        photo = photo_attach(actor=organiser, subject="result", subject_id=attended.id, role="after", file=jpeg(14))
    page = Client(HTTP_ACCEPT_LANGUAGE="en")
    page.force_login(coordinator)
    verify = f"/coordinate/events/{attended.id}/verify/"
    assert f"/coordinate/photos/{photo.id}/hide/" in page.get(verify).content.decode()

    no_reason = page.post(f"/coordinate/photos/{photo.id}/hide/", {"reason": "", "event_id": str(attended.id)})
    assert no_reason["Location"] == verify
    with committing():
        hidden = page.post(f"/coordinate/photos/{photo.id}/hide/", {"reason": "A face.", "event_id": str(attended.id)})

    assert hidden["Location"] == verify
    shown = page.get(verify).content.decode()
    assert "The photo is hidden." in shown and "Hidden by moderation" in shown and "A face." in shown
