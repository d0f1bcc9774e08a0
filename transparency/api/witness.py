"""Witnesses hand in their cosignatures here (public: the signature is the credential)."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.openapi import error, errors
from config.strict import StrictInput, described
from transparency.api.serializers import MAX_SIZE
from transparency.cosignatures import cosignature_record

_LINE = (
    "— witness.example.kz/w1 "
    "jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA=="
)


class CosignatureInput(StrictInput, serializers.Serializer):
    tree_size = serializers.IntegerField(min_value=0, max_value=MAX_SIZE, help_text="The checkpoint cosigned.")
    cosignature = described(
        serializers.CharField(
            max_length=400,
            trim_whitespace=False,
            help_text="The signature line (C2SP tlog-cosignature v1): `— <witness name> base64(key ID || timestamp "
            "|| Ed25519 signature)`, signed over `cosignature/v1`, `time <timestamp>` and the checkpoint's text.",
        ),
        {"type": "string", "maxLength": 400, "pattern": "^\u2014 [^\\s+]+ [A-Za-z0-9+/]+={0,2}$"},
    )


class CosignatureSerializer(serializers.Serializer):
    tree_size = serializers.IntegerField(source="size")
    witness = serializers.CharField(help_text="The witness's verifier key, name+keyid+key.")
    timestamp = serializers.IntegerField(help_text="When the witness cosigned, seconds since the epoch.")
    cosignature = serializers.CharField(source="line")
    received_at = serializers.DateTimeField()


@extend_schema(
    tags=["log"],
    summary="Hand in a witness's cosignature of a checkpoint",
    description=(
        "Only witnesses the operator lists are taken, and only a cosignature that verifies on the checkpoint "
        "of `tree_size`. Kept for ever, one per witness and checkpoint, and served after the log's signature in "
        "the checkpoint's `note`. 201: kept now; 200: this witness had cosigned this checkpoint, its first "
        "cosignature is answered."
    ),
    request=CosignatureInput,
    responses={
        200: CosignatureSerializer,
        201: CosignatureSerializer,
        400: errors(
            "Not a valid body, or a cosignature that does not verify on that checkpoint.",
            error("validation_error", "The request is not valid.", {"tree_size": ["This field is required."]}),
            error(
                "cosignature_invalid",
                "The cosignature does not verify on this checkpoint.",
                {"cosignature": ["The cosignature does not verify on this checkpoint."]},
            ),
        ),
        403: errors(
            "The key is not a listed witness's.",
            error("unknown_witness", "This key is not one of the witnesses the platform lists."),
        ),
        404: errors(
            "No checkpoint has this tree size.",
            error(
                "unknown_checkpoint",
                "No checkpoint has this tree size.",
                {"tree_size": ["No checkpoint has tree size 7."]},
            ),
        ),
    },
    examples=[
        OpenApiExample("A cosignature", value={"tree_size": 8, "cosignature": _LINE}, request_only=True),
    ],
)
class CosignatureView(APIView):
    authentication_classes: list = []  # no session, no CSRF: anyone may send, only listed keys are kept
    permission_classes = [permissions.AllowAny]

    def post(self, request: Request) -> Response:
        body = CosignatureInput(data=request.data)
        body.is_valid(raise_exception=True)
        cosignature, created = cosignature_record(
            tree_size=body.validated_data["tree_size"], line=body.validated_data["cosignature"]
        )
        return Response(
            CosignatureSerializer(cosignature).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )
