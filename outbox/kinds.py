"""What each kind of message says: a renderer per kind, registered by the app that records it.

A renderer turns a recorded message into the email to send, at the time it is sent, in the
recipient's language; it returns None when there is nothing to send any more (the account is gone,
the volunteer gave the place back). It must not write: the sender calls it again if sending fails.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.mail import EmailMessage, EmailMultiAlternatives

from outbox.models import Message

Renderer = Callable[[Message], EmailMessage | None]

_RENDERERS: dict[str, Renderer] = {}


def kind(name: str) -> Callable[[Renderer], Renderer]:
    """Register the renderer of messages of kind `name` (one renderer per kind)."""

    def register(renderer: Renderer) -> Renderer:
        if _RENDERERS.get(name, renderer) is not renderer:
            raise ValueError(f"outbox kind {name!r} has a renderer already")
        _RENDERERS[name] = renderer
        return renderer

    return register


def render(message: Message) -> EmailMessage | None:
    return _RENDERERS[message.kind](message)


@kind("rendered")
def rendered(message: Message) -> EmailMessage:
    """A message rendered when it was recorded (allauth's emails: verification, password reset)."""
    data = message.payload
    email = EmailMultiAlternatives(
        data["subject"], data["body"], data["from_email"], [message.to], headers=data["headers"]
    )
    for content, mimetype in data["alternatives"]:
        email.attach_alternative(content, mimetype)
    return email
