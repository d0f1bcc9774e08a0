"""The outbox's sender against a real SMTP server: each message sent once, after commit, retried with
backoff while the server is away, failed for good when it is refused; two senders never share one."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.utils import timezone

from outbox import sender
from outbox.models import Message
from outbox.services import Draft, message_record_rendered, message_retry, messages_record
from tests.smtp import SmtpServer

pytestmark = pytest.mark.django_db


def email_to(*addresses: str, subject: str = "Hello") -> EmailMessage:
    return EmailMessage(subject, f"Dear {addresses[0]}", "Taza <no-reply@taza.local>", list(addresses))


def states() -> list[tuple[str, str, int]]:
    return list(Message.objects.order_by("id").values_list("to", "status", "attempts"))


@pytest.fixture
def smtp(settings):
    server = SmtpServer()  # not started: a test starts it when the mail server is to be there
    for name, value in server.settings().items():
        setattr(settings, name, value)
    settings.TAZA_OUTBOX_RETRY_BASE_SECONDS = 1
    yield server
    server.stop()


def test_a_recorded_message_is_sent_once_its_transaction_commits_and_never_again(django_capture_on_commit_callbacks):
    # When a message is recorded, nothing is sent until the transaction commits
    with django_capture_on_commit_callbacks(execute=True):
        assert message_record_rendered(email_to("aigerim@example.kz")) == 1
        assert mail.outbox == []

    # Then it is sent once, marked sent, and the stored copy of the message is gone
    (sent,) = mail.outbox
    assert (sent.to, sent.subject, sent.body) == (["aigerim@example.kz"], "Hello", "Dear aigerim@example.kz")
    message = Message.objects.get()
    assert (message.status, message.attempts, message.payload) == ("sent", 1, {})
    assert sent.extra_headers["Message-ID"] == f"<{message.message_id}@127.0.0.1>"

    # And a sender running again sends nothing more
    assert sender.send_due() == {}
    assert len(mail.outbox) == 1


def test_a_rolled_back_write_leaves_no_message(django_capture_on_commit_callbacks):
    captured = django_capture_on_commit_callbacks(execute=True)
    with captured as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        message_record_rendered(email_to("aigerim@example.kz"))
        raise RuntimeError("the write fails after recording")

    assert (Message.objects.count(), callbacks, mail.outbox) == (0, [], [])


def test_a_key_recorded_twice_is_one_message():
    draft = Draft("rendered", "rendered:the-same-cause", to="aigerim@example.kz", payload={"subject": "Hi"})

    messages_record([draft])
    messages_record([draft])

    assert list(Message.objects.values_list("key", flat=True)) == ["rendered:the-same-cause"]


def test_smtp_down_then_up_the_waiting_emails_go_out_once(smtp):
    # Given three emails recorded while the mail server is down
    for name in ("aigerim", "bolat", "dana"):
        message_record_rendered(email_to(f"{name}@example.kz", subject=f"For {name}"))

    # When the sender runs, it tries the first, which waits a second, and leaves the others for later
    assert sender.send_due() == {"retrying": 1}
    assert states() == [("aigerim@example.kz", "pending", 1), ("bolat@example.kz", "pending", 0),
                        ("dana@example.kz", "pending", 0)]  # fmt: skip
    first = Message.objects.order_by("id").first()
    assert "ConnectionRefusedError" in first.last_error
    assert dt.timedelta(seconds=0.9) < first.next_attempt_at - timezone.now() <= dt.timedelta(seconds=1)
    assert sender.send_due() == {"retrying": 1}  # the next run tries the next one
    assert [attempts for _, _, attempts in states()] == [1, 1, 0]

    # When the mail server is back, what is due goes at once and the rest after their wait
    smtp.start()
    assert sender.send_due() == {"sent": 1}
    time.sleep(1.05)
    assert sender.send_due() == {"sent": 2}
    assert sender.send_due() == {}

    # Then each went out exactly once, with the Message-ID of its row
    assert states() == [("aigerim@example.kz", "sent", 2), ("bolat@example.kz", "sent", 2),
                        ("dana@example.kz", "sent", 1)]  # fmt: skip
    received = sorted(smtp.received, key=lambda r: r.to)
    assert [(r.to, r.subject) for r in received] == [
        (("aigerim@example.kz",), "For aigerim"),
        (("bolat@example.kz",), "For bolat"),
        (("dana@example.kz",), "For dana"),
    ]
    rows = Message.objects.order_by("to")
    assert [r.message_id for r in received] == [f"<{m.message_id}@127.0.0.1>" for m in rows]


def test_a_message_refused_for_good_fails_at_once_and_goes_when_an_admin_sends_it_again(smtp):
    smtp.start()
    smtp.refuse.add("gone@example.kz")
    messages_record([])  # nothing recorded: nothing queued
    message_record_rendered(email_to("gone@example.kz"))
    message_record_rendered(email_to("dana@example.kz"))

    # The refused one fails for good without holding up the next
    assert sender.send_due() == {"failed": 1, "sent": 1}
    assert states() == [("gone@example.kz", "failed", 1), ("dana@example.kz", "sent", 1)]
    assert "550" in Message.objects.get(to="gone@example.kz").last_error

    # When the address works again and an admin sends the failed message again, it goes once
    smtp.refuse.clear()
    assert message_retry(message_ids=Message.objects.values_list("pk", flat=True)) == 1
    assert sender.send_due() == {"sent": 1}
    assert sorted(r.to for r in smtp.received) == [("dana@example.kz",), ("gone@example.kz",)]


def test_a_message_still_unsent_after_the_give_up_time_fails(smtp, settings):
    message_record_rendered(email_to("aigerim@example.kz"))
    Message.objects.update(created_at=timezone.now() - dt.timedelta(hours=settings.TAZA_OUTBOX_GIVE_UP_HOURS))

    assert sender.send_due() == {"failed": 1}

    assert states() == [("aigerim@example.kz", "failed", 1)]


def test_the_wait_doubles_after_each_failed_attempt_up_to_its_ceiling(settings):
    settings.TAZA_OUTBOX_RETRY_BASE_SECONDS, settings.TAZA_OUTBOX_RETRY_MAX_SECONDS = 10, 900

    assert [sender.backoff(n).total_seconds() for n in (1, 2, 3, 6, 7, 8, 40)] == [10, 20, 40, 320, 640, 900, 900]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_message_exactly_once(smtp):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks (SKIP LOCKED)")
    # Given 60 messages recorded while the mail server was away (each tried once, waiting a second).
    # The clock stands still meanwhile: on a loaded machine (the suite runs in two workers) the 60
    # recordings can take more than the second, and the sender run by each recording would try the
    # first ones again.
    with time_machine.travel(timezone.now(), tick=False):
        for n in range(60):
            message_record_rendered(email_to(f"volunteer{n}@example.kz"))
    assert set(states()) == {(f"volunteer{n}@example.kz", "pending", 1) for n in range(60)}
    smtp.delay = 0.02  # so that neither sender drains the outbox before the other has started
    smtp.start()
    time.sleep(1.05)
    outcomes: list[dict] = []
    start = threading.Barrier(2)

    def run() -> None:
        try:
            start.wait(10)
            outcomes.append(sender.send_due())
        finally:
            connection.close()

    senders = [threading.Thread(target=run) for _ in range(2)]
    for thread in senders:
        thread.start()
    for thread in senders:
        thread.join(60)

    assert sum(o["sent"] for o in outcomes) == 60
    assert all(o["sent"] > 0 for o in outcomes), outcomes  # both worked, side by side
    assert sorted(r.to[0] for r in smtp.received) == sorted(f"volunteer{n}@example.kz" for n in range(60))
    assert len({r.message_id for r in smtp.received}) == 60
    assert set(states()) == {(f"volunteer{n}@example.kz", "sent", 2) for n in range(60)}
