"""Showing a service's refusal on a page: beside the form's fields, as a message, or as the site's 404 or 403.

A view that can say on its page why a service refused catches the `DomainError` itself and shows it
(`refusal_to_form`, `refusal_to_message`). What no view catches reaches `RefusalPageMiddleware`: a
refusal whose status is 404 (no such event, campaign, region or pass) is answered with the site's
404 page, one whose status is 403 (not the event's organiser or coordinator) with its 403 page,
exactly as if the view had raised Http404 or PermissionDenied. Any other status is left to Django.

A middleware, not a view decorator, for the reason the API has one exception handler
(`config.errors.api_exception_handler`) rather than one per view: every page, including one added
tomorrow, is covered with nothing to remember, and a view stays a form, a service call and a
template. It sees only exceptions that leave a view (`process_exception`), so the refusals a view
turns into a form error never reach it; nor do the API's, which DRF answers inside its views.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpRequest, HttpResponse

from config.errors import DomainError

# The status of a refusal -> the exception with which Django answers it on a page.
_PAGE_EXCEPTIONS: dict[int, type[Exception]] = {404: Http404, 403: PermissionDenied}


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


class RefusalPageMiddleware:
    """Answers a 404 or 403 refusal raised by a view with the site's 404 or 403 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        page_exception = _PAGE_EXCEPTIONS.get(exception.status_code)
        if page_exception is None:
            return None
        # Django's own answer to the view raising it: handler404 or handler403 in the visitor's
        # language (the technical 404 under DEBUG), logged as Django logs those.
        return response_for_exception(request, page_exception(exception.message))
