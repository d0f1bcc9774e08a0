"""Who is told what, through the outbox: recorded in the transaction of the facts, once per cause and
person, sent once; nothing for a write that rolled back, a person who left, or a place given back."""

import pytest
from django.db import transaction

from events.models import Registration
from events.services import event_cancel, event_reschedule, registration_cancel, registration_create, volunteer_delete
from ledger.models import Fact
from outbox import sender
from outbox.models import Message
from tests.events.conftest import confirmations_sent


def outbox() -> list[tuple[str, str, str]]:
    """(kind, recipient's display name or '', status) of every message but the registrations'
    confirmations (tests/events/test_emails.py), in the order recorded."""
    from volunteers.models import User

    names = dict(User.objects.values_list("volunteer_id", "display_name"))
    messages = Message.objects.exclude(kind="events.volunteer_registered").order_by("id")
    return [(m.kind, names.get(m.volunteer_id, ""), m.status) for m in messages]


@pytest.fixture
def full(event, volunteer, volunteers) -> dict[str, Registration]:
    """Three places taken (Dana, Aigerim, Bolat) and one volunteer waiting (Erlan)."""
    names = ["dana", "aigerim", "bolat", "erlan"]
    registrations = {
        name: registration_create(actor=v, event_id=event.id)
        for name, v in zip(names, [volunteer, *volunteers], strict=False)
    }
    confirmations_sent()
    return registrations


def test_a_promotion_is_recorded_with_the_cancellation_and_sent_once(
    full, volunteer, django_capture_on_commit_callbacks, mailoutbox
):
    # When Dana gives her place back
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(actor=volunteer, registration_id=full["dana"].id)

    # Then the message to Erlan (no language chosen: the site's, Kazakh) was recorded under the
    # promotion's fact and sent, once
    promoted = Fact.objects.get(type="WaitlistPromoted")
    (message,) = Message.objects.exclude(kind="events.volunteer_registered")
    assert (message.key, message.status, message.attempts) == (
        f"events.waitlist_promoted:{promoted.fact_id}",
        "sent",
        1,
    )
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["erlan@taza.test"], "[Taza] Сізге орын бар: Esil embankment clean-up")
    ]
    assert sender.send_due() == {}
    assert len(mailoutbox) == 1


def test_a_replayed_cancellation_records_no_second_message(full, volunteer, mailoutbox):
    registration_cancel(actor=volunteer, registration_id=full["dana"].id, idempotency_key="cancel-1")
    registration_cancel(actor=volunteer, registration_id=full["dana"].id, idempotency_key="cancel-1")

    assert outbox() == [("events.waitlist_promoted", "Erlan", "pending")]


def test_a_cancellation_that_rolls_back_records_no_message(full, volunteer):
    with pytest.raises(RuntimeError), transaction.atomic():
        registration_cancel(actor=volunteer, registration_id=full["dana"].id)
        raise RuntimeError("something after the cancellation fails")

    assert (outbox(), Registration.objects.get(pk=full["erlan"].id).status) == ([], "waitlisted")


def test_a_place_given_back_before_the_message_goes_is_not_announced(full, volunteer, volunteers, mailoutbox):
    # Given Erlan promoted, his message not sent yet
    registration_cancel(actor=volunteer, registration_id=full["dana"].id)
    # When he gives the place back before the sender runs
    registration_cancel(actor=volunteers[2], registration_id=full["erlan"].id)

    # Then the sender drops the message: there is no place to announce
    assert sender.send_due() == {"dropped": 1}
    assert (outbox(), mailoutbox) == ([("events.waitlist_promoted", "Erlan", "dropped")], [])


def test_an_erased_volunteer_is_sent_nothing_and_leaves_no_message(full, volunteer, volunteers, mailoutbox):
    registration_cancel(actor=volunteer, registration_id=full["dana"].id)

    volunteer_delete(actor=volunteers[2], volunteer=volunteers[2])

    assert (outbox(), sender.send_due(), mailoutbox) == ([], {}, [])


def test_a_cancelled_event_tells_each_registered_and_waiting_volunteer_once(
    full, event, organiser, volunteer, mailoutbox
):
    registration_cancel(actor=volunteer, registration_id=full["dana"].id)  # Erlan promoted
    event_cancel(actor=organiser, event_id=event.id, reason="Storm warning", idempotency_key="call-off")
    event_cancel(actor=organiser, event_id=event.id, reason="Storm warning", idempotency_key="call-off")

    assert sender.send_due() == {"sent": 4}
    assert outbox() == [
        ("events.waitlist_promoted", "Erlan", "sent"),
        ("events.event_cancelled", "Aigerim", "sent"),
        ("events.event_cancelled", "Bolat", "sent"),
        ("events.event_cancelled", "Erlan", "sent"),
    ]
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        ["erlan@taza.test", "aigerim@taza.test", "bolat@taza.test", "erlan@taza.test"]
    )


def test_an_event_never_approved_tells_nobody_of_its_new_time(make_event, organiser):
    event = make_event(approved=False)

    event_reschedule(actor=organiser, event_id=event.id, starts_at=event.starts_at, ends_at=event.ends_at)

    assert outbox() == []
