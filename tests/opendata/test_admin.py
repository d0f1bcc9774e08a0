"""The Django admin shows the errata and the releases read-only, to admins only."""

import pytest
from django.test import Client

from opendata.models import Erratum
from opendata.release import release_make
from volunteers.models import User
from volunteers.roles import Role
from volunteers.services import role_grant

pytestmark = pytest.mark.django_db


def test_admins_see_the_errata_and_the_releases_and_nobody_edits_them(world):
    admin = role_grant(user=User.objects.create_user("admin@taza.test", display_name="Admin"), role=Role.ADMIN)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin)
    release = release_make(day=world.today)
    erratum = Erratum.objects.order_by("position").first()

    assert client.get("/admin/opendata/erratum/").status_code == 200
    assert client.get("/admin/opendata/release/").status_code == 200
    page = client.get(f"/admin/opendata/release/{release.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.text
    assert client.get("/admin/opendata/erratum/add/").status_code == 403
    assert client.post(f"/admin/opendata/erratum/{erratum.pk}/delete/").status_code == 403
    volunteer = User.objects.create_user("volunteer@taza.test", display_name="V")
    client.force_login(volunteer)
    assert client.get("/admin/opendata/erratum/").status_code == 302
