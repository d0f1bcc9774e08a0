"""Actions that cannot be taken back ask first, on a page of their own, so the question needs no
JavaScript: the first step (a button or a link) reaches the action's address, which answers with
this page; only its form, which carries `confirmed=yes`, does the action."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from events.models import Event


def confirmed(request: HttpRequest) -> bool:
    return request.method == "POST" and request.POST.get("confirmed") == "yes"


def confirmation_page(
    request: HttpRequest,
    *,
    title: str,
    question: str,
    consequences: Sequence[str],
    confirm_label: str,
    back_url: str,
    back_label: str,
    event: Event | None = None,
    form: forms.Form | None = None,
    status: int = 200,
) -> HttpResponse:
    """The question, what follows from a yes, the form that says yes, and the way back."""
    return render(
        request,
        "frontend/confirm.html",
        {
            "title": title,
            "question": question,
            "consequences": consequences,
            "confirm_label": confirm_label,
            "back_url": back_url,
            "back_label": back_label,
            "event": event,
            "form": form,
            "action_url": request.path,
        },
        status=status,
    )
