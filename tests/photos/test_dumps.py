"""Photos of dumps: a report's photos from the report form, public only from the dump's confirmation;
the liquidation's after-photos, named by its fact and shown on the dump's page."""

from __future__ import annotations

import pytest
from django.test import Client

from dumps.errors import DumpInvalid, DumpNotOpen
from dumps.models import Dump
from dumps.services import dump_confirm, dump_link, dump_liquidate, dump_report
from events.services import result_log, result_verify
from ledger.models import Fact
from photos.models import Photo
from photos.services import photo_read
from tests.photos.conftest import ASTANA_POINT, jpeg, upload

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_a_report_from_the_form_carries_its_photos_which_are_public_from_the_confirmation(
    volunteer, coordinator, other_coordinator, client_for, photo_storages, committing
):
    # Given a volunteer who reports a dump with two photos from the form, without JavaScript
    with committing():
        answer = signed_in(volunteer).post(
            "/dumps/report/",
            {
                "latitude": ASTANA_POINT[0],
                "longitude": ASTANA_POINT[1],
                "size": "10_100_m2",
                "waste_kinds": ["plastic"],
                "note": "Bags by the road.",
                "photos": [upload(jpeg(1), "a.jpg"), upload(jpeg(2), "b.jpg")],
            },
        )
    assert answer.status_code == 302
    dump = Dump.objects.get()
    photos = list(Photo.objects.order_by("attached_at", "id"))
    assert [(p.subject, p.subject_id, p.role, p.public) for p in photos] == [
        ("dump_report", dump.id, "before", False)
    ] * 2
    reported = Fact.objects.get(stream=f"dump-{dump.id}", type="DumpReported")
    assert sorted(reported.data["photo_ids"]) == sorted(str(p.id) for p in photos)

    # the public sees nothing of them, not even in the feed, while the report waits
    public = client_for(None)
    assert public.get("/api/v1/photos/").json()["count"] == 0
    assert public.get("/api/v1/facts/", {"type": "PhotoAttached"}).json()["results"] == []
    assert public.get(f"/photos/{photos[0].id}.jpg").status_code == 404

    # but the coordinator sees them in the work list, and the reporter and the coordinator on its page
    worklist = signed_in(coordinator).get("/coordinate/").content.decode()
    assert worklist.count("/photos/evidence/") == 4  # two photos, each a thumbnail linking to its full size
    waiting = signed_in(coordinator).get(f"/dumps/{dump.id}/").content.decode()
    assert f'src="/photos/evidence/{photos[0].id}/thumbnail"' in waiting
    assert signed_in(coordinator).get(f"/photos/evidence/{photos[0].id}/thumbnail").status_code == 200
    assert signed_in(volunteer).get(f"/photos/evidence/{photos[1].id}/full").status_code == 200
    assert signed_in(other_coordinator).get(f"/photos/evidence/{photos[0].id}/thumbnail").status_code == 404
    assert Client().get(f"/photos/evidence/{photos[0].id}/thumbnail").status_code == 404

    # their derivatives wait in the private storage: nothing is in the public one yet
    names = sorted(p.relative_to(photo_storages).as_posix() for p in photo_storages.rglob("*.jpg"))
    assert [n for n in names if n.startswith("public/")] == []
    assert f"originals/derivatives/{photos[0].id}-thumb.jpg" in names

    # When the coordinator confirms the dump
    with committing():
        dump_confirm(actor=coordinator, dump_id=dump.id)

    # Then its photos are public: on its page, in the API, in the feed
    shown = public.get(f"/api/v1/dumps/{dump.id}/").json()["photos"]
    assert [p["id"] for p in shown["before"]] == [str(p.id) for p in photos] and shown["after"] == []
    published = public.get("/api/v1/facts/", {"type": "PhotoPublished"}).json()["results"]
    assert sorted(f["data"]["photo_id"] for f in published) == sorted(str(p.id) for p in photos)
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/dumps/{dump.id}/").content.decode()
    assert f'src="/photos/{photos[0].id}-thumb.jpg"' in page and "As reported" in page
    assert public.get(f"/photos/{photos[0].id}-thumb.jpg").status_code == 200
    names = sorted(p.relative_to(photo_storages).as_posix() for p in photo_storages.rglob("*.jpg"))
    assert [n for n in names if "derivatives" in n] == []  # moved to the public storage


def test_a_report_with_a_bad_photo_is_refused_whole(volunteer, photo_storages):
    answer = signed_in(volunteer).post(
        "/dumps/report/",
        {"latitude": ASTANA_POINT[0], "longitude": ASTANA_POINT[1], "size": "10_100_m2", "waste_kinds": ["glass"],
         "photos": [upload(jpeg(1)), upload(b"not an image", "x.jpg")]},
    )  # fmt: skip
    assert answer.status_code == 400
    assert "The file is not a JPEG, PNG or WebP image." in answer.content.decode()
    assert (Dump.objects.count(), Photo.objects.count(), list(photo_storages.rglob("*.jpg"))) == (0, 0, [])


