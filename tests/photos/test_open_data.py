"""The open-data release grades a result `with_photos` once it has check-ins and after-photos as of
the release's position (the same rule as the event page and the API: events/evidence.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid

import pytest
from rest_framework.test import APIClient

from ledger.store import NO_STREAM, append
from opendata.release import release_make
from photos.facts import PhotoAttached, photo_stream
from tests.opendata.conftest import world  # noqa: F401  (fixture)
from tests.stats.history import History, at, fold_all

pytestmark = pytest.mark.django_db


def results(release) -> list[dict]:
    body = APIClient().get(f"/api/v1/open-data/releases/{release.name}/results.csv").getvalue()
    return list(csv.DictReader(io.StringIO(body.decode())))


def attach_after_photo(event_id: uuid.UUID) -> None:
    photo_id = uuid.uuid4()
    fact = PhotoAttached(
        photo_id=photo_id, subject="result", subject_id=event_id, role="after", uploader_id=uuid.uuid4(),
        digest="0" * 64, dhash="f0f0f0f0f0f0f0f0", width=800, height=600, public=True,
    )  # fmt: skip
    append(photo_stream(photo_id), [fact], expected_version=NO_STREAM)


def test_check_ins_and_an_after_photo_are_with_photos_in_the_release(world):  # noqa: F811
    e4 = world.events["E4"]
    History().check_in(e4, uuid.uuid4(), when=at(world.today - dt.timedelta(days=1), 10))
    attach_after_photo(e4)
    fold_all()

    rows = results(release_make(day=world.today))

    assert {row["evidence_grade"] for row in rows if row["event_id"] == str(e4)} == {"with_photos"}
    assert {row["evidence_grade"] for row in rows if row["event_id"] != str(e4)} == {"verified"}


def test_an_after_photo_later_than_the_release_s_position_is_not_counted_in_it(world):  # noqa: F811
    e4 = world.events["E4"]
    History().check_in(e4, uuid.uuid4(), when=at(world.today - dt.timedelta(days=1), 10))
    fold_all()
    attach_after_photo(e4)  # after the totals' checkpoint, which the release is as of

    rows = results(release_make(day=world.today))

    assert {row["evidence_grade"] for row in rows if row["event_id"] == str(e4)} == {"with_checkins"}
