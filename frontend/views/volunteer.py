"""Pages of a signed-in volunteer: register and cancel, my events with passes, history, certificate, profile."""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language

from certificates.selectors import certificate_check, certificate_document
from certificates.services import certificate_issue
from config.errors import DomainError
from events.passes import pass_code, pass_svg, pass_token
from events.selectors import (
    attendance_hours,
    registration_get,
    volunteer_attendance,
    volunteer_upcoming_registrations,
    waitlist_position,
)
from events.services import registration_cancel, registration_create, volunteer_delete
from frontend.confirm import confirmation_page, confirmed
from frontend.errors import refusal_to_form, refusal_to_message
from frontend.forms import DeleteAccountForm, ProfileForm
from volunteers.roles import is_organiser
from volunteers.services import volunteer_language_set, volunteer_settings_update


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, and for a signed-in volunteer the choice is kept on the account too."""
    response = set_language(request)
    if request.user.is_authenticated:
        volunteer_language_set(user=request.user, language=request.POST.get("language", ""))
    return response


@login_required
@require_POST
def register(request: HttpRequest, event_id: str) -> HttpResponse:
    try:
        registration = registration_create(actor=request.user, event_id=event_id)
    except DomainError as error:
        refusal_to_message(request, error)
    else:
        if registration.status == registration.Status.WAITLISTED:
            messages.success(
                request,
                _("The places are taken: you are on the waitlist, number %(n)d.")
                % {"n": waitlist_position(registration)},
            )
        else:
            messages.success(request, _("You are registered. Your pass is in My events."))
    return redirect("event", event_id=event_id)


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, registration_id: str) -> HttpResponse:
    """Giving a place back asks first (frontend/confirm.py): the place may go to someone else at once."""
    if not confirmed(request):
        registration = registration_get(user=request.user, registration_id=registration_id)
        event = registration.event
        if registration.status == registration.Status.WAITLISTED:
            title, question, label = (
                _("Leave the waitlist"),
                _("Leave the waitlist of this event?"),
                _("Yes, leave the waitlist"),
            )
            consequences = [_("You lose your number on the waitlist; registering again puts you at its end.")]
        else:
            title, question, label = _("Cancel my place"), _("Give your place back?"), _("Yes, give my place back")
            consequences = [
                _("Your pass stops working."),
                _("The place goes to the next person on the waitlist, or to whoever registers next."),
            ]
        return confirmation_page(
            request,
            title=title,
            question=question,
            consequences=consequences,
            confirm_label=label,
            back_url=reverse("event", args=[event.id]),
            back_label=_("No, keep it"),
            event=event,
        )
    try:
        registration = registration_cancel(actor=request.user, registration_id=registration_id)
    except DomainError as error:
        refusal_to_message(request, error)
        return redirect("my-events")
    messages.success(request, _("Your place is given back. Thank you for letting us know."))
    return redirect("event", event_id=registration.event_id)


@login_required
@require_GET
def my_events(request: HttpRequest) -> HttpResponse:
    upcoming = volunteer_upcoming_registrations(user=request.user)
    history = volunteer_attendance(volunteer_id=request.user.volunteer_id)
    return render(
        request,
        "frontend/my_events.html",
        {"upcoming": upcoming, "history": history, "total_hours": attendance_hours(history)},
    )


@login_required
@require_GET
def event_pass(request: HttpRequest, registration_id: str) -> HttpResponse:
    # Someone else's pass is no pass at all: the site's 404 (frontend/errors.py).
    registration = registration_get(user=request.user, registration_id=registration_id)
    token = pass_token(registration)
    response = render(
        request,
        "frontend/pass.html",
        {
            "registration": registration,
            "event": registration.event,
            "token": token,
            "code": pass_code(registration.id),
            "svg": _scalable(pass_svg(token, scale=8)),
            "waitlist_position": waitlist_position(registration),
        },
    )
    # The service worker keeps this page for offline use; the browser's own cache need not.
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_GET
def certificate(request: HttpRequest) -> HttpResponse:
    """The certificate, issued as the volunteer opens it (certificates.services): the page prints what
    was signed, its code and a QR code to its public check."""
    issued = certificate_issue(user=request.user, language=request.LANGUAGE_CODE)
    context = {"certificate": None, "total_hours": Decimal("0.00")}
    if issued is not None:
        certified = certificate_check(issued, name_shown=True)
        verify_url = request.build_absolute_uri(reverse("certificate-verify", args=[certified.code]))
        context = {
            "certificate": certified,
            "total_hours": certified.hours,
            "verify_url": verify_url,
            "svg": _scalable(pass_svg(verify_url, scale=4)),
        }
    return render(request, "frontend/certificate.html", context)


@login_required
@require_GET
def certificate_download(request: HttpRequest) -> HttpResponse:
    """The certificate's signed document, to check offline with the published key (manage.py
    verify_certificate); the same certificate as the page, issued if it is not yet."""
    issued = certificate_issue(user=request.user, language=request.LANGUAGE_CODE)
    if issued is None:
        raise Http404
    response = JsonResponse(certificate_document(issued), json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = f'attachment; filename="certificate-{issued.content["code"]}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    locked = is_organiser(user)
    initial = {
        "display_name": user.display_name,
        "language": user.language or request.LANGUAGE_CODE,
        "region": user.region_id,
        "organisation": user.organisation_id,
        "show_on_leaderboards": user.show_on_leaderboards,
    }
    form = ProfileForm(request.POST or None, initial=initial, organisation_locked=locked)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        volunteer_settings_update(
            user=user,
            display_name=data["display_name"],
            language=data["language"],
            region=data["region"],
            organisation=user.organisation if locked else data["organisation"],
            show_on_leaderboards=data["show_on_leaderboards"],
        )
        response = redirect("profile")
        # The page follows the language just chosen, as the header's switch does.
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, data["language"], samesite="Lax")
        messages.success(request, _("Your profile is saved."))
        return response
    return render(request, "frontend/profile.html", {"form": form, "delete_form": DeleteAccountForm(user=user)})


@login_required
@require_POST
def delete_account(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = DeleteAccountForm(request.POST, user=user)
    if not form.is_valid():
        locked = is_organiser(user)
        profile_form = ProfileForm(
            initial={"display_name": user.display_name, "language": user.language or request.LANGUAGE_CODE},
            organisation_locked=locked,
        )
        return render(request, "frontend/profile.html", {"form": profile_form, "delete_form": form}, status=400)
    try:
        given_back = volunteer_delete(actor=user, volunteer=user)
    except DomainError as error:
        refusal_to_form(form, error)
        return render(request, "frontend/profile.html", {"form": ProfileForm(), "delete_form": form}, status=400)
    logout(request)
    messages.success(
        request,
        _("Your account is deleted. Places given back: %(n)d. The totals you helped build stay.") % {"n": given_back},
    )
    return redirect("home")


def _scalable(svg: str) -> SafeString:
    """segno writes a fixed width and height and no viewBox; with one, CSS can size the code to the screen.

    Marked safe here, the one place that knows why it may be: segno draws the code as one <path>
    of modules (no title, no text, no style attribute), and the only inputs are the pass token the
    platform signed and the address of a certificate's check (this site's, with a code of ours),
    drawn as geometry and never written out as text (proven for markup as input by
    tests/events/test_checkins.py::test_the_pass_svg_draws_its_input_as_geometry_only).
    """
    match = re.search(r'width="(\d+)" height="(\d+)"', svg)
    if match is not None and "viewBox" not in svg:
        width, height = match.groups()
        svg = svg.replace(match.group(0), f'viewBox="0 0 {width} {height}" {match.group(0)}', 1)
    return mark_safe(svg)  # noqa: S308  # nosec B308 B703
