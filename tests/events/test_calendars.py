"""Calendars: an approved event's .ics (RFC 5545, exact), and each person's private feed of their
live registrations, whose address a reset makes 404."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from events.calendar import escape, fold
from events.services import event_cancel, registration_cancel, registration_create

SITE = "https://taza.example.kz"
STARTS = dt.datetime(2026, 12, 8, 4, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def clock(settings):
    settings.SITE_URL = SITE
    with time_machine.travel(dt.datetime(2026, 12, 1, 5, 0, tzinfo=dt.UTC), tick=False) as traveller:
        yield traveller


def test_an_approved_events_ics_is_exact(make_event):
    event = make_event(starts_at=STARTS)

    response = Client().get(f"/events/{event.id}/calendar.ics", HTTP_ACCEPT_LANGUAGE="en")

    assert (response.status_code, response["Content-Type"]) == (200, "text/calendar; charset=utf-8")
    url = f"{SITE}/events/{event.id}/"
    description = f"DESCRIPTION:Litter picking along the left bank.\\n\\nWhat to bring: Gloves and water.\\n\\n{url}"
    assert response.content.decode() == "".join(
        f"{line}\r\n"
        for line in [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Taza//Taza events//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "BEGIN:VEVENT",
            f"UID:event-{event.id}@taza.example.kz",
            "DTSTAMP:20261201T050000Z",
            "DTSTART:20261208T040000Z",
            "DTEND:20261208T070000Z",
            f"SEQUENCE:{event.version}",
            "SUMMARY:Esil embankment clean-up",
            "LOCATION:Esil embankment\\, near the Triumphal Arch\\, Astana",
            "GEO:51.128300;71.430500",
            f"URL:{url}",
            description[:75],
            " " + description[75:149],
            " " + description[149:],
            "STATUS:CONFIRMED",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
    )


def test_a_cancelled_event_says_so_and_a_proposed_one_has_no_calendar(make_event, organiser):
    proposed = make_event(approved=False, starts_at=STARTS)
    cancelled = make_event(starts_at=STARTS)
    event_cancel(actor=organiser, event_id=cancelled.id, reason="Storm warning.")

    assert Client().get(f"/events/{proposed.id}/calendar.ics").status_code == 404
    ics = Client().get(f"/events/{cancelled.id}/calendar.ics").content.decode()
    assert "STATUS:CANCELLED\r\n" in ics


def test_folding_counts_octets_and_never_splits_a_character():
    line = "SUMMARY:" + "Тазалық " * 12
    folded = fold(line)

    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
    assert escape("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"


def uids(ics: str) -> list[str]:
    return [line.removeprefix("UID:") for line in ics.split("\r\n") if line.startswith("UID:")]


def test_the_private_feed_lists_exactly_the_persons_live_registrations_and_a_reset_retires_its_address(
    make_event, volunteer, volunteers
):
    kept, given_back, waiting, someone_elses = (make_event(starts_at=STARTS, capacity=1) for _ in range(4))
    registration_create(actor=volunteer, event_id=kept.id)
    mine = registration_create(actor=volunteer, event_id=given_back.id)
    registration_cancel(actor=volunteer, registration_id=mine.id)
    registration_create(actor=volunteers[0], event_id=waiting.id)
    registration_create(actor=volunteer, event_id=waiting.id)  # on its waitlist
    registration_create(actor=volunteers[0], event_id=someone_elses.id)
    old = f"/calendar/{volunteer.calendar_token}.ics"

    feed = Client().get(old)

    assert (feed.status_code, feed["Content-Type"]) == (200, "text/calendar; charset=utf-8")
    # (the four start together: the feed orders them by start, then by id, which the frozen clock leaves random)
    assert sorted(uids(feed.content.decode())) == sorted(f"event-{e.id}@taza.example.kz" for e in (kept, waiting))

    # Reset from the profile page: the old address is gone, the new one serves the same
    client = Client()
    client.force_login(volunteer)
    assert f"/calendar/{volunteer.calendar_token}.ics" in client.get("/me/profile/").content.decode()
    assert client.post("/me/profile/calendar/reset/").status_code == 302
    volunteer.refresh_from_db()
    assert Client().get(old).status_code == 404
    assert uids(Client().get(f"/calendar/{volunteer.calendar_token}.ics").content.decode()) == uids(
        feed.content.decode()
    )


def test_the_event_page_and_my_events_link_the_calendar(make_event, volunteer):
    event = make_event(starts_at=STARTS)
    registration_create(actor=volunteer, event_id=event.id)
    client = Client()
    client.force_login(volunteer)

    link = f'href="/events/{event.id}/calendar.ics"'
    assert link in client.get(f"/events/{event.id}/").content.decode()
    assert link in client.get("/me/events/").content.decode()
