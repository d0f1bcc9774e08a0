"""The certificates issued: one row each, written once and never edited (a trigger refuses UPDATE).

A row, not a fact in the ledger: a certificate prints the volunteer's name, and the ledger holds no
personal data, so that erasing a person never touches it (DESIGN.md). What a certificate certifies is
already in the ledger (the check-ins and the hours rule); the row only fixes one reading of it, with
the name, under a code and a signature. It goes with the account (CASCADE): once the person is
erased, the code names nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Certificate(models.Model):
    code = models.CharField(_("verification code"), primary_key=True, max_length=10)  # certificates.codes
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates", verbose_name=_("volunteer")
    )
    # SHA-256 of what it certifies (certificates.document.certified_digest): the same content is the
    # same certificate, a new content a new one.
    certified = models.CharField(max_length=64)
    content = models.JSONField(_("content"))
    signature = models.CharField(_("signature"), max_length=88)  # base64 of 64 bytes
    key_name = models.CharField(max_length=100)
    key_id = models.CharField(max_length=8)
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "certified"], name="certificates_one_per_content"),
        ]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.code
