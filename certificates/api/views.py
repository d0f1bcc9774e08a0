"""The public check of a certificate's code, for programs: what the verification page says, as JSON."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from certificates.api.serializers import CertificateCheckSerializer
from certificates.selectors import certificate_find
from config.openapi import error, errors

CODE_PATTERN = r"[0-9A-Za-z-]{1,16}"
CODE = OpenApiParameter(
    "code",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    pattern=f"^{CODE_PATTERN}$",
    description="The verification code as printed (XXXXX-XXXXX); case and the hyphen do not matter.",
)


class CertificateView(APIView):
    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        tags=["certificates"],
        operation_id="certificate_check",
        summary="Check a volunteer's certificate by its verification code",
        description=(
            "Whether the certificate is authentic, and what it certifies: the events with their dates and hours, "
            "the hours in all, the period. The name only if the volunteer chose to show it. Codes that name no "
            "certificate are limited per client address; past the limit every look-up answers 429 for a while. "
            "The signed document (to check offline with `manage.py verify_certificate`) is the volunteer's to give."
        ),
        parameters=[CODE],
        responses={
            200: CertificateCheckSerializer,
            404: errors(
                "No certificate has this code, or the code is mistyped (its check character is wrong).",
                error("certificate_not_found", "No certificate has this code."),
                error(
                    "certificate_code_mistyped",
                    "This code is mistyped: a code is ten letters and digits, check each one and type it again.",
                ),
                error("not_found", "Not found."),
            ),
            429: errors(
                "Too many codes naming no certificate from this address; `Retry-After` says when to try again.",
                error(
                    "too_many_certificate_codes",
                    "Too many codes that name no certificate were tried from here. Wait a little, then try again.",
                ),
            ),
        },
    )
    def get(self, request: Request, code: str) -> Response:
        return Response(CertificateCheckSerializer(certificate_find(request=request, code=code)).data)
