from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ledger.api.serializers import FactFeedPageSerializer, FactFeedQuerySerializer
from ledger.selectors import fact_feed

_EXAMPLE_FACT = {
    "position": 1041,
    "fact_id": "6f1c2f9e-3f0b-4a53-9d0a-0f4b1f1b2c11",
    "stream": "event-2b7e1d7c-6c57-4d5e-9d7e-3c7a4f1e9b10",
    "version": 7,
    "type": "VolunteerCheckedIn",
    "schema_version": 1,
    "data": {
        "event_id": "2b7e1d7c-6c57-4d5e-9d7e-3c7a4f1e9b10",
        "volunteer_id": "8d7f0a3e-4c1b-4f7e-a2d9-5e6b7c8d9e0f",
        "method": "qr",
    },
    "meta": {"source": "web", "correlation_id": "c3b1f9d2-1a2b-4c3d-8e9f-0a1b2c3d4e5f", "causation_id": None},
    "occurred_at": "2026-04-25T10:02:11+05:00",
    "recorded_at": "2026-04-25T05:02:11.482913Z",
}


@extend_schema(
    tags=["facts"],
    summary="The public feed of facts: everything that happened, in ledger order",
    description=(
        "Every change on the platform is a fact; every public figure can be recounted from them. "
        "Read the feed in pages with `after` (the position of the last fact you have, `next_after` "
        "of the previous page) and keep polling with it to mirror the ledger. Facts come in ledger "
        "order, the order the platform's own projections read: a fact whose transaction commits "
        "late appears after the facts already served, never before them, so a mirror reading this "
        "way misses none (positions are unique, but need not increase). Volunteers appear only by "
        "their opaque ids; who entered a fact is not shown."
    ),
    parameters=[FactFeedQuerySerializer],
    responses=FactFeedPageSerializer,
    examples=[
        OpenApiExample(
            "A page of one fact",
            value={"results": [_EXAMPLE_FACT], "next_after": 1041, "next": None},
            response_only=True,
        )
    ],
)
class FactFeedView(APIView):
    permission_classes = [permissions.AllowAny]

    def get(self, request: Request) -> Response:
        query = FactFeedQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        facts = fact_feed(
            after=params["after"],
            until=params.get("until"),
            limit=params["limit"],
            stream=params.get("stream"),
            type_name=params.get("type"),
        )
        next_after = facts[-1].position if facts else params["after"]
        full = len(facts) == params["limit"]
        next_url = None
        if full:
            following = request.query_params.copy()
            following["after"] = str(next_after)
            next_url = request.build_absolute_uri(f"{request.path}?{following.urlencode()}")
        page = {"results": facts, "next_after": next_after, "next": next_url}
        return Response(FactFeedPageSerializer(page).data)
