"""The dumps projection rebuilt from the ledger equals the live table (DESIGN.md, the rule)."""

import pytest
from django.forms.models import model_to_dict

from dumps.models import Dump
from dumps.services import dump_confirm, dump_dismiss, dump_merge, dump_report, dumps_import
from ledger.runner import projection_rebuild
from tests.dumps.conftest import ASTANA_POINT, north

pytestmark = pytest.mark.django_db


def rows() -> list[dict]:
    return [model_to_dict(dump) | {"reported_at": dump.reported_at} for dump in Dump.objects.order_by("id")]


def test_a_rebuild_equals_the_live_table(volunteers, coordinator):
    def report(who, point):
        return dump_report(
            actor=who, latitude=point[0], longitude=point[1], size="under_10_m2", waste_kinds=["glass"], note="x"
        )

    known = report(volunteers[0], ASTANA_POINT)
    dump_confirm(actor=coordinator, dump_id=known.id)
    dump_merge(actor=coordinator, dump_id=report(volunteers[1], north(10)).id, into_dump_id=known.id)
    dump_dismiss(actor=coordinator, dump_id=report(volunteers[2], north(500)).id, reason="Not a dump.")
    dumps_import(rows=[{"id": "S-1", "latitude": 51.2, "longitude": 71.5, "area": "12"}], source="kosmos")
    dumps_import(rows=[{"id": "S-1", "latitude": 51.2, "longitude": 71.5, "area": "140"}], source="kosmos")
    live = rows()

    assert projection_rebuild(name="dumps.dump") == 8  # 3 reports, a confirmation, a merge, a dismissal, 2 imports
    assert rows() == live
