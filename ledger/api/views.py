from django.utils import translation
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.openapi import error, errors
from ledger.api.serializers import FactFeedPageSerializer, FactFeedQuerySerializer
from ledger.selectors import PUBLIC_META, fact_feed, published_types

_EXAMPLE_FACT = {
    "position": 1041,
    "fact_id": "6f1c2f9e-3f0b-4a53-9d0a-0f4b1f1b2c11",
    "stream": "event-2b7e1d7c-6c57-4d5e-9d7e-3c7a4f1e9b10",
    "version": 7,
    "type": "VolunteerCheckedIn",
    "schema_version": 1,
    "data": {
        "event_id": "2b7e1d7c-6c57-4d5e-9d7e-3c7a4f1e9b10",
        "volunteer_pseudonym": "3f9a0c6e1b2d4e5f8a7b6c5d4e3f2a1b",
        "method": "qr",
        "age_band": "14_35",
        "checked_in_at": "2026-04-25T10:02:11+05:00",
    },
    "meta": {"source": "web"},
    "occurred_at": "2026-04-25T10:02:11+05:00",
    "recorded_at": "2026-04-25T05:02:11.482913Z",
    "leaf_index": 1017,
}


def _published() -> str:
    """What the feed publishes of each fact type, from the declared public forms (ledger/public.py),
    so the description cannot drift from the data."""
    lines = []
    with translation.override("en"):
        for published in published_types():
            fields = ", ".join(f"`{field}`" for field in published.fields)
            shown = f"{fields} ({published.when})" if fields else f"never published: {published.when}"
            lines.append(f"- `{published.type}`: {shown}")
    return "\n".join(lines)


@extend_schema(
    tags=["facts"],
    summary="The public feed of facts: everything that happened, in ledger order, in its public form",
    description=(
        "Every change on the platform is a fact; every public figure can be recounted from them. "
        "Read the feed in pages with `after` (`next_after` of the previous page: the last position "
        "read) and keep polling with it to mirror the ledger. Facts come in ledger order, the order "
        "the platform's own projections read: a fact whose transaction commits late appears after "
        "the facts already served, never before them, so a mirror reading this way misses none "
        "(positions are unique, but need not increase).\n\n"
        "Each fact is shown in its *public form*: no personal data, no secrets (event codes), "
        "nothing about events that are not approved, and not who entered it. Of the envelope: "
        "`position`, `fact_id`, `stream`, `version`, `type`, `schema_version`, `occurred_at`, "
        f"`recorded_at` and of `meta` only {', '.join(f'`{key}`' for key in PUBLIC_META)}. A volunteer "
        "appears only as `volunteer_pseudonym`: the same within one event, unrelated across events, "
        "so people can be told apart in an event's recount and no two events of one person can be "
        "linked. An event's facts are public from its approval on; `EventApproved` carries the event "
        "as approved, and what came before it is never shown, so a fact once served keeps its place "
        "and its content for ever. Withheld facts leave gaps in the positions. `data` per type:\n\n"
        f"{_published()}"
    ),
    parameters=[FactFeedQuerySerializer],
    responses={
        200: FactFeedPageSerializer,
        400: errors(
            "A query parameter is not valid, or `after`/`until` is not a position of the ledger.",
            error("unknown_position", "No fact has this position.", {"after": ["No fact has position 99999999."]}),
        ),
    },
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
        page = fact_feed(
            after=params["after"],
            until=params.get("until"),
            limit=params["limit"],
            stream=params.get("stream"),
            type_name=params.get("type"),
        )
        next_url = None
        if page.more:
            following = request.query_params.copy()
            following["after"] = str(page.next_after)
            next_url = request.build_absolute_uri(f"{request.path}?{following.urlencode()}")
        page = {"results": page.facts, "next_after": page.next_after, "next": next_url}
        return Response(FactFeedPageSerializer(page).data)
