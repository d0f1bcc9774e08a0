"""Registration: a place or the waitlist, clear refusals, cancelling and promotion in order."""

import datetime as dt

import pytest
from django.test import override_settings

from events.models import Event, Registration
from events.services import event_cancel, event_edit, registration_cancel, registration_create
from ledger.models import Fact
from tests.events.conftest import confirmations_sent


def refusal(call) -> tuple[str, int]:
    with pytest.raises(Exception) as caught:
        call()
    return caught.value.code, caught.value.status_code


def test_places_first_then_the_waitlist_in_order(event, volunteer, volunteers):
    # Given an event with three places
    # When five volunteers register one after another
    results = [registration_create(actor=v, event_id=event.id) for v in [volunteer, *volunteers[:4]]]

    # Then three have places and two wait, in the order they came
    assert [r.status for r in results] == ["registered"] * 3 + ["waitlisted"] * 2
    assert [r.waitlist_order for r in results] == [None, None, None, 6, 7]
    event.refresh_from_db()
    assert (event.registered_count, event.waitlisted_count, event.places_left) == (3, 2, 0)
    # and the facts carry the opaque id and the age band only
    first = Fact.objects.get(stream=event.stream, version=3)
    assert first.data == {
        "event_id": str(event.id),
        "registration_id": str(results[0].id),
        "volunteer_id": str(volunteer.volunteer_id),
        "age_band": "14_35",
        "waitlisted": False,
    }


def test_registering_twice_is_refused(event, volunteer):
    registration_create(actor=volunteer, event_id=event.id)

    assert refusal(lambda: registration_create(actor=volunteer, event_id=event.id)) == ("already_registered", 409)
    assert Registration.objects.filter(event=event).count() == 1


def test_a_started_event_takes_no_registrations(event, volunteer, time_machine):
    time_machine.move_to(event.starts_at + dt.timedelta(minutes=1), tick=False)

    assert refusal(lambda: registration_create(actor=volunteer, event_id=event.id)) == ("event_started", 409)


def test_a_cancelled_event_takes_no_registrations(event, organiser, volunteer):
    event_cancel(actor=organiser, event_id=event.id, reason="Storm warning.")

    assert refusal(lambda: registration_create(actor=volunteer, event_id=event.id)) == ("event_cancelled", 409)


def test_an_event_not_yet_approved_takes_no_registrations(make_event, volunteer, organiser):
    proposed = make_event(approved=False)

    # Not found, as reading it answers: a 409 "not approved" would tell that the id exists
    assert refusal(lambda: registration_create(actor=volunteer, event_id=proposed.id)) == ("event_not_found", 404)
    # Its own organiser may see it, and is told why
    assert refusal(lambda: registration_create(actor=organiser, event_id=proposed.id)) == ("event_not_public", 409)


@override_settings(TAZA_EVENT_WAITLIST_MAX=1)
def test_a_full_event_with_a_full_waitlist_is_closed(make_event, volunteers):
    event = make_event(capacity=1)
    registration_create(actor=volunteers[0], event_id=event.id)
    registration_create(actor=volunteers[1], event_id=event.id)

    assert refusal(lambda: registration_create(actor=volunteers[2], event_id=event.id)) == ("event_full", 409)
    assert Fact.objects.filter(stream=event.stream).count() == 4


def test_an_unknown_event_is_not_found(db, volunteer):
    assert refusal(lambda: registration_create(actor=volunteer, event_id="not-a-uuid")) == ("event_not_found", 404)


def test_cancelling_a_place_promotes_the_first_waiting_and_tells_them(
    event, volunteer, volunteers, django_capture_on_commit_callbacks, mailoutbox
):
    # Given a full event with two volunteers waiting
    mine = registration_create(actor=volunteer, event_id=event.id)
    for v in volunteers[:2]:
        registration_create(actor=v, event_id=event.id)
    first_waiting = registration_create(actor=volunteers[2], event_id=event.id)
    second_waiting = registration_create(actor=volunteers[3], event_id=event.id)
    volunteers[2].language = "en"
    volunteers[2].save()
    confirmations_sent()

    # When a volunteer with a place cancels
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = registration_cancel(actor=volunteer, registration_id=mine.id)

    # Then the first waiting takes the place, the second is now first in line, and only the promoted is emailed
    assert cancelled.status == "cancelled"
    assert Registration.objects.get(pk=first_waiting.id).status == "registered"
    assert Registration.objects.get(pk=second_waiting.id).status == "waitlisted"
    event = Event.objects.get(pk=event.id)
    assert (event.registered_count, event.waitlisted_count) == (3, 1)
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["erlan@taza.test"], "[Taza] You have a place: Esil embankment clean-up")
    ]
    types = list(Fact.objects.filter(stream=event.stream).order_by("-version").values_list("type", flat=True)[:2])
    assert types == ["WaitlistPromoted", "RegistrationCancelled"]


def test_leaving_the_waitlist_promotes_nobody(event, volunteers):
    for v in volunteers[:3]:
        registration_create(actor=v, event_id=event.id)
    waiting = registration_create(actor=volunteers[3], event_id=event.id)

    registration_cancel(actor=volunteers[3], registration_id=waiting.id)

    event.refresh_from_db()
    assert (event.registered_count, event.waitlisted_count) == (3, 0)
    assert Fact.objects.filter(stream=event.stream, type="WaitlistPromoted").count() == 0


def test_cancelling_twice_or_someone_elses_place_is_refused(event, volunteer, volunteers):
    mine = registration_create(actor=volunteer, event_id=event.id)
    registration_cancel(actor=volunteer, registration_id=mine.id)

    assert refusal(lambda: registration_cancel(actor=volunteer, registration_id=mine.id)) == (
        "registration_cancelled",
        409,
    )
    theirs = registration_create(actor=volunteers[0], event_id=event.id)
    assert refusal(lambda: registration_cancel(actor=volunteer, registration_id=theirs.id)) == (
        "registration_not_found",
        404,
    )


def test_a_volunteer_may_register_again_after_cancelling(event, volunteer):
    first = registration_create(actor=volunteer, event_id=event.id)
    registration_cancel(actor=volunteer, registration_id=first.id)

    again = registration_create(actor=volunteer, event_id=event.id)

    assert (again.status, again.id != first.id) == ("registered", True)


def test_more_places_promote_the_waitlist(event, organiser, volunteers):
    for v in volunteers[:5]:
        registration_create(actor=v, event_id=event.id)

    edited = event_edit(actor=organiser, event_id=event.id, capacity=4)

    assert (edited.capacity, edited.registered_count, edited.waitlisted_count) == (4, 4, 1)
    assert Registration.objects.get(event=event, volunteer_id=volunteers[3].volunteer_id).status == "registered"
