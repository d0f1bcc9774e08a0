"""Erasing a person has one path, whichever door it comes through: the account page, the API, the
Django admin's delete page and its "delete selected" action. Each frees the places still to come (the
waitlist moves up), keeps the attendance that happened, and leaves no trace of the person in the
admin's log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.test import Client
from django.utils import timezone

from events.models import CheckIn, Registration
from events.services import checkin_from_roster, registration_create
from ledger.models import Fact
from volunteers.models import User

pytestmark = pytest.mark.django_db


def erase_on_the_account_page(dana: User, admin: User, client_for) -> None:
    browser = Client()
    browser.force_login(dana)
    response = browser.post("/me/delete/", {"email": "Dana@taza.test"}, HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response.url) == (302, "/")


def erase_through_the_api(dana: User, admin: User, client_for) -> None:
    response = client_for(dana).post("/api/v1/account/delete/", {"confirm": True}, format="json")
    assert response.status_code == 204


def erase_on_the_admin_delete_page(dana: User, admin: User, client_for) -> None:
    browser = Client()
    browser.force_login(admin)
    url = f"/admin/volunteers/user/{dana.pk}/delete/"
    confirmation = browser.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert confirmation.status_code == 200
    assert b'<input type="hidden" name="post" value="yes">' in confirmation.content
    response = browser.post(url, {"post": "yes"}, HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response.url) == (302, "/admin/volunteers/user/")


def erase_with_the_admin_action(dana: User, admin: User, client_for) -> None:
    browser = Client()
    browser.force_login(admin)
    chosen = {"action": "delete_selected", "_selected_action": [str(dana.pk)]}
    confirmation = browser.post("/admin/volunteers/user/", chosen, HTTP_ACCEPT_LANGUAGE="en")
    assert confirmation.status_code == 200
    assert b'<input type="hidden" name="post" value="yes">' in confirmation.content
    response = browser.post("/admin/volunteers/user/", {**chosen, "post": "yes"}, HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response.url) == (302, "/admin/volunteers/user/")


@pytest.mark.parametrize(
    "erase",
    [erase_on_the_account_page, erase_through_the_api, erase_on_the_admin_delete_page, erase_with_the_admin_action],
)
def test_erasure_frees_places_to_come_keeps_attendance_and_scrubs_the_admin_log(
    erase, make_event, organiser, admin, volunteer, volunteers, client_for
):
    dana, aigerim = volunteer, volunteers[0]
    now = timezone.now().replace(microsecond=0)
    # Given Dana holds the only place at a clean-up in two days, where Aigerim waits …
    full = make_event(capacity=1)
    held = registration_create(actor=dana, event_id=full.id)
    waiting = registration_create(actor=aigerim, event_id=full.id)
    # … is checked in at a clean-up starting in half an hour (check-in opened), …
    today = make_event(starts_at=now + dt.timedelta(minutes=30))
    attending = registration_create(actor=dana, event_id=today.id)
    checkin_from_roster(actor=organiser, event_id=today.id, registration_id=attending.id)
    # … and an admin once changed her account in the admin, which logged her name and email
    LogEntry.objects.log_actions(
        user_id=admin.pk,
        queryset=[dana],
        action_flag=CHANGE,
        change_message=[{"changed": {"fields": ["Display name"]}}, {"added": {"name": "email", "object": dana.email}}],
    )
    LogEntry.objects.create(
        user=admin,
        action_flag=CHANGE,
        object_repr="Newsletter list",
        change_message="Removed dana@taza.test from the list",
    )
    dana_pk = dana.pk
    last = Fact.objects.order_by("-position").values_list("position", flat=True).first()

    # When she is erased through this door
    erase(dana, admin, client_for)

    # Then the account is gone and her place in two days went to Aigerim, as an ordinary cancellation
    assert not User.objects.filter(pk=dana_pk).exists()
    assert Registration.objects.get(pk=held.id).status == "cancelled"
    assert Registration.objects.get(pk=waiting.id).status == "registered"
    appended = list(Fact.objects.filter(position__gt=last).order_by("position").values_list("stream", "type"))
    assert appended == [(full.stream, "RegistrationCancelled"), (full.stream, "WaitlistPromoted")]
    # and the clean-up she is checked in at keeps her: that attendance happened
    assert Registration.objects.get(pk=attending.id).status == "registered"
    assert CheckIn.objects.filter(event=today, registration_id=attending.id).count() == 1
    # and the admin's log keeps that an admin acted, without her name or email anywhere
    named = Q(object_repr__icontains="dana") | Q(change_message__icontains="dana")
    assert list(LogEntry.objects.filter(named)) == []
    about_her = LogEntry.objects.filter(content_type__model="user", object_id=str(dana_pk)).order_by(
        "action_time", "pk"
    )
    expected = [
        (CHANGE, "deleted volunteer", '[{"changed": {"fields": ["Display name"]}}, {"added": {"name": "email"}}]')
    ]
    if "admin" in erase.__name__:
        expected.append((DELETION, "deleted volunteer", ""))
    assert [(e.action_flag, e.object_repr, e.change_message) for e in about_her.order_by("pk")] == expected
    newsletter = LogEntry.objects.get(object_repr="Newsletter list")
    assert newsletter.change_message == "Removed deleted volunteer from the list"


def test_only_admins_erase_other_people_in_the_admin(volunteer, volunteers):
    # Given a staff account that holds Django's permissions on accounts but not the admin role
    clerk = volunteers[1]
    clerk.is_staff = True
    clerk.save(update_fields=["is_staff"])
    clerk.user_permissions.set(Permission.objects.filter(codename__in=["view_user", "delete_user"]))
    browser = Client()
    browser.force_login(clerk)

    # When it posts the delete confirmation for Dana
    response = browser.post(f"/admin/volunteers/user/{volunteer.pk}/delete/", {"post": "yes"})

    # Then it is refused and Dana is still there
    assert response.status_code == 403
    assert User.objects.filter(pk=volunteer.pk).exists()
