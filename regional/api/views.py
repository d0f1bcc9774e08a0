"""`/api/v1/regional/`: the regional view's instances, their verified figures and the regional totals."""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.openapi import error, errors
from regional.api.serializers import RegionalQuery, RegionalSerializer
from regional.selectors import regional_overview


@extend_schema(
    tags=["regional"],
    summary="The regional view: each national instance's verified figures, and their sum",
    description=(
        "A regional view mirrors the public logs of several national instances (TAZA_REGIONAL_INSTANCES), "
        "verifies every batch against the instance's signed checkpoint and a consistency proof from the last "
        "one verified, and recounts each instance's figures from its mirrored public facts. Each instance says "
        "its status, lag and last verified checkpoint; the totals are the sum of the instances' last verified "
        "figures; the leaderboard ranks the countries by a metric per 1 000 residents."
    ),
    parameters=[RegionalQuery],
    responses={
        200: RegionalSerializer,
        400: errors(
            "A parameter is not valid.",
            error("validation_error", "The request is not valid.", {"metric": ['"seeds" is not a valid choice.']}),
        ),
    },
)
class RegionalView(APIView):
    permission_classes = [permissions.AllowAny]

    def get(self, request: Request) -> Response:
        query = RegionalQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(RegionalSerializer(regional_overview(metric=query.validated_data["metric"])).data)
