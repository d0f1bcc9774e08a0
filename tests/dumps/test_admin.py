"""The dumps in the Django admin: listed, never edited."""

import pytest

from dumps.services import dump_report
from tests.dumps.conftest import ASTANA_POINT

pytestmark = pytest.mark.django_db


def test_admins_see_the_dumps_and_nobody_edits_them(client, admin, volunteer):
    dump = dump_report(
        actor=volunteer, latitude=ASTANA_POINT[0], longitude=ASTANA_POINT[1], size="under_10_m2", waste_kinds=["glass"]
    )
    client.force_login(admin)

    assert client.get("/admin/dumps/dump/").status_code == 200
    assert client.get("/admin/dumps/dump/add/").status_code == 403
    posted = client.post(f"/admin/dumps/dump/{dump.id}/change/", {"status": "liquidated"})
    assert posted.status_code == 403
    dump.refresh_from_db()
    assert dump.status == "reported"
