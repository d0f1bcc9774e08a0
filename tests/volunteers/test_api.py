"""Token sign-in for API clients and /api/v1/me/."""

import pytest
from rest_framework.authtoken.models import Token

from reference.models import Region
from tests.volunteers.factories import PASSWORD, user_create
from volunteers.roles import Role
from volunteers.services import role_grant

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"


def test_a_verified_account_gets_a_token_and_the_same_one_again(api_client):
    user = user_create(email="dana@example.kz")

    first = api_client.post(TOKEN_URL, {"email": "Dana@example.kz", "password": PASSWORD}, format="json")
    second = api_client.post(TOKEN_URL, {"email": "dana@example.kz", "password": PASSWORD}, format="json")

    assert first.status_code == 200
    assert first.json() == {"token": Token.objects.get(user=user).key}
    assert second.json() == first.json()


def test_a_wrong_password_gets_no_token(api_client):
    user_create(email="dana@example.kz")

    response = api_client.post(
        TOKEN_URL, {"email": "dana@example.kz", "password": "wrong"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid_credentials",
            "message": "The email address and/or password are not correct.",
            "fields": {},
        }
    }
    assert not Token.objects.exists()


def test_an_unknown_email_gets_the_same_answer_as_a_wrong_password(api_client):
    response = api_client.post(TOKEN_URL, {"email": "nobody@example.kz", "password": PASSWORD}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_credentials"


def test_an_unverified_account_gets_no_token_and_is_told_why_in_its_language(api_client):
    user_create(email="dana@example.kz", verified=False)

    response = api_client.post(
        TOKEN_URL, {"email": "dana@example.kz", "password": PASSWORD}, format="json", HTTP_ACCEPT_LANGUAGE="ru"
    )

    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "email_not_verified",
        "message": "Сначала подтвердите адрес электронной почты: перейдите по ссылке из нашего письма.",
        "fields": {},
    }
    assert not Token.objects.exists()


def test_missing_fields_are_named_in_the_error(api_client):
    response = api_client.post(TOKEN_URL, {"email": "not-an-email"}, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "validation_error",
            "message": "Some fields are not valid.",
            "fields": {"email": ["Enter a valid email address."], "password": ["This field is required."]},
        }
    }


def test_repeated_failures_are_limited_like_browser_sign_in(api_client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "2/m/key"}
    user_create(email="dana@example.kz")
    wrong = {"email": "dana@example.kz", "password": "wrong"}

    codes = [api_client.post(TOKEN_URL, wrong, format="json").status_code for _ in range(3)]
    right = api_client.post(TOKEN_URL, {"email": "dana@example.kz", "password": PASSWORD}, format="json")

    assert codes == [400, 400, 429]
    assert right.status_code == 429
    assert right.json()["error"]["code"] == "too_many_attempts"


def test_me_shows_the_callers_profile_and_roles_to_a_token(api_client):
    user = user_create(email="coord@example.kz", display_name="Yerlan")
    user.region = Region.objects.get(code="KZ-11")
    user.save()
    role_grant(user=user, role=Role.COORDINATOR, region=Region.objects.get(code="KZ-10"))
    token = Token.objects.create(user=user)

    response = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 200
    assert response.json() == {
        "volunteer_id": str(user.volunteer_id),
        "email": "coord@example.kz",
        "display_name": "Yerlan",
        "region": "KZ-11",
        "organisation": None,
        "coordinator_region": "KZ-10",
        "language": "",
        "show_on_leaderboards": False,
        "roles": ["volunteer", "coordinator"],
    }


def test_me_works_with_the_browser_session(client):
    client.force_login(user_create(email="dana@example.kz"))

    response = client.get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json()["roles"] == ["volunteer"]


def test_me_without_credentials_is_refused_in_the_error_format(api_client):
    response = api_client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")

    assert (response.status_code, response.headers["WWW-Authenticate"]) == (401, "Token")
    assert response.json() == {
        "error": {
            "code": "not_authenticated",
            "message": "Authentication credentials were not provided.",
            "fields": {},
        }
    }


def test_a_bad_token_is_refused(api_client):
    response = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token 0000", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 401
    assert response.json()["error"] == {"code": "authentication_failed", "message": "Invalid token.", "fields": {}}
