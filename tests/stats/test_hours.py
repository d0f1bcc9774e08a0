"""Volunteer hours and held events, one rule everywhere (issue 13).

At 12:20 a certificate showed 6.5 h for two overlapping events, one not yet started, and a 2-hour
event gave 2.12 h. Now time runs within the event's hours, is credited once the event has ended or
the person checked out, and one person's overlapping events count once (each instant to the stay
that starts earliest); an event is held once it has started. The totals, the leaderboard, the
certificate and "my events" all say the same, and the crediting step, a rebuild and `ledger verify`
agree at the same instant.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from events.hours import Stay, credited_seconds
from events.selectors import attendance_hours, volunteer_attendance
from ledger.projections import get
from stats import selectors
from stats.models import EventFigures, TotalsClock, VolunteerTotal
from stats.tasks import credit_due
from tests.stats.history import ALMATY, History, fold_all
from volunteers.models import Organisation, User

ASTANA = "KZ-71"
DAY = dt.date(2026, 6, 5)


def almaty(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time(hour, minute), tzinfo=ALMATY)


def seconds_of(event: uuid.UUID) -> int:
    return EventFigures.objects.get(event_id=event).seconds


def hours_now() -> tuple[str, int]:
    national = selectors.national_totals()["total"]
    return national["volunteer_hours"], national["events"]


# --- the rule, pure ----------------------------------------------------------------------------------


def stay(key: str, checked_in: dt.datetime, out: dt.datetime | None, starts: dt.datetime, ends: dt.datetime) -> Stay:
    return Stay(key, key, checked_in, out, starts, ends)


def test_the_rule_clips_to_the_event_credits_after_the_end_and_counts_overlaps_once():
    a = stay("a", almaty(12, 2), None, almaty(12), almaty(15, 30))
    b = stay("b", almaty(12, 30), None, almaty(12, 30), almaty(15))

    assert credited_seconds([a, b], almaty(12, 20)) == {"a": 0, "b": 0}  # neither has ended
    assert credited_seconds([a, b], almaty(15, 10)) == {"a": 0, "b": 9000}  # b ended: 12:30-15:00
    assert credited_seconds([a, b], almaty(15, 30)) == {"a": 12480, "b": 0}  # a holds 12:02-15:30
    early = stay("early", almaty(9), None, almaty(10), almaty(12))
    assert credited_seconds([early], almaty(12)) == {"early": 7200}  # 2.00 h, not 3
    left = stay("left", almaty(10, 15), almaty(11, 5), almaty(10), almaty(12))
    assert credited_seconds([left], almaty(11, 5)) == {"left": 3000}  # at the check-out, to it
    before = stay("before", almaty(9), almaty(9, 30), almaty(10), almaty(12))
    assert credited_seconds([before], almaty(12)) == {"before": 0}  # left before the start: never negative


def test_the_split_of_an_overlap_is_by_start_then_end_then_event_and_adds_up_to_the_union():
    # Same start: the shorter stay first, the longer one gets the rest; the same interval: the
    # smaller event id
    short = stay("e2", almaty(10), almaty(12), almaty(10), almaty(14))
    long = stay("e1", almaty(10), None, almaty(10), almaty(14))
    twin = stay("e0", almaty(10), None, almaty(10), almaty(14))

    assert credited_seconds([long, short], almaty(14)) == {"e1": 7200, "e2": 7200}
    assert credited_seconds([long, twin], almaty(14)) == {"e0": 14400, "e1": 0}


# --- the case, through the totals, the leaderboard, the certificate and "my events" ---------


@pytest.fixture
def aigerim(db) -> User:
    return User.objects.create_user(
        "aigerim@example.kz", volunteer_id=uuid.uuid4(), display_name="Aigerim", show_on_leaderboards=True
    )


@pytest.fixture
def overlapping(db, time_machine, aigerim) -> dict[str, uuid.UUID]:
    """A 12:00-15:30 and B 12:30-15:00 in Astana. Aigerim checks in to A at 12:02 and to B at 12:30;
    Bolat checks in to B early, at 12:10 (check-in opens an hour before the start)."""
    history = History()
    time_machine.move_to(almaty(11, 0), tick=False)
    organisation = Organisation.objects.create(name_en="Eco club", kind="university", region_id=ASTANA).id
    campaign = history.campaign(starts_on=DAY - dt.timedelta(days=5), ends_on=DAY + dt.timedelta(days=5))
    a = history.event(
        campaign=campaign,
        region=ASTANA,
        organisation=organisation,
        day=DAY,
        starts_at=almaty(12),
        ends_at=almaty(15, 30),
    )
    b = history.event(
        campaign=campaign,
        region=ASTANA,
        organisation=organisation,
        day=DAY,
        starts_at=almaty(12, 30),
        ends_at=almaty(15),
    )
    bolat = uuid.uuid4()
    time_machine.move_to(almaty(12, 2), tick=False)
    history.check_in(a, aigerim.volunteer_id, when=almaty(12, 2))
    time_machine.move_to(almaty(12, 10), tick=False)
    history.check_in(b, bolat, when=almaty(12, 10), age_band="36_59")
    time_machine.move_to(almaty(12, 20), tick=False)
    fold_all()
    return {"A": a, "B": b, "bolat": bolat, "campaign": campaign}


def pages(client, user: User) -> tuple[Decimal, Decimal]:
    client.force_login(user)
    mine = client.get(reverse("my-events")).context["total_hours"]
    certificate = client.get(reverse("certificate")).context["total_hours"]
    return mine, certificate


def test_at_12_20_nothing_is_credited_and_the_event_not_started_is_not_held(overlapping, aigerim, client):
    # At 12:20: A has started (held, with Aigerim), B has not (Bolat checked in early): one event,
    # no hours anywhere
    assert hours_now() == ("0.00", 1)
    assert pages(client, aigerim) == (Decimal("0.00"), Decimal("0.00"))
    assert [a.hours for a in volunteer_attendance(volunteer_id=aigerim.volunteer_id)] == [Decimal("0.00")]
    assert EventFigures.objects.get(event_id=overlapping["B"]).status == "none"


def test_after_both_ended_the_person_has_the_union_and_every_figure_agrees(overlapping, aigerim, client, time_machine):
    history = History()
    time_machine.move_to(almaty(12, 30), tick=False)
    history.check_in(overlapping["B"], aigerim.volunteer_id, when=almaty(12, 30))
    fold_all()
    assert hours_now() == ("0.00", 2)  # B held from its start on

    # At 15:10 B has ended: its stays are credited, 12:30-15:00 each (Aigerim's A not yet)
    time_machine.move_to(almaty(15, 10), tick=False)
    fold_all()
    assert hours_now() == ("5.00", 2)
    assert (seconds_of(overlapping["A"]), seconds_of(overlapping["B"])) == (0, 2 * 9000)
    assert pages(client, aigerim) == (Decimal("2.50"), Decimal("2.50"))

    # At 15:30 A has ended: Aigerim's 12:02-15:30 is A's (it starts first), her B gives nothing more
    time_machine.move_to(almaty(15, 30), tick=False)
    fold_all()
    union = 3 * 3600 + 28 * 60  # 12:02 to 15:30: 3.47 h
    assert union == 12480
    assert (seconds_of(overlapping["A"]), seconds_of(overlapping["B"])) == (union, 9000)  # B: Bolat's
    assert VolunteerTotal.objects.get(volunteer_id=aigerim.volunteer_id).seconds == union
    assert VolunteerTotal.objects.get(volunteer_id=overlapping["bolat"]).seconds == 9000
    assert hours_now() == ("5.97", 2)  # (12480 + 9000) / 3600, the sum over people of their union
    region = {row["region"]: row for row in selectors.region_totals()}[ASTANA]
    assert region["total"]["volunteer_hours"] == "5.97"
    board = selectors.leaderboard_volunteers(metric="volunteer_hours", period="all", on=DAY)
    assert board == [{"rank": 1, "display_name": "Aigerim", "events": 2, "volunteer_hours": "3.47"}]
    assert pages(client, aigerim) == (Decimal("3.47"), Decimal("3.47"))
    attended = volunteer_attendance(volunteer_id=aigerim.volunteer_id)
    assert [(a.event.id, a.seconds, a.hours) for a in attended] == [
        (overlapping["B"], 0, Decimal("0.00")),
        (overlapping["A"], union, Decimal("3.47")),
    ]
    assert attendance_hours(attended) == Decimal("3.47")

    # And the crediting run again changes nothing, a rebuild at the same instant gives the same
    # tables, and verify finds them equal to a replay
    projection = get("stats.totals")
    live = projection.snapshot()
    assert credit_due() is False
    assert projection.snapshot() == live
    call_command("ledger", "rebuild", "stats.totals", stdout=io.StringIO())
    assert projection.snapshot() == live
    call_command("ledger", "verify", "stats.totals", stdout=io.StringIO())


def test_a_two_hour_event_checked_in_an_hour_early_gives_two_hours_after_its_end_only(db, aigerim, time_machine):
    history = History()
    time_machine.move_to(almaty(9), tick=False)
    campaign = history.campaign(starts_on=DAY, ends_on=DAY)
    event = history.event(campaign=campaign, region=ASTANA, organisation=uuid.uuid4(), day=DAY, hours=2)  # 10-12
    history.check_in(event, aigerim.volunteer_id, when=almaty(9))
    fold_all()
    assert hours_now() == ("0.00", 0)  # not started: not held

    time_machine.move_to(
        almaty(
            11,
            59,
        ),
        tick=False,
    )
    fold_all()
    assert hours_now() == ("0.00", 1)
    time_machine.move_to(almaty(12), tick=False)
    fold_all()
    assert hours_now() == ("2.00", 1)
    assert [a.hours for a in volunteer_attendance(volunteer_id=aigerim.volunteer_id)] == [Decimal("2.00")]


def test_a_check_out_before_the_end_is_credited_from_then_on_to_the_check_out(db, aigerim, time_machine):
    history = History()
    time_machine.move_to(almaty(9, 50), tick=False)
    campaign = history.campaign(starts_on=DAY, ends_on=DAY)
    event = history.event(campaign=campaign, region=ASTANA, organisation=uuid.uuid4(), day=DAY)  # 10-14
    history.check_in(event, aigerim.volunteer_id, when=almaty(9, 50))
    time_machine.move_to(almaty(11, 15), tick=False)
    history.check_out(event, aigerim.volunteer_id, when=almaty(11, 15))
    fold_all()

    assert hours_now() == ("1.25", 1)  # 10:00-11:15, before the event's end
    assert [a.hours for a in volunteer_attendance(volunteer_id=aigerim.volunteer_id)] == [Decimal("1.25")]
    time_machine.move_to(almaty(14), tick=False)
    fold_all()
    assert hours_now() == ("1.25", 1)


def test_an_event_is_held_once_started_with_a_check_in_or_a_result(db, time_machine):
    history = History()
    time_machine.move_to(almaty(9, 30), tick=False)
    campaign = history.campaign(starts_on=DAY, ends_on=DAY)
    checked_in = history.event(campaign=campaign, region=ASTANA, organisation=uuid.uuid4(), day=DAY)  # 10-14
    with_result = history.event(campaign=campaign, region=ASTANA, organisation=uuid.uuid4(), day=DAY)
    nothing = history.event(campaign=campaign, region=ASTANA, organisation=uuid.uuid4(), day=DAY)
    history.check_in(checked_in, uuid.uuid4(), when=almaty(9, 30))
    fold_all()
    assert hours_now()[1] == 0  # an early check-in does not hold an event not started

    time_machine.move_to(almaty(10), tick=False)
    fold_all()
    assert hours_now()[1] == 1
    time_machine.move_to(almaty(14, 30), tick=False)
    history.result(with_result, trees=5)
    fold_all()
    assert hours_now()[1] == 2
    assert EventFigures.objects.get(event_id=nothing).status == "none"
    assert TotalsClock.objects.get().credited_until == almaty(14, 30)
    call_command("ledger", "verify", "stats.totals", stdout=io.StringIO())
