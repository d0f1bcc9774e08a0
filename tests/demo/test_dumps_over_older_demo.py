"""Loading the demo over a var/ an earlier version loaded: a demo report recorded before reports had
photos keeps its key with other content, and the load goes on instead of stopping `make run`."""

from demo.dumps import REPORTS, SOURCE, dumps_load
from dumps.models import Dump
from dumps.services import dump_report
from ledger.models import Fact
from photos.models import Photo
from tests.events.conftest import person
from volunteers.roles import Role


def test_a_report_an_earlier_demo_recorded_without_photos_stays_and_the_rest_loads(db):
    admin = person("admin@example.kz", "Admin", Role.ADMIN)
    reporter = person("volunteer@example.kz", "Aigerim")
    latitude, longitude, size, kinds, note = REPORTS[0]
    earlier = dump_report(
        actor=reporter,
        latitude=latitude,
        longitude=longitude,
        size=size,
        waste_kinds=kinds,
        note=note,
        idempotency_key="demo-dump-report-0",
    )

    dumps_load(admin=admin, reporter=reporter)

    reports = list(Dump.objects.filter(origin="report").order_by("reported_at"))
    assert [dump.id for dump in reports][0] == earlier.id
    assert (len(reports), reports[0].status, reports[0].photo_ids) == (2, "reported", [])
    assert Photo.objects.filter(subject_id=reports[1].id).count() == 1
    assert Dump.objects.filter(source=SOURCE).count() == 80
    assert Fact.objects.filter(stream=f"dump-{earlier.id}").count() == 1  # nothing added to the earlier one
