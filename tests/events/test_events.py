"""An event's life: proposal rules, approval, edits, reschedule and cancel with the volunteers told."""

import datetime as dt

import pytest
from django.utils import timezone

from config.errors import DomainError
from events.models import Event
from events.services import (
    event_approve,
    event_cancel,
    event_edit,
    event_propose,
    event_reject,
    event_reschedule,
    registration_create,
)
from ledger.models import Fact
from tests.events.conftest import confirmations_sent, english_day, proposal


def refused(call) -> tuple[str, dict]:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.code, caught.value.fields


def test_a_proposal_waits_for_the_coordinator_then_is_public(campaign, organiser, coordinator, eco_club):
    event = event_propose(actor=organiser, **proposal(campaign))

    assert (event.status, event.organisation_id, event.organiser_id, event.version) == (
        "proposed",
        eco_club.id,
        organiser.volunteer_id,
        1,
    )
    assert len(event.short_code) == 6 and event.short_code.isalnum()
    approved = event_approve(actor=coordinator, event_id=event.id)
    assert (approved.status, approved.coordinator_id, approved.version, approved.is_public) == (
        "approved",
        coordinator.volunteer_id,
        2,
        True,
    )


@pytest.mark.parametrize(
    ("overrides", "code", "fields"),
    [
        ({"capacity": 0}, "validation_error", {"capacity": ["Give a whole number from 1 to 10000."]}),
        (
            {"title": "  "},
            "validation_error",
            {"title": ["Write it in at least one language: Kazakh, Russian or English."]},
        ),
        (
            {"title": {"kk": " ", "ru": ""}, "address": {"ru": "x" * 301}},
            "validation_error",
            {
                "title": ["Write it in at least one language: Kazakh, Russian or English."],
                "address.ru": ["At most 300 characters."],
            },
        ),
        ({"kind": "party"}, "validation_error", {"kind": ["Choose one of: cleanup, tree_planting, area_cleanup."]}),
        ({"region": "KZ-99"}, "validation_error", {"region": ["There is no region 'KZ-99'."]}),
        ({"latitude": 95.0}, "validation_error", {"latitude": ["Give a number from -90 to 90."]}),
        ({"longitude": None}, "validation_error", {"longitude": ["Give both coordinates."]}),
        (
            {"starts_at": timezone.now() - dt.timedelta(hours=1)},
            "validation_error",
            {"starts_at": ["The event must start in the future."]},
        ),
        (
            {"ends_at": timezone.now() + dt.timedelta(days=1)},
            "validation_error",
            {"ends_at": ["The event must end after it starts."]},
        ),
        (
            {"kind": "area_cleanup"},
            "campaign_not_accepting_events",
            {"kind": ["This campaign covers only: cleanup, tree_planting."]},
        ),
        (
            {"starts_at": timezone.now() + dt.timedelta(days=90)},
            "campaign_not_accepting_events",
            {"starts_at": ["The campaign runs from {start} to {end}."]},
        ),
    ],
)
def test_a_proposal_that_breaks_a_rule_is_refused_and_nothing_is_appended(campaign, organiser, overrides, code, fields):
    before = Fact.objects.count()
    period = {"start": english_day(campaign.starts_on), "end": english_day(campaign.ends_on)}

    assert refused(lambda: event_propose(actor=organiser, **proposal(campaign, **overrides))) == (
        code,
        {name: [m.format(**period) for m in messages] for name, messages in fields.items()},
    )
    assert (Fact.objects.count(), Event.objects.count()) == (before, 0)


def test_organisers_act_only_for_their_organisation(campaign, organiser, other_organiser, admin, eco_club, volunteer):
    assert refused(lambda: event_propose(actor=other_organiser, **proposal(campaign, organisation_id=eco_club.id)))[
        0
    ] == ("permission_denied")
    assert refused(lambda: event_propose(actor=volunteer, **proposal(campaign)))[0] == "permission_denied"
    assert refused(lambda: event_propose(actor=admin, **proposal(campaign))) == (
        "validation_error",
        {"organisation_id": ["You act for no organisation; name one."]},
    )
    assert event_propose(actor=admin, **proposal(campaign, organisation_id=eco_club.id)).organisation_id == eco_club.id


