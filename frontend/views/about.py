"""The pages every public service has: privacy, terms of use, accessibility, contact and help, linked
from the footer of every page, in kk, ru and en. Their address for people to write to is one
setting, TAZA_CONTACT_EMAIL."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

PAGES = ("privacy", "terms", "accessibility", "contact", "help")


def _page(name: str):
    @require_GET
    def view(request: HttpRequest) -> HttpResponse:
        return render(request, f"frontend/about/{name}.html", {"contact_email": settings.TAZA_CONTACT_EMAIL})

    view.__name__ = name
    return view


privacy, terms, accessibility, contact, help_page = (_page(name) for name in PAGES)
