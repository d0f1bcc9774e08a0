"""Showing a service's refusal on a page: its message, and its field messages beside the fields."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from config.errors import DomainError


def refusal_to_form(form: forms.Form, error: DomainError, *, aliases: dict[str, str] | None = None) -> None:
    """Put the error's field messages on the form's fields (by name, or an alias), the rest on top."""
    aliases = aliases or {}
    placed = False
    for name, texts in error.fields.items():
        field = aliases.get(name, name)
        for text in texts:
            form.add_error(field if field in form.fields else None, text)
            placed = True
    if not placed or not error.fields:
        form.add_error(None, error.message)


def refusal_to_message(request: HttpRequest, error: DomainError) -> None:
    details = [text for texts in error.fields.values() for text in texts if text != error.message]
    messages.error(request, " ".join([error.message, *details]))
