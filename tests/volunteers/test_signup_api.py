"""Signing up and confirming the email address through the API (allauth's headless API underneath)."""

import re
from urllib.parse import urlparse

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.core import mail
from rest_framework.authtoken.models import Token

from outbox.models import Message
from tests.volunteers.factories import PASSWORD, user_create
from volunteers.models import User

pytestmark = pytest.mark.django_db

SIGNUP_URL = "/api/v1/auth/signup/"
VERIFY_URL = "/api/v1/auth/email/verify/"
TOKEN_URL = "/api/v1/auth/token/"
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def body(**changes) -> dict:
    return {"email": "Asel@Example.kz", "password": PASSWORD, "display_name": "Asel", "region": "KZ-10", **changes}


def key_in(message: mail.EmailMessage) -> str:
    """The key of the confirmation link, the only link in the email."""
    (url,) = re.findall(r"https?://\S+", message.body)
    path = urlparse(url).path
    assert path.startswith("/accounts/confirm-email/")
    return path.removeprefix("/accounts/confirm-email/").strip("/")


def test_sign_up_verify_and_get_a_token_all_through_the_api(api_client, django_capture_on_commit_callbacks):
    # When a person signs up through the API, in Russian
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(SIGNUP_URL, body(language="ru"), format="json", **ENGLISH)

    # then the API says an email is on its way, and the account is a volunteer's with the profile given
    assert response.status_code == 202
    assert response.json() == {"email": "asel@example.kz", "verification_sent": True}
    user = User.objects.get(email="asel@example.kz")
    assert (user.display_name, user.region_id, user.language) == ("Asel", "KZ-10", "ru")
    assert list(user.groups.values_list("name", flat=True)) == ["volunteer"]
    assert EmailAddress.objects.filter(user=user, verified=False).count() == 1
    # and the email went through the outbox, in the account's language, sent once the sign-up committed
    (sent,) = Message.objects.all()
    assert (sent.kind, sent.status, sent.to, sent.volunteer_id) == (
        "rendered",
        "sent",
        "asel@example.kz",
        user.volunteer_id,
    )
    (message,) = mail.outbox
    assert message.to == ["asel@example.kz"]
    assert message.subject == "[Taza] Подтвердите адрес электронной почты"
    # and the API answer set no cookie: no session was opened for the caller
    assert response.cookies == {}

    # A token is refused until the address is confirmed
    refused = api_client.post(TOKEN_URL, {"email": "asel@example.kz", "password": PASSWORD}, format="json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "email_not_verified"

    # When the app posts the key from the link
    confirmed = api_client.post(VERIFY_URL, {"key": key_in(message)}, format="json", **ENGLISH)

    # then the address is confirmed, and the account gets its token
    assert confirmed.status_code == 200
    assert confirmed.json() == {"email": "asel@example.kz", "verified": True}
    assert EmailAddress.objects.get(user=user).verified is True
    token = api_client.post(TOKEN_URL, {"email": "asel@example.kz", "password": PASSWORD}, format="json")
    assert token.status_code == 200
    assert token.json() == {"token": Token.objects.get(user=user).key}

    # and the key is spent: a second try is refused, and the address stays confirmed
    again = api_client.post(VERIFY_URL, {"key": key_in(message)}, format="json", **ENGLISH)
    assert (again.status_code, again.json()["error"]["code"]) == (400, "invalid_or_expired_key")
    assert EmailAddress.objects.get(user=user).verified is True


def test_without_a_language_the_account_takes_the_requests(api_client):
    response = api_client.post(SIGNUP_URL, body(region=None), format="json", HTTP_ACCEPT_LANGUAGE="kk")

    assert response.status_code == 202
    user = User.objects.get(email="asel@example.kz")
    assert (user.display_name, user.region_id, user.language) == ("Asel", None, "kk")


def test_the_link_in_the_email_also_confirms_the_address_in_a_browser(
    api_client, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        api_client.post(SIGNUP_URL, body(), format="json", **ENGLISH)
    (message,) = mail.outbox

    page = client.post(f"/accounts/confirm-email/{key_in(message)}/", **ENGLISH)

    assert page.status_code == 302
    assert EmailAddress.objects.get(email="asel@example.kz").verified is True


def test_bad_input_is_refused_field_by_field_and_makes_no_account(api_client):
    response = api_client.post(
        SIGNUP_URL,
        {"email": "not-an-email", "password": "", "display_name": "x" * 101, "region": "KZ-99", "language": "de"},
        format="json",
        **ENGLISH,
    )

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "validation_error",
            "message": "Some fields are not valid.",
            "fields": {
                "email": ["Enter a valid email address."],
                "password": ["This field may not be blank."],
                "display_name": ["Ensure this field has no more than 100 characters."],
                "region": ['"KZ-99" is not a valid choice.'],
                "language": ['"de" is not a valid choice.'],
            },
        }
    }
    assert not User.objects.exists()
    assert mail.outbox == []


