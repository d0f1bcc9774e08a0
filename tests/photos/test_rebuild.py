"""The photos projection rebuilt from the ledger equals the live table (DESIGN.md, the rule), and
`ledger verify` finds it equal; the private files' rows are not a projection and stay as they are."""

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict

from dumps.services import dump_confirm, dump_report
from ledger.runner import projection_rebuild
from photos.models import Photo, PhotoFile
from photos.services import photo_attach, photo_hide, photo_read
from tests.photos.conftest import ASTANA_POINT, jpeg

pytestmark = pytest.mark.django_db


def rows() -> list[dict]:
    return [model_to_dict(photo) | {"attached_at": photo.attached_at} for photo in Photo.objects.order_by("id")]


def test_a_rebuild_equals_the_live_table(volunteer, organiser, coordinator, event, photo_storages):
    dump = dump_report(
        actor=volunteer, latitude=ASTANA_POINT[0], longitude=ASTANA_POINT[1], size="under_10_m2",
        waste_kinds=["glass"], photos=[photo_read(jpeg(1)), photo_read(jpeg(2))],
    )  # fmt: skip
    dump_confirm(actor=coordinator, dump_id=dump.id)
    before = photo_attach(actor=organiser, subject="result", subject_id=event.id, role="before", file=jpeg(3))
    photo_attach(actor=organiser, subject="result", subject_id=event.id, role="after", file=jpeg(4))
    photo_hide(actor=coordinator, photo_id=before.id, reason="Blurred.")
    live = rows()
    files = PhotoFile.objects.count()

    assert projection_rebuild(name="photos.photo") == 7  # 4 attached, 2 published, 1 hidden
    assert rows() == live
    assert PhotoFile.objects.count() == files == 4
    call_command("ledger", "verify", "photos.photo", "dumps.dump")
