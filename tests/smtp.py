"""A real SMTP server for tests (aiosmtpd, in a thread of the test process), on a free port.

It can be started, stopped and started again on the same port, so a test can take the mail server
away and bring it back; it refuses for good (550) the addresses it is told to, and keeps every
message it accepted.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import logging
import threading
from dataclasses import dataclass

from aiosmtpd.controller import Controller

from tests.live import free_port

# aiosmtpd logs every command it reads at INFO; a test shows what it received instead.
logging.getLogger("mail.log").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Received:
    to: tuple[str, ...]
    subject: str
    message_id: str
    body: str
    raw: bytes = b""  # the whole message as received, to read its headers and attachments


class _Handler:
    def __init__(self, sink: SmtpServer):
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd's name)
        if address in self.sink.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        with self.sink.lock:
            self.sink.data_started += 1
        if self.sink.delay:
            await asyncio.sleep(self.sink.delay)  # a mail server that takes its time
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = parsed.get_body(preferencelist=("plain",))
        with self.sink.lock:
            self.sink.received.append(
                Received(
                    to=tuple(envelope.rcpt_tos),
                    subject=str(parsed["Subject"]),
                    message_id=str(parsed["Message-ID"]),
                    body=body.get_content() if body is not None else "",
                    raw=envelope.content,
                )
            )
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.refuse: set[str] = set()
        self.delay = 0.0  # seconds each message takes to be accepted
        self.data_started = 0  # how many times a client began to hand over a message (DATA)
        self.received: list[Received] = []
        self.lock = threading.Lock()
        self._controller: Controller | None = None

    def start(self) -> SmtpServer:
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def settings(self) -> dict[str, object]:
        """The Django settings that send to this server."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_TIMEOUT": 5,
        }

    def __enter__(self) -> SmtpServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
