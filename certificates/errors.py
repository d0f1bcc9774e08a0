"""The refusals of a certificate look-up, in the one error contract (config/errors.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import status

from config.errors import DomainError


class CertificateCodeMistyped(DomainError):
    code = "certificate_code_mistyped"
    status_code = status.HTTP_404_NOT_FOUND
    default_message = _("This code is mistyped: a code is ten letters and digits, check each one and type it again.")


class CertificateNotFound(DomainError):
    code = "certificate_not_found"
    status_code = status.HTTP_404_NOT_FOUND
    default_message = _("No certificate has this code.")


class TooManyCertificateCodes(DomainError):
    code = "too_many_certificate_codes"
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_message = _("Too many codes that name no certificate were tried from here. Wait a little, then try again.")

    def __init__(self, *, retry_after: int):
        super().__init__()
        self.retry_after = retry_after
        self.headers["Retry-After"] = str(retry_after)
