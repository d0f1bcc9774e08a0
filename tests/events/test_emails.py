"""What volunteers read, as a real mail server receives it: the confirmation of a registration (with
the event's .ics), reminders before the start, a new time or a cancellation with the organiser's
reason, each time in Almaty's time in the reader's language, each link on SITE_URL, each email with
its one-click unsubscribe headers."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy

import pytest
import time_machine
from django.test import Client

from events.models import Registration
from events.reminders import reminders_record
from events.services import event_cancel, event_reschedule, registration_cancel, registration_create
from events.tasks import record_reminders
from outbox import sender
from outbox.models import Message
from tests.smtp import Received, SmtpServer
from volunteers.email_choices import unsubscribe_token

SITE = "https://taza.example.kz"
# The event starts on 8 December 2026 at 09:00 in Astana (UTC+5) and ends at 12:00.
STARTS = dt.datetime(2026, 12, 8, 4, 0, tzinfo=dt.UTC)
TITLE = "Esil embankment clean-up"


@pytest.fixture(autouse=True)
def clock():
    """A week before the event; tests move it on."""
    with time_machine.travel(dt.datetime(2026, 12, 1, 5, 0, tzinfo=dt.UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture
def smtp(settings):
    server = SmtpServer().start()
    for name, value in server.settings().items():
        setattr(settings, name, value)
    settings.SITE_URL = SITE
    yield server
    server.stop()


@pytest.fixture
def event(make_event):
    return make_event(starts_at=STARTS)


def delivered(server: SmtpServer) -> list[Received]:
    """What the mail server received since the last look, its subject and body as a reader sees them
    (a long encoded subject comes folded, lines end in CRLF on the wire)."""
    sender.send_due()
    with server.lock:
        received, server.received[:] = list(server.received), []
    return [dataclasses.replace(r, subject=r.subject.strip(), body=r.body.replace("\r\n", "\n")) for r in received]


def parsed(received: Received) -> email.message.EmailMessage:
    return email.message_from_bytes(received.raw, policy=email.policy.default)


def calendar_of(received: Received) -> dict[str, str]:
    """The attached .ics, unfolded, as {property: value} of its VEVENT."""
    (part,) = [p for p in parsed(received).iter_attachments() if p.get_content_type() == "text/calendar"]
    text = part.get_payload(decode=True).decode()
    assert "\r\n" in text
    lines = text.replace("\r\n ", "").split("\r\n")
    vevent = lines[lines.index("BEGIN:VEVENT") + 1 : lines.index("END:VEVENT")]
    return dict(line.split(":", 1) for line in vevent)


def unsubscribe_link(received: Received) -> str:
    message = parsed(received)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = str(message["List-Unsubscribe"]).strip()
    assert header.startswith(f"<{SITE}/unsubscribe/") and header.endswith("/>")
    return header[1:-1]


def speaking(user, language: str):
    user.language = language
    user.save(update_fields=["language"])
    return user


def test_a_registration_is_confirmed_in_english_with_its_calendar_and_links_on_site_url(smtp, event, volunteer):
    speaking(volunteer, "en")

    registration = registration_create(actor=volunteer, event_id=event.id)

    (received,) = delivered(smtp)
    token = unsubscribe_token(volunteer.volunteer_id, "confirmations")
    assert (received.to, received.subject) == (("dana@taza.test",), f"[Taza] You are registered: {TITLE}")
    assert received.body == (
        f'You are registered for "{TITLE}". Thank you!\n'
        "\n"
        "Starts: 8 December 2026, 09:00\n"
        "Ends: 8 December 2026, 12:00\n"
        "Address: Esil embankment, near the Triumphal Arch, Astana\n"
        "What to bring: Gloves and water.\n"
        "\n"
        f"Your pass (QR code): {SITE}/me/passes/{registration.id}/\n"
        f"The event's page: {SITE}/events/{event.id}/\n"
        "The event is in the attached file event.ics: open it to add it to your calendar.\n"
        "\n"
        "--\n"
        f"Choose which emails you get: {SITE}/me/profile/\n"
        f"Stop emails of this kind: {SITE}/unsubscribe/{token}/\n"
    )
    assert unsubscribe_link(received) == f"{SITE}/unsubscribe/{token}/"
    ics = calendar_of(received)
    assert {name: ics[name] for name in ("UID", "DTSTART", "DTEND", "SUMMARY", "URL", "GEO", "STATUS")} == {
        "UID": f"event-{event.id}@taza.example.kz",
        "DTSTART": "20261208T040000Z",
        "DTEND": "20261208T070000Z",
        "SUMMARY": TITLE,
        "URL": f"{SITE}/events/{event.id}/",
        "GEO": "51.128300;71.430500",
        "STATUS": "CONFIRMED",
    }


def test_the_confirmation_reads_the_time_the_way_kazakh_and_russian_write_it(smtp, event, volunteers):
    aigerim, bolat = speaking(volunteers[0], "kk"), speaking(volunteers[1], "ru")

    registration_create(actor=aigerim, event_id=event.id)
    registration_create(actor=bolat, event_id=event.id)

    kazakh, russian = delivered(smtp)
    assert kazakh.subject == f"[Taza] Сіз тіркелдіңіз: {TITLE}"
    assert kazakh.body.splitlines()[:5] == [
        f"Сіз «{TITLE}» іс-шарасына тіркелдіңіз. Рақмет!",
        "",
        "Басталуы: 8 желтоқсан 2026, 09:00",
        "Аяқталуы: 8 желтоқсан 2026, 12:00",
        "Мекенжайы: Esil embankment, near the Triumphal Arch, Астана қаласы",
    ]
    assert russian.subject == f"[Taza] Вы зарегистрированы: {TITLE}"
    assert russian.body.splitlines()[:5] == [
        f"Вы зарегистрированы на мероприятие «{TITLE}». Спасибо!",
        "",
        "Начало: 8 декабря 2026 г., 09:00",
        "Окончание: 8 декабря 2026 г., 12:00",
        "Адрес: Esil embankment, near the Triumphal Arch, город Астана",
    ]
    assert calendar_of(kazakh)["DTSTART"] == calendar_of(russian)["DTSTART"] == "20261208T040000Z"


def test_a_waitlisted_volunteer_is_told_so_and_a_promotion_brings_the_calendar(smtp, make_event, volunteer, volunteers):
    event = make_event(starts_at=STARTS, capacity=1)
    speaking(volunteers[0], "en")
    mine = registration_create(actor=volunteer, event_id=event.id)
    waiting = registration_create(actor=volunteers[0], event_id=event.id)
    _dana, aigerim = delivered(smtp)
    assert aigerim.subject == f"[Taza] On the waitlist: {TITLE}"
    assert aigerim.body.splitlines()[0] == (
        f'You are on the waitlist of "{TITLE}", number 1. If a place frees up, it is yours and we will write to you.'
    )
    assert "/me/passes/" not in aigerim.body

    registration_cancel(actor=volunteer, registration_id=mine.id)

    (promoted,) = delivered(smtp)
    assert promoted.subject == f"[Taza] You have a place: {TITLE}"
    assert f"Your pass (QR code): {SITE}/me/passes/{waiting.id}/" in promoted.body
    assert calendar_of(promoted)["UID"] == f"event-{event.id}@taza.example.kz"


def test_a_new_time_and_a_cancellation_carry_the_organisers_reason(smtp, event, organiser, volunteer):
    speaking(volunteer, "en")
    registration_create(actor=volunteer, event_id=event.id)
    delivered(smtp)

    later = STARTS + dt.timedelta(days=1)
    event_reschedule(
        actor=organiser, event_id=event.id, starts_at=later, ends_at=later + dt.timedelta(hours=2), reason="Rain."
    )
    event_cancel(actor=organiser, event_id=event.id, reason="Storm warning.")

    moved, cancelled = delivered(smtp)
    assert moved.subject == f"[Taza] New time: {TITLE}"
    assert moved.body.split("\n--\n")[0] == (
        f'The event "{TITLE}" has a new time.\n'
        "\n"
        "The organiser's reason: Rain.\n"
        "\n"
        "Starts: 9 December 2026, 09:00\n"
        "Ends: 9 December 2026, 11:00\n"
        "Address: Esil embankment, near the Triumphal Arch, Astana\n"
        "\n"
        "If you can no longer come, please cancel your registration so someone on the waitlist can take "
        f"your place: {SITE}/events/{event.id}/\n"
    )
    assert cancelled.subject == f"[Taza] Cancelled: {TITLE}"
    assert cancelled.body.split("\n--\n")[0] == (
        f'The event "{TITLE}" you registered for has been cancelled.\n'
        "\n"
        "The organiser's reason: Storm warning.\n"
        "\n"
        "It was to start: 9 December 2026, 09:00\n"
        "\n"
        f"Thank you for wanting to help. Other events are waiting for you: {SITE}/events/\n"
    )
    assert unsubscribe_link(cancelled) == f"{SITE}/unsubscribe/{unsubscribe_token(volunteer.volunteer_id, 'changes')}/"


def reminders() -> list[tuple[str, int]]:
    return [
        (m.payload.get("starts_at", ""), m.payload.get("hours")) for m in Message.objects.filter(kind="events.reminder")
    ]


def test_reminders_come_24_and_2_hours_before_once_each_however_often_beat_runs(smtp, clock, event, volunteer):
    speaking(volunteer, "en")
    registration = registration_create(actor=volunteer, event_id=event.id)
    delivered(smtp)

    # 25 hours before: nothing yet
    clock.move_to(STARTS - dt.timedelta(hours=25))
    assert (reminders_record(), reminders()) == (0, [])

    # 24 hours before, and again a minute later: one reminder
    clock.move_to(STARTS - dt.timedelta(hours=24))
    assert record_reminders.delay().get() == 1
    clock.move_to(STARTS - dt.timedelta(hours=23, minutes=59))
    assert reminders_record() == 0
    (day_before,) = delivered(smtp)
    assert day_before.subject == f"[Taza] Reminder: {TITLE}, 8 December 2026, 09:00"
    assert day_before.body.split("\n--\n")[0] == (
        f'A reminder: "{TITLE}" starts soon.\n'
        "\n"
        "Starts: 8 December 2026, 09:00\n"
        "Ends: 8 December 2026, 12:00\n"
        "Address: Esil embankment, near the Triumphal Arch, Astana\n"
        "What to bring: Gloves and water.\n"
        "\n"
        f"Your pass (QR code), to show the organiser: {SITE}/me/passes/{registration.id}/\n"
        "If you can no longer come, please cancel your registration so someone on the waitlist can take "
        f"your place: {SITE}/events/{event.id}/\n"
    )
    assert (
        unsubscribe_link(day_before) == f"{SITE}/unsubscribe/{unsubscribe_token(volunteer.volunteer_id, 'reminders')}/"
    )

    # 2 hours before, twice: the second reminder, once
    clock.move_to(STARTS - dt.timedelta(hours=2))
    assert (reminders_record(), reminders_record()) == (1, 0)
    (soon,) = delivered(smtp)
    assert soon.subject == day_before.subject
    assert reminders() == [("2026-12-08T04:00:00+00:00", 24), ("2026-12-08T04:00:00+00:00", 2)]

    # After the start: nothing more
    clock.move_to(STARTS + dt.timedelta(minutes=5))
    assert (reminders_record(), delivered(smtp)) == (0, [])


def test_a_late_beat_sends_only_the_nearest_reminder(smtp, clock, event, volunteer):
    registration_create(actor=volunteer, event_id=event.id)
    delivered(smtp)

    clock.move_to(STARTS - dt.timedelta(hours=1))
    assert reminders_record() == 1

    assert [hours for _, hours in reminders()] == [2]


def test_no_reminder_for_a_cancelled_event_or_a_place_given_back(
    smtp, clock, make_event, organiser, volunteer, volunteers
):
    called_off = make_event(starts_at=STARTS)
    other = make_event(starts_at=STARTS, title="Botanical garden planting")
    registration_create(actor=volunteer, event_id=called_off.id)
    given_back = registration_create(actor=volunteers[0], event_id=other.id)
    event_cancel(actor=organiser, event_id=called_off.id, reason="Storm warning.")
    registration_cancel(actor=volunteers[0], registration_id=given_back.id)
    delivered(smtp)

    clock.move_to(STARTS - dt.timedelta(hours=24))
    assert reminders_record() == 0

    # Nor is one recorded before the cancellation sent after it
    on_time = registration_create(actor=volunteers[1], event_id=other.id)
    delivered(smtp)
    clock.move_to(STARTS - dt.timedelta(hours=2))
    assert reminders_record() == 1
    registration_cancel(actor=volunteers[1], registration_id=on_time.id)
    assert delivered(smtp) == []
    assert Message.objects.get(kind="events.reminder").status == "dropped"


def test_a_reschedule_brings_the_reminders_at_the_new_time(smtp, clock, event, organiser, volunteer):
    registration_create(actor=volunteer, event_id=event.id)
    delivered(smtp)
    clock.move_to(STARTS - dt.timedelta(hours=24))
    assert reminders_record() == 1  # recorded, not sent yet

    later = STARTS + dt.timedelta(days=2)
    event_reschedule(actor=organiser, event_id=event.id, starts_at=later, ends_at=later + dt.timedelta(hours=3))

    # The old start's reminder is dropped; the new time gets its own, 24 hours before it
    assert [r.subject for r in delivered(smtp)] == ["[Taza] Жаңа уақыт: Esil embankment clean-up"]
    assert Message.objects.get(kind="events.reminder").status == "dropped"
    clock.move_to(later - dt.timedelta(hours=24))
    assert reminders_record() == 1
    (reminder,) = delivered(smtp)
    assert reminder.subject == f"[Taza] Еске салу: {TITLE}, 10 желтоқсан 2026, 09:00"


def test_turning_reminders_off_on_the_profile_stops_only_reminders(smtp, clock, client, event, volunteer):
    client.force_login(volunteer)
    response = client.post(
        "/me/profile/emails/",
        {"topics": ["confirmations", "reminders", "changes"], "confirmations": "on", "changes": "on"},
    )
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert (volunteer.emails_confirmations, volunteer.emails_reminders, volunteer.emails_changes) == (True, False, True)
    assert volunteer.emails_verification is True  # not on a volunteer's form: left as it was

    registration_create(actor=volunteer, event_id=event.id)
    assert len(delivered(smtp)) == 1  # the confirmation
    clock.move_to(STARTS - dt.timedelta(hours=24))
    assert reminders_record() == 1
    assert delivered(smtp) == []
    assert Message.objects.get(kind="events.reminder").status == "dropped"


def test_one_click_unsubscribes_without_signing_in_and_stops_that_kind_only(smtp, organiser, event, volunteer):
    speaking(volunteer, "en")
    registration_create(actor=volunteer, event_id=event.id)
    (confirmation,) = delivered(smtp)
    link = unsubscribe_link(confirmation)
    path = link.removeprefix(SITE)
    anonymous = Client(enforce_csrf_checks=True)

    # The link opened in a browser asks first, and changes nothing
    page = anonymous.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Stop getting emails of this kind: confirmations of my registrations?" in page.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.emails_confirmations is True

    # The mail client's one-click POST, no session and no CSRF token
    done = anonymous.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert done.status_code == 200
    volunteer.refresh_from_db()
    assert (volunteer.emails_confirmations, volunteer.emails_reminders, volunteer.emails_changes) == (False, True, True)

    # A new time is still told
    event_reschedule(actor=organiser, event_id=event.id, starts_at=STARTS, ends_at=STARTS + dt.timedelta(hours=4))
    assert [r.subject for r in delivered(smtp)] == [f"[Taza] New time: {TITLE}"]


def test_a_link_we_did_not_sign_is_not_found(client):
    assert client.get("/unsubscribe/forged/").status_code == 404
    assert client.post("/unsubscribe/forged/").status_code == 404


def test_a_confirmation_for_a_place_given_back_before_sending_is_dropped(smtp, event, volunteer):
    registration = registration_create(actor=volunteer, event_id=event.id)
    registration_cancel(actor=volunteer, registration_id=registration.id)

    assert delivered(smtp) == []
    assert Registration.objects.get(pk=registration.id).status == "cancelled"