def test_the_liquidation_names_its_after_photos_and_the_dump_s_page_shows_them(
    volunteer, coordinator, organiser, event, client_for, photo_storages, committing, time_machine
):
    dump = dump_report(
        actor=volunteer, latitude=ASTANA_POINT[0], longitude=ASTANA_POINT[1], size="under_10_m2", waste_kinds=["mixed"]
    )
    dump_confirm(actor=coordinator, dump_id=dump.id)
    dump_link(actor=organiser, dump_id=dump.id, event_id=event.id)
    time_machine.move_to(event.ends_at, tick=False)
    logged = result_log(
        actor=organiser, event_id=event.id, waste_kg={"mixed": "300"}, trees=0, area_ha="0", headcount=4
    )
    result_verify(actor=coordinator, event_id=event.id, decision="accepted", result_version=logged.version)

    # The organiser uploads an after-photo for the liquidation through the API, the coordinator another with it
    with committing():
        uploaded = client_for(organiser).post(
            "/api/v1/photos/",
            {"file": upload(jpeg(5)), "subject": "dump_liquidation", "subject_id": str(dump.id), "role": "after"},
            format="multipart",
        )
    assert uploaded.status_code == 201
    with committing():
        liquidated = client_for(coordinator).post(
            f"/api/v1/dumps/{dump.id}/liquidate/", {"photo_ids": [uploaded.json()["id"]]}, format="json"
        )
    assert (liquidated.status_code, liquidated.json()["status"]) == (200, "liquidated")
    fact = Fact.objects.get(stream=f"dump-{dump.id}", type="DumpLiquidated")
    assert fact.data["photo_ids"] == [uploaded.json()["id"]]
    shown = client_for(None).get(f"/api/v1/dumps/{dump.id}/").json()["photos"]
    assert [p["id"] for p in shown["after"]] == [uploaded.json()["id"]]
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/dumps/{dump.id}/").content.decode()
    assert "After the clean-up" in page and f"/photos/{uploaded.json()['id']}-thumb.jpg" in page


def test_a_liquidation_with_photos_of_another_dump_or_refused_stores_nothing(
    volunteer, coordinator, organiser, event, photo_storages, time_machine
):
    dump = dump_report(
        actor=volunteer, latitude=ASTANA_POINT[0], longitude=ASTANA_POINT[1], size="under_10_m2", waste_kinds=["mixed"]
    )
    dump_confirm(actor=coordinator, dump_id=dump.id)
    dump_link(actor=organiser, dump_id=dump.id, event_id=event.id)
    # no verified result yet: the photos given with the liquidation are not stored
    with pytest.raises(DumpNotOpen):
        dump_liquidate(actor=coordinator, dump_id=dump.id, photos=[photo_read(jpeg(7))])
    assert (Photo.objects.count(), list(photo_storages.rglob("*.jpg"))) == (0, [])

    time_machine.move_to(event.ends_at, tick=False)
    logged = result_log(actor=organiser, event_id=event.id, waste_kg={"mixed": "30"}, trees=0, area_ha="0", headcount=1)
    result_verify(actor=coordinator, event_id=event.id, decision="accepted", result_version=logged.version)
    with pytest.raises(DumpInvalid) as refused:
        dump_liquidate(actor=coordinator, dump_id=dump.id, photo_ids=["0b8e4d2a-1111-4222-8333-444455556666"])
    assert refused.value.fields == {"photo_ids": ["Name after-photos uploaded for this dump's liquidation."]}
    assert Dump.objects.get(pk=dump.id).status == "confirmed"


def test_a_liquidation_with_photos_sent_again_with_its_key_records_nothing_more(
    volunteer, coordinator, organiser, event, photo_storages, time_machine
):
    dump = dump_report(
        actor=volunteer, latitude=ASTANA_POINT[0], longitude=ASTANA_POINT[1], size="under_10_m2", waste_kinds=["mixed"]
    )
    dump_confirm(actor=coordinator, dump_id=dump.id)
    dump_link(actor=organiser, dump_id=dump.id, event_id=event.id)
    time_machine.move_to(event.ends_at, tick=False)
    logged = result_log(actor=organiser, event_id=event.id, waste_kg={"mixed": "30"}, trees=0, area_ha="0", headcount=1)
    result_verify(actor=coordinator, event_id=event.id, decision="accepted", result_version=logged.version)

    first = dump_liquidate(actor=coordinator, dump_id=dump.id, photos=[photo_read(jpeg(8))], idempotency_key="k-1")
    again = dump_liquidate(actor=coordinator, dump_id=dump.id, photos=[photo_read(jpeg(8))], idempotency_key="k-1")

    assert (first.status, again.version) == ("liquidated", first.version)
    (photo,) = Photo.objects.all()
    assert Fact.objects.get(stream=f"dump-{dump.id}", type="DumpLiquidated").data["photo_ids"] == [str(photo.id)]
