"""The log's API: checkpoints, proofs and the verifier key, public, in the one error format.

The same checkpoints are served for log tooling at `/log/checkpoint` (text/plain, the latest) and
the tree's tiles at `/log/tile/…` (C2SP tlog-tiles; transparency/views.py).
"""

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import generics, permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.openapi import error, errors
from transparency import selectors
from transparency.api.serializers import (
    CheckpointSerializer,
    ConsistencyProofSerializer,
    ConsistencyQuerySerializer,
    InclusionProofSerializer,
    InclusionQuerySerializer,
    VerifierKeySerializer,
)

HOW = (
    "Every public fact is a leaf of an append-only Merkle tree (RFC 9162) in the order of the fact feed "
    "(`/api/v1/facts/`, where each fact shows its `leaf_index`); the leaf data is the fact as the feed serves "
    "it, without `leaf_index`, in canonical JSON (RFC 8785). A checkpoint is the tree's size and root, "
    "signed with the log's Ed25519 key (C2SP tlog-checkpoint); one is published whenever the tree grew, "
    "every few minutes at most, and kept for ever."
)
_ROOT = "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg="
_CHECKPOINT = {
    "origin": "taza.local/log",
    "size": 8,
    "root": _ROOT,
    "note": "taza.local/log\n8\n" + _ROOT + "\n\n— taza.local/log 9Jj9+k2v…\n",
    "published_at": "2026-04-25T10:05:00+05:00",
}
NO_CHECKPOINT = error("no_checkpoint", "No checkpoint has been published yet.")
UNKNOWN_CHECKPOINT = error(
    "unknown_checkpoint", "No checkpoint has this tree size.", {"tree_size": ["No checkpoint has tree size 7."]}
)


class _Public:
    permission_classes = [permissions.AllowAny]


@extend_schema(
    tags=["log"],
    summary="The signed checkpoints of the transparency log, newest first",
    description=HOW,
    examples=[OpenApiExample("A checkpoint", value=_CHECKPOINT, response_only=True)],
)
class CheckpointListView(_Public, generics.ListAPIView):
    serializer_class = CheckpointSerializer

    def get_queryset(self):
        return selectors.checkpoints()


@extend_schema(
    tags=["log"],
    summary="The latest checkpoint (the same note as text/plain at /log/checkpoint)",
    description=HOW,
    responses={200: CheckpointSerializer, 404: errors("No checkpoint has been published yet.", NO_CHECKPOINT)},
    examples=[OpenApiExample("The latest checkpoint", value=_CHECKPOINT, response_only=True)],
)
class LatestCheckpointView(_Public, APIView):
    def get(self, request: Request) -> Response:
        return Response(CheckpointSerializer(selectors.latest_checkpoint()).data)


@extend_schema(
    tags=["log"],
    summary="A past checkpoint, by its tree size",
    responses={
        200: CheckpointSerializer,
        404: errors(
            "No checkpoint has this tree size.",
            error(
                "unknown_checkpoint", "No checkpoint has this tree size.", {"size": ["No checkpoint has tree size 7."]}
            ),
        ),
    },
    parameters=[OpenApiParameter("size", int, OpenApiParameter.PATH, description="A tree size.")],
    examples=[OpenApiExample("A checkpoint", value=_CHECKPOINT, response_only=True)],
)
class CheckpointView(_Public, APIView):
    def get(self, request: Request, size: int) -> Response:
        return Response(CheckpointSerializer(selectors.checkpoint_at(size, "size")).data)


