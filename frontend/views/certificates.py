"""The public check of a volunteer's certificate: the code typed in a form, or scanned from its QR code,
and the volunteer's choice of showing their name there (on the profile page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from certificates.codes import code_display, code_normalise
from certificates.errors import CertificateCodeMistyped, CertificateNotFound, TooManyCertificateCodes
from certificates.keys import verifier
from certificates.selectors import certificate_find
from certificates.services import certificate_name_show

MAX_TYPED = 40  # longer than any code, however spaced: the form gives back no more than this


@require_GET
def check(request: HttpRequest) -> HttpResponse:
    """The form: a well-formed code goes to its page; a mistyped one is said to be mistyped, here."""
    typed = request.GET.get("code", "")[:MAX_TYPED].replace("\x00", "")
    if not typed.strip():
        return render(request, "frontend/certificate_check.html", {"typed": ""})
    code = code_normalise(typed)
    if code is None:
        return render(
            request,
            "frontend/certificate_check.html",
            {"typed": typed, "problem": CertificateCodeMistyped.default_message},
            status=400,
        )
    return redirect("certificate-verify", certificate_code=code_display(code))


@require_GET
def verify(request: HttpRequest, certificate_code: str) -> HttpResponse:
    try:
        found = certificate_find(request=request, code=certificate_code)
    except TooManyCertificateCodes as refused:
        response = render(
            request,
            "frontend/certificate_check.html",
            {"typed": certificate_code[:MAX_TYPED], "problem": refused.message, "retry_after": refused.retry_after},
            status=429,
        )
        response["Retry-After"] = str(refused.retry_after)
        return response
    except (CertificateNotFound, CertificateCodeMistyped) as refused:
        return render(
            request,
            "frontend/certificate_check.html",
            {"typed": certificate_code[:MAX_TYPED], "problem": refused.message, "unknown": True},
            status=404,
        )
    return render(request, "frontend/certificate_verify.html", {"check": found, "key": verifier()})


@login_required
@require_POST
def name_choice_save(request: HttpRequest) -> HttpResponse:
    certificate_name_show(user=request.user, shown="certificate_shows_name" in request.POST)
    messages.success(request, _("Your choice for your certificates is saved."))
    return redirect("profile")