def test_allauths_own_rules_answer_in_the_apis_error_shape(api_client):
    # A password allauth's validators refuse
    response = api_client.post(SIGNUP_URL, body(password="12345678"), format="json", **ENGLISH)

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "validation_error",
            "message": "Some fields are not valid.",
            "fields": {"password": ["This password is too common.", "This password is entirely numeric."]},
        }
    }
    assert not User.objects.exists()
    assert not Message.objects.exists()


def test_an_address_with_an_account_gets_the_same_answer_and_its_owner_an_email(
    api_client, django_capture_on_commit_callbacks
):
    owner = user_create(email="asel@example.kz", display_name="Asel")

    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(SIGNUP_URL, body(display_name="Someone else"), format="json", **ENGLISH)

    # Nobody learns from the answer that the address has an account …
    assert response.status_code == 202
    assert response.json() == {"email": "asel@example.kz", "verification_sent": True}
    assert list(User.objects.values_list("display_name", flat=True)) == ["Asel"]
    # … and its owner is told someone tried
    (message,) = mail.outbox
    assert message.to == ["asel@example.kz"]
    assert message.subject == "[Taza] You already have a Taza account"
    assert owner.password == User.objects.get().password


def test_a_wrong_key_is_refused_with_its_own_code(api_client):
    response = api_client.post(VERIFY_URL, {"key": "not-a-key"}, format="json", **ENGLISH)

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid_or_expired_key",
            "message": "This link is invalid or has expired.",
            "fields": {"key": ["Invalid or expired key."]},
        }
    }


def test_a_missing_key_is_a_validation_error(api_client):
    response = api_client.post(VERIFY_URL, {}, format="json", **ENGLISH)

    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "validation_error",
        "message": "Some fields are not valid.",
        "fields": {"key": ["This field is required."]},
    }


def test_sign_ups_are_limited_per_address_with_retry_after(api_client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "2/m/ip"}
    for n in range(2):
        assert api_client.post(SIGNUP_URL, body(email=f"v{n}@example.kz"), format="json").status_code == 202

    response = api_client.post(SIGNUP_URL, body(email="v3@example.kz"), format="json", **ENGLISH)

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json() == {
        "error": {
            "code": "too_many_requests",
            "message": "Too many attempts from this address. Try again later.",
            "fields": {},
        }
    }
    assert not User.objects.filter(email="v3@example.kz").exists()


def test_a_caller_signed_in_on_the_site_still_signs_a_new_person_up(api_client):
    # The API request carries someone's session cookie and an allauth session token: neither is used.
    api_client.force_login(user_create(email="dana@example.kz"))

    response = api_client.post(
        SIGNUP_URL, body(), format="json", HTTP_X_SESSION_TOKEN="whatever-allauth-would-read", **ENGLISH
    )

    assert response.status_code == 202
    assert User.objects.filter(email="asel@example.kz").exists()
    assert Session.objects.count() <= 2  # the caller's, and allauth's own for the pending confirmation


def test_a_body_is_read_as_the_schema_types_it(api_client):
    response = api_client.post(SIGNUP_URL, body(display_name=12345, region=10), format="json", **ENGLISH)

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "display_name": ["Give a text (a JSON string)."],
        "region": ["Give a text (a JSON string)."],
    }
    assert not User.objects.exists()