def test_a_keyed_proposal_sent_twice_makes_one_event(campaign, organiser):
    body = proposal(campaign)  # once: two calls a second apart would start the event a second apart
    first = event_propose(actor=organiser, **body, idempotency_key="esil-2026")
    again = event_propose(actor=organiser, **body, idempotency_key="esil-2026")

    assert (again.id, again.short_code) == (first.id, first.short_code)
    assert Fact.objects.filter(type="EventProposed").count() == 1


def test_only_a_proposed_event_is_decided_and_a_rejection_says_why(make_event, coordinator):
    event = make_event(approved=False)

    assert refused(lambda: event_reject(actor=coordinator, event_id=event.id, reason=" ")) == (
        "validation_error",
        {"reason": ["This field is required."]},
    )
    rejected = event_reject(actor=coordinator, event_id=event.id, reason="Same place as another event.")
    assert (rejected.status, rejected.status_reason, rejected.is_public) == (
        "rejected",
        "Same place as another event.",
        False,
    )
    assert refused(lambda: event_approve(actor=coordinator, event_id=event.id))[0] == "event_not_pending"


def test_editing_a_proposed_event_changes_what_volunteers_read(make_event, organiser):
    # Not public yet: nothing to review again, the coordinator decides on the event as it then reads
    event = make_event(approved=False)
    edited = event_edit(actor=organiser, event_id=event.id, title="Esil clean-up, left bank", capacity=10)
    unchanged = event_edit(actor=organiser, event_id=event.id, title="Esil clean-up, left bank")

    assert (edited.title, edited.capacity, edited.version, unchanged.version) == ("Esil clean-up, left bank", 10, 2, 2)
    assert list(Fact.objects.filter(stream=event.stream).values_list("type", flat=True).order_by("version")) == [
        "EventProposed",
        "EventDetailsChanged",
    ]


def test_capacity_cannot_drop_below_the_registered(event, organiser, volunteers):
    for v in volunteers[:3]:
        registration_create(actor=v, event_id=event.id)

    assert refused(lambda: event_edit(actor=organiser, event_id=event.id, capacity=2)) == (
        "capacity_below_registered",
        {"capacity": ["3 volunteers are registered."]},
    )


def test_rescheduling_tells_the_registered(
    event, organiser, volunteer, volunteers, django_capture_on_commit_callbacks, mailoutbox
):
    for v in (volunteer, volunteers[0]):
        v.language = "en"
        v.save()
        registration_create(actor=v, event_id=event.id)
    confirmations_sent()
    starts = event.starts_at + dt.timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        moved = event_reschedule(
            actor=organiser, event_id=event.id, starts_at=starts, ends_at=starts + dt.timedelta(hours=2), reason="Rain."
        )

    assert (moved.starts_at, moved.ends_at) == (starts, starts + dt.timedelta(hours=2))
    assert sorted(m.to[0] for m in mailoutbox) == ["aigerim@taza.test", "dana@taza.test"]
    assert {m.subject for m in mailoutbox} == {"[Taza] New time: Esil embankment clean-up"}


def test_cancelling_tells_the_registered_and_the_waiting(
    make_event, organiser, volunteers, django_capture_on_commit_callbacks, mailoutbox
):
    event = make_event(capacity=1)
    for v in volunteers[:2]:
        v.language = "en"
        v.save()
        registration_create(actor=v, event_id=event.id)
    confirmations_sent()

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = event_cancel(actor=organiser, event_id=event.id, reason="Storm warning.")

    assert (cancelled.status, cancelled.status_reason, cancelled.was_approved) == ("cancelled", "Storm warning.", True)
    assert sorted(m.to[0] for m in mailoutbox) == ["aigerim@taza.test", "bolat@taza.test"]
    assert "Storm warning." in mailoutbox[0].body
    assert refused(lambda: event_cancel(actor=organiser, event_id=event.id))[0] == "event_cancelled"


def test_nothing_is_sent_when_the_transaction_rolls_back(event, organiser, volunteer, mailoutbox):
    # Without a commit (the test's transaction is never committed) no email leaves
    registration_create(actor=volunteer, event_id=event.id)
    event_cancel(actor=organiser, event_id=event.id)

    assert mailoutbox == []
