"""The Django admin shows the totals' tables read-only, to admins only, as it shows every projection."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from stats.models import EventFigures, Total
from volunteers.models import User
from volunteers.roles import Role
from volunteers.services import role_grant

PAGES = ["/admin/stats/total/", "/admin/stats/eventfigures/"]


def logged_in(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def admin(db) -> User:
    return role_grant(user=User.objects.create_user("admin@taza.test", display_name="Admin"), role=Role.ADMIN)


def test_admins_see_the_totals_and_nobody_edits_them(story, admin):
    client = logged_in(admin)
    total = Total.objects.get(scope="national", key="KZ", metric="events")
    event = EventFigures.objects.get(event_id=story.events["E1"])

    listings = [client.get(page) for page in PAGES]
    total_page = client.get(f"/admin/stats/total/{total.pk}/change/")
    event_page = client.get(f"/admin/stats/eventfigures/{event.pk}/change/")

    assert [page.status_code for page in listings] == [200, 200]
    assert 'href="/admin/stats/"' in client.get("/admin/").text
    assert [total_page.status_code, event_page.status_code] == [200, 200]
    assert 'name="_save"' not in total_page.text and 'name="_save"' not in event_page.text
    assert client.get("/admin/stats/total/add/").status_code == 403
    assert client.post(f"/admin/stats/total/{total.pk}/delete/").status_code == 403
    assert client.post(f"/admin/stats/eventfigures/{event.pk}/delete/").status_code == 403
    assert Total.objects.get(pk=total.pk).verified == 2


def test_staff_who_are_not_admins_do_not_see_the_totals_even_with_the_permission(story):
    organiser = User.objects.create_user("arman@taza.test", display_name="Arman", is_staff=True)
    role_grant(user=organiser, role=Role.ORGANISER)
    organiser.user_permissions.add(*Permission.objects.filter(content_type__app_label="stats"))
    client = logged_in(organiser)

    assert [client.get(page).status_code for page in PAGES] == [403, 403]
    assert 'href="/admin/stats/"' not in client.get("/admin/").text
