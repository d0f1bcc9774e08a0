"""Every API error has one shape, {"error": {"code", "message", "fields"}}, with a stable code.

The stories use the regions endpoint where it can show the case, and small views defined here
(routed by this module's `urlpatterns`) for the errors a real endpoint raises from deeper down.
"""

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import path
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from config.errors import Conflict, DomainError, Forbidden, NotFound
from reference.models import Region

pytestmark = pytest.mark.django_db


# --- Test-only views -----------------------------------------------------------------------------


class PlaceSerializer(serializers.Serializer):
    latitude = serializers.FloatField(min_value=40, max_value=56)
    longitude = serializers.FloatField(min_value=46, max_value=88)


class EventInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=20)
    capacity = serializers.IntegerField(min_value=1)
    place = PlaceSerializer()


class EventCreateView(APIView):
    permission_classes = [permissions.AllowAny]

    def post(self, request):
        serializer = EventInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data, status=201)


class MembersOnlyView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def get(self, request):
        return Response({"ok": True})


class EventFull(DomainError):
    code = "event_full"
    status_code = 409
    default_message = "The event is full."


# Built inside the request, as a service would: default messages follow the request's language.
RAISED = {
    "event-full": lambda: EventFull(fields={"capacity": ["All 30 places are taken."]}),
    "conflict": lambda: Conflict("The campaign is already closed."),
    "not-found": lambda: NotFound(),
    "forbidden": lambda: Forbidden(),
    "model-validation": lambda: DjangoValidationError({"ends_at": ["The event must end after it starts."]}),
    "plain-validation": lambda: DjangoValidationError("Results can no longer be changed."),
    "http404": lambda: Http404("No Event matches the given query."),
    "django-permission-denied": lambda: DjangoPermissionDenied(),
}


class RaisingView(APIView):
    """Stands for a view whose service or selector raised."""

    permission_classes = [permissions.AllowAny]

    def get(self, request, case):
        raise RAISED[case]()


urlpatterns = [
    path("events/", EventCreateView.as_view()),
    path("members-only/", MembersOnlyView.as_view()),
    path("raise/<str:case>/", RaisingView.as_view()),
]

uses_test_views = pytest.mark.urls(__name__)


# --- Stories --------------------------------------------------------------------------------------


@uses_test_views
def test_validation_error_lists_every_field_dotted_for_nesting(api_client):
    # Given a body with a too-long title, no capacity and a place outside Kazakhstan
    body = {"title": "x" * 21, "place": {"latitude": 10, "longitude": 71.4}}

    # When it is posted
    response = api_client.post("/events/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")

    # Then one 400 names each bad field with its messages
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "validation_error",
            "message": "Some fields are not valid.",
            "fields": {
                "title": ["Ensure this field has no more than 20 characters."],
                "capacity": ["This field is required."],
                "place.latitude": ["Ensure this value is greater than or equal to 40."],
            },
        }
    }


@uses_test_views
def test_malformed_json_is_a_parse_error(api_client):
    response = api_client.post("/events/", data="{not json", content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "parse_error"
    assert error["message"].startswith("JSON parse error")
    assert error["fields"] == {}


def test_method_not_allowed_on_the_regions_endpoint(api_client):
    # Given the read-only regions list
    regions_before = list(Region.objects.values_list("code", flat=True))

    # When a client tries to create a region
    response = api_client.post("/api/v1/regions/", {"code": "KZ-99"}, format="json", HTTP_ACCEPT_LANGUAGE="en")

    # Then 405 with the stable code, and the regions are untouched
    assert response.status_code == 405
    assert response.json() == {
        "error": {"code": "method_not_allowed", "message": 'Method "POST" not allowed.', "fields": {}}
    }
    assert list(Region.objects.values_list("code", flat=True)) == regions_before
    assert len(regions_before) == 20


def test_the_code_stays_the_same_in_every_language(api_client):
    # Given the same bad request in Kazakh, Russian and English
    answers = {
        language: api_client.post("/api/v1/regions/", {}, HTTP_ACCEPT_LANGUAGE=language).json()["error"]
        for language in ("kk", "ru", "en")
    }

    # Then the code is stable and only the message is translated
    assert {error["code"] for error in answers.values()} == {"method_not_allowed"}
    assert answers["ru"]["message"] == 'Метод "POST" не разрешен.'
    assert answers["en"]["message"] == 'Method "POST" not allowed.'


@uses_test_views
def test_anonymous_request_to_a_members_only_endpoint(api_client):
    response = api_client.get("/members-only/", HTTP_ACCEPT_LANGUAGE="en")

    # 401 with the challenge of token authentication, the first in the settings
    assert (response.status_code, response.headers["WWW-Authenticate"]) == (401, "Token")
    assert response.json() == {
        "error": {"code": "not_authenticated", "message": "Authentication credentials were not provided.", "fields": {}}
    }


@uses_test_views
def test_unknown_token_is_rejected(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")

    response = api_client.get("/members-only/", HTTP_ACCEPT_LANGUAGE="en")

    assert (response.status_code, response.headers["WWW-Authenticate"]) == (401, "Token")
    assert response.json() == {"error": {"code": "authentication_failed", "message": "Invalid token.", "fields": {}}}


@uses_test_views
@pytest.mark.parametrize(
    ("case", "status", "expected"),
    [
        (
            "event-full",
            409,
            {
                "code": "event_full",
                "message": "The event is full.",
                "fields": {"capacity": ["All 30 places are taken."]},
            },
        ),
        ("conflict", 409, {"code": "conflict", "message": "The campaign is already closed.", "fields": {}}),
        ("not-found", 404, {"code": "not_found", "message": "Not found.", "fields": {}}),
        ("forbidden", 403, {"code": "permission_denied", "message": "You may not do this.", "fields": {}}),
        (
            "model-validation",
            400,
            {
                "code": "validation_error",
                "message": "Some fields are not valid.",
                "fields": {"ends_at": ["The event must end after it starts."]},
            },
        ),
        (
            "plain-validation",
            400,
            {
                "code": "validation_error",
                "message": "Some fields are not valid.",
                "fields": {"non_field_errors": ["Results can no longer be changed."]},
            },
        ),
        # Django's 404 text can name models and queries: the API says only "Not found."
        ("http404", 404, {"code": "not_found", "message": "Not found.", "fields": {}}),
        (
            "django-permission-denied",
            403,
            {
                "code": "permission_denied",
                "message": "You do not have permission to perform this action.",
                "fields": {},
            },
        ),
    ],
)
def test_errors_raised_below_the_view(api_client, case, status, expected):
    # Given a service or selector that raised
    # When the view lets the error through
    response = api_client.get(f"/raise/{case}/", HTTP_ACCEPT_LANGUAGE="en")

    # Then the exception handler renders it in the one format, with the error's own status and code
    assert response.status_code == status
    assert response.json() == {"error": expected}