@extend_schema(
    tags=["log"],
    summary="Proof that a fact is in the tree of a checkpoint (RFC 9162 inclusion proof)",
    description=(
        "By `leaf_index` or by `fact_id`, in the tree of the checkpoint of `tree_size` (the latest if absent). "
        "Check it without trusting the platform: hash the fact as the feed serves it (without `leaf_index`, "
        "canonical JSON, SHA-256 of 0x00 and the bytes), compare with `leaf_hash`, and run RFC 9162 §2.1.3.2 "
        "with `proof` up to the checkpoint's signed root."
    ),
    parameters=[InclusionQuerySerializer],
    responses={
        200: InclusionProofSerializer,
        400: errors(
            "A parameter is not valid, or the leaf is not in a tree that small.",
            error(
                "validation_error",
                "The request is not valid.",
                {"leaf_index": ["Give leaf_index or fact_id, one of them."]},
            ),
            error(
                "leaf_not_in_tree",
                "The leaf is not in the tree of this size.",
                {"leaf_index": ["Leaf 9 is not in the tree of 8 leaves."]},
            ),
        ),
        404: errors(
            "No checkpoint of this tree size (or none yet), or no leaf holds the fact.",
            UNKNOWN_CHECKPOINT,
            NO_CHECKPOINT,
            error("unknown_leaf", "No leaf holds this fact: it is withheld, unknown, or not in the log yet."),
        ),
    },
    examples=[
        OpenApiExample(
            "Leaf 0 of 8",
            value={
                "leaf_index": 0,
                "tree_size": 8,
                "leaf_hash": "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=",
                "root": _ROOT,
                "proof": [
                    "lqKW0iTyhcZ77pPDD4owkVfw2qNdxbh+QQt4YwoJz8c=",
                    "Xwg/ChozygdqlSeYMlgNs+DvRYS9/x9UyKNg9Q3jAx4=",
                    "a0eq8p7jwq+a+Im8H7klTavTEXfxYjLdaqsDXKOb9uQ=",
                ],
            },
            response_only=True,
        )
    ],
)
class InclusionProofView(_Public, APIView):
    def get(self, request: Request) -> Response:
        query = InclusionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        proof = selectors.inclusion(
            tree_size=params.get("tree_size"), leaf_index=params.get("leaf_index"), fact_id=params.get("fact_id")
        )
        return Response(InclusionProofSerializer(proof).data)


@extend_schema(
    tags=["log"],
    summary="Proof that an earlier checkpoint's tree is a prefix of a later one's (RFC 9162 consistency proof)",
    description=(
        "Both sizes must be those of published checkpoints (`second` absent: the latest). A witness or an "
        "auditor that kept an earlier checkpoint checks with RFC 9162 §2.1.4.2 that nothing in it was changed, "
        "removed or reordered since."
    ),
    parameters=[ConsistencyQuerySerializer],
    responses={
        200: ConsistencyProofSerializer,
        400: errors(
            "A parameter is not valid, or the first size is larger than the second.",
            error(
                "validation_error",
                "The request is not valid.",
                {"first": ["Ensure this value is greater than or equal to 1."]},
            ),
            error(
                "sizes_out_of_order",
                "The first tree size must not be larger than the second.",
                {"first": ["The first tree size must not be larger than the second."]},
            ),
        ),
        404: errors(
            "No checkpoint of one of these tree sizes (or none yet).",
            error(
                "unknown_checkpoint", "No checkpoint has this tree size.", {"first": ["No checkpoint has tree size 7."]}
            ),
            NO_CHECKPOINT,
        ),
    },
    examples=[
        OpenApiExample(
            "From 6 leaves to 8",
            value={
                "first": 6,
                "second": 8,
                "first_root": "duZ9rbzfHhDht03cYIq9L5jfsW+851J3tSMqEn8gh+8=",
                "second_root": _ROOT,
                "proof": [
                    "DrxdNDf74tsVi58Sah0RjjCBgQMdCpSfje3t68VY72o=",
                    "yoVOoSjtBQtBs1/8G4e46yveRh6eO1WW7Oa51ZdaCuA=",
                    "037kGJdt2VdTwcc4Yrk5j6Kiz5tP8P3+izDNlSCWFLc=",
                ],
            },
            response_only=True,
        )
    ],
)
class ConsistencyProofView(_Public, APIView):
    def get(self, request: Request) -> Response:
        query = ConsistencyQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        proof = selectors.consistency(first=params["first"], second=params.get("second"))
        return Response(ConsistencyProofSerializer(proof).data)


@extend_schema(
    tags=["log"],
    summary="The log's verifier key: what checks every checkpoint's signature",
    description="Configure it once in a witness or auditor; a checkpoint signed by any other key is not this log's.",
    examples=[
        OpenApiExample(
            "The key",
            value={
                "origin": "taza.local/log",
                "name": "taza.local/log",
                "key_id": "530d903a",
                "vkey": "taza.local/log+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
            },
            response_only=True,
        )
    ],
)
class VerifierKeyView(_Public, APIView):
    serializer_class = VerifierKeySerializer

    def get(self, request: Request) -> Response:
        return Response(VerifierKeySerializer(selectors.verifier_key()).data)
